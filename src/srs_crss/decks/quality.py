"""Quality warnings for deck authors (`srs-crss check`).

Validation (deckfile) decides whether a file loads at all; this module looks
at decks that do load and points out what makes cards weaker to study: no
source, long backs, duplicate or near-duplicate fronts, multiple-choice
distractors that give the answer away, wording a test-wise guesser can read
(testwise.py), no explanation, no domain. Pure:
deck specs in, warnings out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from srs_crss.decks.spec import CardSpec, DeckSpec
from srs_crss.decks.testwise import analyse
from srs_crss.model import CardType
from srs_crss.untrusted.text import control_characters

LONG_BACK = 400
"""Characters: a back longer than this is hard to recall as one fact."""

NEAR_DUPLICATE = 0.8
"""Share of words two fronts have in common (Jaccard) to call them near-duplicates."""

LONGER_ANSWER = 1.25
"""An answer longer than this times the mean distractor gives itself away by length."""

LONGEST_SHARE = 0.30
"""Across a deck, the answer may be the strictly longest choice in at most this share of
multiple-choice cards (chance with four choices is 25%)."""

_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class QualityWarning:
    """One quality problem, located by file, line and card."""

    path: Path
    line: int | None
    card: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: warning: {self.card}: {self.message}"


def check_decks(decks: Sequence[DeckSpec]) -> list[QualityWarning]:
    """Every warning for these decks, in file and card order."""
    warnings: list[QualityWarning] = []
    for deck in decks:
        for card in deck.cards:
            warnings.extend(_card_warnings(deck, card))
    warnings.extend(w for deck in decks if (w := _deck_controls(deck)) is not None)
    warnings.extend(_duplicate_fronts(decks))
    warnings.extend(w for deck in decks if (w := _longest_answers(deck)) is not None)
    warnings.extend(w for deck in decks for w in _testwise_warnings(deck))
    warnings.extend(w for deck in decks for w in _untied_near_duplicates(deck))
    warnings.extend(w for deck in decks for w in _items_without_task(deck))
    return sorted(warnings, key=lambda w: (str(w.path), w.line or 0, w.message))


def _card_warnings(deck: DeckSpec, card: CardSpec) -> Iterator[QualityWarning]:
    def warn(message: str) -> QualityWarning:
        return QualityWarning(deck.path, card.line, card.id, message)

    fields = (card.front, card.back, *card.choices, card.explanation, card.domain, card.source)
    controls = _controls(fields)
    if controls:
        yield warn(controls)
    if not card.source:
        yield warn("no source (say where the fact comes from)")
    if not card.domain:
        yield warn("no domain")
    if card.back is not None and len(card.back) > LONG_BACK:
        yield warn(f"back is {len(card.back)} characters (over {LONG_BACK}: split it)")
    if card.type is CardType.MCQ:
        if not card.explanation:
            yield warn("multiple-choice card has no explanation")
        answer = _normal(card.answer or "")
        for choice in card.choices:
            if choice == card.answer:
                continue
            other = _normal(choice)
            if other == answer or (len(answer) >= 4 and answer in other):
                yield warn(f"distractor {choice!r} repeats the answer")
        ratio = _length_ratio(card)
        if ratio > LONGER_ANSWER:
            yield warn(
                f"the answer is {ratio:.2f} times as long as the average distractor "
                f"(over {LONGER_ANSWER}): length gives it away; lengthen the distractors"
            )


def _controls(fields: Iterable[str | None]) -> str | None:
    """A warning for control characters (ESC, BEL, bidi overrides...) in these texts:
    srs-crss shows them escaped, but Anki and other tools may not."""
    found: list[str] = []
    for text in fields:
        found += [c for c in control_characters(text or "") if c not in found]
    if not found:
        return None
    return (
        f"control characters in the text ({', '.join(found)}): they are shown as escapes; "
        "write plain text"
    )


def _deck_controls(deck: DeckSpec) -> QualityWarning | None:
    controls = _controls((deck.name, deck.description))
    return (
        None if controls is None else QualityWarning(deck.path, None, f"deck {deck.id}", controls)
    )


def _distractor_lengths(card: CardSpec) -> list[int]:
    return [len(choice) for choice in card.choices if choice != card.answer]


def _length_ratio(card: CardSpec) -> float:
    """The answer's length over the mean length of the distractors."""
    others = _distractor_lengths(card)
    return len(card.answer or "") / (sum(others) / len(others)) if others else 0.0


def _longest_answers(deck: DeckSpec) -> QualityWarning | None:
    """One warning for a deck whose answers are too often the longest choice."""
    mcqs = [card for card in deck.cards if card.type is CardType.MCQ]
    longest = [c for c in mcqs if all(len(c.answer or "") > n for n in _distractor_lengths(c))]
    if not mcqs or len(longest) <= LONGEST_SHARE * len(mcqs):
        return None
    share = len(longest) / len(mcqs)
    return QualityWarning(
        deck.path,
        None,
        f"deck {deck.id}",
        f"the answer is the longest choice in {len(longest)} of {len(mcqs)} multiple-choice "
        f"cards ({share:.0%}, over {LONGEST_SHARE:.0%}): candidates learn to pick the longest",
    )


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _duplicate_fronts(decks: Sequence[DeckSpec]) -> Iterator[QualityWarning]:
    cards = [(deck, card) for deck in decks for card in deck.cards]
    words = [frozenset(_WORD.findall(card.front.lower())) for _, card in cards]
    seen: dict[str, int] = {}
    exact: set[tuple[int, int]] = set()
    for index, (_, card) in enumerate(cards):
        key = _normal(card.front)
        if key in seen:
            exact.add((seen[key], index))
        else:
            seen[key] = index
    # Near-duplicates: only pairs sharing one of each front's rarest words are compared,
    # which keeps this fast on large decks.
    frequency = Counter(word for ws in words for word in ws)
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, ws in enumerate(words):
        for word in sorted(ws, key=lambda w: (frequency[w], w))[:2]:
            by_word[word].append(index)
    near: set[tuple[int, int]] = set()
    for index, ws in enumerate(words):
        if len(ws) < 4:
            continue
        candidates = {j for word in ws for j in by_word.get(word, ()) if j > index}
        for j in candidates:
            other = words[j]
            if (index, j) in exact or len(other) < 4:
                continue
            if len(ws & other) / len(ws | other) >= NEAR_DUPLICATE:
                near.add((index, j))
    for first, second in sorted(exact):
        yield _pair_warning(cards, first, second, "same front as")
    for first, second in sorted(near):
        yield _pair_warning(cards, first, second, "front nearly the same as")


