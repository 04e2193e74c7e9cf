"""Item statistics from practice exams across the class: which questions are too easy,
misleading or miskeyed (`srs-crss items`, and the instructor's page).

Pure: storage reads one row per answered practice question; these are the classic
test-analysis figures. Difficulty is the share who got the item right.
Discrimination is the point-biserial correlation between getting the item right
and the rest of the exam's score (the item itself left out, so a short exam does
not flatter its own items): near 0 the item does not separate stronger from
weaker learners, below 0 the stronger ones miss it more (misleading or miskeyed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

MIN_ANSWERS = 5
"""Fewer answers than this give no discrimination (too few to mean anything)."""


@dataclass(frozen=True, slots=True)
class Response:
    """One practice question as a learner answered it."""

    exam: int
    card: str
    """deck/card"""
    answer: str
    picked: str | None
    """The choice's text; None: left unanswered."""
    exam_correct: int
    exam_asked: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    card: str
    answers: int
    right: int
    discrimination: float | None
    """Point-biserial (item vs rest of the exam); None with too few answers or no spread."""
    wrong_choices: tuple[tuple[str, int], ...]
    """Each wrong choice picked, with how often, most picked first."""
    unanswered: int
    notes: tuple[str, ...]
    """What an author should look at, in plain words."""

    @property
    def share_right(self) -> float:
        return self.right / self.answers if self.answers else 0.0


def point_biserial(pairs: Sequence[tuple[bool, float]]) -> float | None:
    """Correlation of a right/wrong item with a score; None when it cannot be told."""
    if len(pairs) < MIN_ANSWERS:
        return None
    scores = [score for _, score in pairs]
    mean = sum(scores) / len(scores)
    spread = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    right = [score for ok, score in pairs if ok]
    wrong = [score for ok, score in pairs if not ok]
    if not right or not wrong or spread == 0:
        return None
    p = len(right) / len(pairs)
    gap = sum(right) / len(right) - sum(wrong) / len(wrong)
    return gap / spread * math.sqrt(p * (1 - p))


def item_stats(responses: Iterable[Response]) -> list[ItemStats]:
    """Every item answered in a finished practice exam, weakest discrimination first."""
    by_card: dict[str, list[Response]] = {}
    for response in responses:
        by_card.setdefault(response.card, []).append(response)
    found = [_one(card, rows) for card, rows in by_card.items()]
    return sorted(found, key=lambda s: (s.discrimination is None, s.discrimination or 0, s.card))


def _one(card: str, rows: list[Response]) -> ItemStats:
    pairs = []
    wrong: dict[str, int] = {}
    unanswered = 0
    for row in rows:
        ok = row.picked == row.answer
        rest_asked = row.exam_asked - 1
        rest = (row.exam_correct - ok) / rest_asked if rest_asked > 0 else 0.0
        pairs.append((ok, rest))
        if row.picked is None:
            unanswered += 1
        elif not ok:
            wrong[row.picked] = wrong.get(row.picked, 0) + 1
    right = sum(ok for ok, _ in pairs)
    choices = tuple(sorted(wrong.items(), key=lambda item: (-item[1], item[0])))
    stats = ItemStats(card, len(rows), right, point_biserial(pairs), choices, unanswered, ())
    return replace(stats, notes=_notes(stats))


def _notes(stats: ItemStats) -> tuple[str, ...]:
    notes = []
    if stats.answers >= MIN_ANSWERS and stats.share_right >= 0.9:
        notes.append("too easy: nearly everyone gets it right")
    if stats.discrimination is not None and stats.discrimination < 0:
        notes.append("stronger learners miss it more often: misleading or miskeyed?")
    elif stats.discrimination is not None and stats.discrimination < 0.1:
        notes.append("does not separate stronger from weaker learners")
    if stats.wrong_choices and stats.wrong_choices[0][1] > stats.right:
        notes.append(
            f"a wrong choice is picked more often than the answer: check the key "
            f"({stats.wrong_choices[0][0]!r})"
        )
    return tuple(notes)
