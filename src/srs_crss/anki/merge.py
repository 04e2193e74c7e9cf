"""Merging answers given in Anki into a learner's SM-2 history (pure: no database).

For each card, the Anki review log rows that are answers and that srs-crss
does not have yet are merged with the card's own log, in time order, and
SM-2 is replayed over the merged history from the last answer both sides
agree on. Rules (docs/anki.md says why):

- Anki's buttons become grades: Again 1, Hard 3, Good 4, Easy 5.
- Rows that are not answers are skipped and counted: set by hand (Anki's
  reschedule, forget and set-due-date write rows with no button, of type 4
  or 5), and answers in a filtered deck that did not reschedule (type 3 with
  no new interval).
- A row srs-crss exported itself is the same answer: same card, same button,
  and within a second of the answer's time (an export moves an answer by a
  millisecond or two when two share one). It is counted, not added.
- Several answers to a card on one study day (Anki's learning steps): the
  first is the day's review; a later one, while the card is not due again
  that day, is SM-2's extra review (`sm2.repeat`), which never changes ef,
  n or I.
- When Anki answers fall between answers given in srs-crss, those later
  srs-crss answers are recorded again after the Anki ones, in time order,
  with the states the replay gives: same time, grade, time taken and pick.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from srs_crss import sm2
from srs_crss.anki.mapping import ANKI_BUTTON, GRADE_OF_BUTTON, MAX_ANSWER_MS, RevlogRow
from srs_crss.model import LoggedAnswer, LoggedTime

SAME_ANSWER_MS = 1_000
"""An Anki row this close after an answer srs-crss has (same card, same button) is that answer."""

MANUAL_TYPES = (4, 5)
"""Revlog types written by Anki's manual rescheduling (set due date, forget, reschedule)."""
FILTERED_TYPE = 3


class Skip(StrEnum):
    """Why a review log row is not an answer to import."""

    MANUAL = "rescheduled by hand in Anki"
    """Set due date, forget, reschedule: rows with no answer button (type 4 or 5)."""
    CRAM = "filtered-deck answer, not rescheduled"
    """An answer in a filtered deck with rescheduling off (preview, cram)."""


class Answer(NamedTuple):
    """One answer of the merged history."""

    reviewed_ms: int
    day: dt.date
    grade: int
    duration_ms: int | None
    picked: str | None
    from_anki: bool
    """Added by this import."""
    imported: bool = False
    """Brought from Anki, by this import or an earlier one (the log's `imported` mark)."""


@dataclass(frozen=True)
class CardMerge:
    """One card's new log tail: the rows it replaces and the answers to record."""

    card_pk: int
    replaced: tuple[int, ...]
    """Log rows (srs-crss answers after the first Anki one) recorded again in `steps`."""
    steps: tuple[tuple[Answer, sm2.Review], ...]

    @property
    def added(self) -> int:
        return sum(1 for answer, _ in self.steps if answer.from_anki)


@dataclass
class Plan:
    """What an import does, before it is written."""

    cards: list[CardMerge] = field(default_factory=list)
    already: int = 0
    """Anki answers srs-crss already has (its own exported ones, or an earlier import)."""
    skipped: Counter[Skip] = field(default_factory=Counter)

    @property
    def added(self) -> int:
        return sum(card.added for card in self.cards)

    @property
    def restated(self) -> int:
        return sum(len(card.replaced) for card in self.cards)


def skip_reason(row: RevlogRow) -> Skip | None:
    """Why `row` is not an answer, or None for an answer."""
    if row.ease not in GRADE_OF_BUTTON or row.type in MANUAL_TYPES:
        return Skip.MANUAL
    if row.type == FILTERED_TYPE and row.ivl == 0 and row.factor == 0:
        return Skip.CRAM
    return None


def plan(
    revlog: Mapping[int, Sequence[RevlogRow]],
    logged: Mapping[int, Sequence[LoggedTime]],
    details: Callable[[list[int]], Mapping[int, LoggedAnswer]],
    day_of: Callable[[int], dt.date],
    cap: Callable[[int, sm2.Review], sm2.Review] = lambda _pk, review: review,
) -> Plan:
    """The merge for every card.

    `revlog` holds each card's Anki rows (by card pk) and `logged` the times of
    its srs-crss log, in log order; `details` reads the log rows a merge
    starts from or records again, by id (a few per card, not the whole log);
    `day_of` gives the study day of a time in ms; `cap` applies an exam plan
    to a card's answer, as a review would.
    """
    result = Plan()
    pending: list[tuple[int, Sequence[LoggedTime], int, list[Answer]]] = []
    for pk, rows in revlog.items():
        own = logged.get(pk, ())
        new = list(_new_answers(rows, own, day_of, result))
        if new:
            first = min(answer.reviewed_ms for answer in new)
            kept = 0
            while kept < len(own) and own[kept].reviewed_ms <= first:
                kept += 1
            pending.append((pk, own, kept, new))
    wanted = [a.id for _, own, kept, _ in pending for a in own[max(0, kept - 1) :]]
    known = details(wanted) if wanted else {}
    for pk, own, kept, new in pending:
        start = known[own[kept - 1].id] if kept else None
        tail = [known[a.id] for a in own[kept:]]
        result.cards.append(_merge(pk, start, tail, new, cap))
    return result


def _new_answers(
    rows: Iterable[RevlogRow],
    own: Sequence[LoggedTime],
    day_of: Callable[[int], dt.date],
    result: Plan,
) -> Iterable[Answer]:
    times = [answer.reviewed_ms for answer in own]
    order = sorted(range(len(own)), key=times.__getitem__)
    times_sorted = [times[i] for i in order]
    for row in rows:
        reason = skip_reason(row)
        if reason is not None:
            result.skipped[reason] += 1
            continue
        start = bisect.bisect_right(times_sorted, row.id - SAME_ANSWER_MS)
        end = bisect.bisect_right(times_sorted, row.id)
        for i in range(start, end):
            if ANKI_BUTTON[own[order[i]].grade] == row.ease:
                result.already += 1
                break
        else:
            took = min(row.time, MAX_ANSWER_MS) if row.time > 0 else None
            yield Answer(row.id, day_of(row.id), GRADE_OF_BUTTON[row.ease], took, None, True, True)


def _merge(
    pk: int,
    start: LoggedAnswer | None,
    tail: list[LoggedAnswer],
    new: list[Answer],
    cap: Callable[[int, sm2.Review], sm2.Review],
) -> CardMerge:
    merged = new  # Anki's rows come in time order
    if tail:
        restated = [
            Answer(a.reviewed_ms, a.day, a.grade, a.duration_ms, a.picked, False, a.imported)
            for a in tail
        ]
        merged = sorted(restated + new, key=lambda answer: answer.reviewed_ms)
    state = start.after if start else sm2.CardState()
    last_day = start.day if start else None
    steps = []
    for answer in merged:
        again_today = last_day == answer.day and state.due is not None and state.due > answer.day
        outcome = (sm2.repeat if again_today else sm2.review)(state, answer.grade, answer.day)
        outcome = cap(pk, outcome)
        steps.append((answer, outcome))
        state, last_day = outcome.after, answer.day
    return CardMerge(pk, tuple(a.id for a in tail), tuple(steps))