def _pair_warning(
    cards: list[tuple[DeckSpec, CardSpec]], first: int, second: int, relation: str
) -> QualityWarning:
    deck_a, card_a = cards[first]
    deck_b, card_b = cards[second]
    where = f"{deck_a.id}/{card_a.id}" + (f" (line {card_a.line})" if card_a.line else "")
    return QualityWarning(deck_b.path, card_b.line, card_b.id, f"{relation} {where}")


# ---- the test-wise detector (issue 28): testwise.py measures, this reports ----------

EXAMPLES = 5
"""Items named in a deck-wide warning, so the author knows where to start."""


def _testwise_warnings(deck: DeckSpec) -> Iterator[QualityWarning]:
    """Item-writing rules broken by one item, and deck-wide cues over their limits."""
    report = analyse(deck)
    for finding in report.item_findings:
        yield QualityWarning(deck.path, finding.card.line, finding.card.id, finding.message)
    for deck_finding in report.deck_findings:
        shown = ", ".join(deck_finding.examples[:EXAMPLES])
        more = len(deck_finding.examples) - EXAMPLES
        if shown:
            shown = f" (e.g. {shown}" + (f" and {more} more)" if more > 0 else ")")
        yield QualityWarning(deck.path, None, f"deck {deck.id}", deck_finding.message + shown)


# ---- near-duplicate questions not tied by sibling_of (issue 28) -----------------------

SAME_ITEM = 0.30
"""Share of content words (Jaccard, question and answer together) at which two cards,
one of them multiple-choice, test the same point: seen the same day, one gives the
other away, so they should be tied with sibling_of."""

SAME_ANSWER = 0.70
"""Share of content words two answers (of three content words or more) have in common
for the cards to count as the same item asked two ways."""

MIN_QUESTION_WORDS = 4
"""Questions with fewer content words than this are too short to compare by words."""

_NOT_CONTENT = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he
    her him his how if in into is it its not of on or our she should so than that the
    their them then there these they this to was we were what when where which who will
    with would you your person peer participant support supports says tells asks best
    first most response""".split()
)


def _content(text: str) -> frozenset[str]:
    """Content words, crudely stemmed so 'listening' meets 'listen'."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in _NOT_CONTENT:
            continue
        for suffix in ("ing", "ed", "es", "s", "ly"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


def _note(card: CardSpec) -> str:
    """The fact a card tests: its sibling_of, or its own id."""
    return card.sibling_of or card.id


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _untied_near_duplicates(deck: DeckSpec) -> Iterator[QualityWarning]:
    """Pairs of cards (one multiple-choice) asking the same thing, not tied by sibling_of.

    Only pairs sharing one of each card's rarer words are compared, which keeps this
    fast on large decks.
    """
    cards = list(deck.cards)
    questions = [_content(card.front) for card in cards]
    answers = [_content(card.answer or card.back or "") for card in cards]
    both = [q | a for q, a in zip(questions, answers, strict=True)]
    frequency = Counter(word for words in both for word in words)
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(both):
        for word in sorted(words, key=lambda w: (frequency[w], w))[:6]:
            by_word[word].append(index)
    for index, card in enumerate(cards):
        candidates = {j for word in both[index] for j in by_word.get(word, ()) if j > index}
        for j in sorted(candidates):
            other = cards[j]
            if CardType.MCQ not in (card.type, other.type) or _note(card) == _note(other):
                continue
            if min(len(questions[index]), len(questions[j])) < MIN_QUESTION_WORDS:
                continue  # too short to judge by shared words
            same_answer = min(len(answers[index]), len(answers[j])) >= 3 and (
                _jaccard(answers[index], answers[j]) >= SAME_ANSWER
            )
            if same_answer or _jaccard(both[index], both[j]) >= SAME_ITEM:
                where = f"{card.id}" + (f" (line {card.line})" if card.line else "")
                yield QualityWarning(
                    deck.path,
                    other.line,
                    other.id,
                    f"asks nearly the same as {where}: tie them with sibling_of "
                    f"so they never come the same day",
                )


# ---- exam tasks (issue 28) ----------------------------------------------------------


def _items_without_task(deck: DeckSpec) -> Iterator[QualityWarning]:
    """In a deck with a task list, each multiple-choice item should name its task
    (unknown task ids are load errors, deckfile's job)."""
    if not deck.tasks:
        return
    for card in deck.cards:
        if card.type is CardType.MCQ and card.task is None:
            yield QualityWarning(
                deck.path,
                card.line,
                card.id,
                "multiple-choice item names no exam task (task = ...)",
            )
