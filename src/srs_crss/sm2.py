"""The SM-2 scheduling rules, exactly as described in docs/scheduling.md.

Pure: no I/O, no clock, no globals. `review(state, grade, day)` returns a new
state and never touches its input. The E-Factor is held as an integer number
of hundredths (it only ever moves by +10, 0 or -14 hundredths), so the
interval ceil(I * EF) is computed exactly, without floating-point drift.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import IntEnum, StrEnum
from functools import partial
from typing import NamedTuple

__all__ = [
    "INITIAL_EF",
    "MIN_EF",
    "CardState",
    "Grade",
    "Review",
    "ReviewKind",
    "ef_delta",
    "repeat",
    "review",
]

INITIAL_EF = 250
"""A new card's E-Factor, in hundredths (2.5)."""

MIN_EF = 130
"""The E-Factor never drops below 1.3 (in hundredths)."""

MAX_INTERVAL = 36_500
"""Intervals stop growing at 100 years (Anki's own maximum), so a due day is always a
date a calendar holds (docs/scheduling.md: SM-2 itself has no limit)."""


class Grade(IntEnum):
    """The six SM-2 grades; 3 and above is a successful recall."""

    BLACKOUT = 0
    WRONG = 1
    WRONG_BUT_EASY = 2
    HARD = 3
    HESITANT = 4
    PERFECT = 5

    @property
    def passed(self) -> bool:
        """Whether the grade counts as a correct response (q >= 3)."""
        return self >= Grade.HARD

    @property
    def meaning(self) -> str:
        """A short description for people choosing a grade."""
        return _MEANINGS[self]


_MEANINGS = {
    Grade.BLACKOUT: "blackout: no memory at all",
    Grade.WRONG: "wrong; remembered on seeing the answer",
    Grade.WRONG_BUT_EASY: "wrong; the answer seemed easy once seen",
    Grade.HARD: "right, with serious difficulty",
    Grade.HESITANT: "right, after hesitation",
    Grade.PERFECT: "perfect recall",
}


class ReviewKind(StrEnum):
    """What kind of review an answer was, as recorded in the review log."""

    NEW = "new"
    """First ever review of the card."""
    REVIEW = "review"
    """An ordinary scheduled review of a card recalled before."""
    EXTRA = "extra"
    """SM-2 step 7: the same-day repeat after a grade below 4."""
    RELEARN = "relearn"
    """A card whose last answer failed (repetitions reset to 0)."""


class CardState(NamedTuple):
    """One learner's scheduling state for one card (immutable: `_replace` makes a changed copy).

    `ef` is in hundredths: 250 means an E-Factor of 2.50.
    `due` is a calendar day, or None for a card never reviewed.
    A named tuple rather than a frozen dataclass: imports and exports build
    100,000s of them, and a tuple is built four times faster.
    """

    repetitions: int = 0
    ef: int = INITIAL_EF
    interval: int = 0
    due: dt.date | None = None
    extra: bool = False
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """A card that has never been reviewed."""
        return self.due is None

    @property
    def ef_decimal(self) -> Decimal:
        """The E-Factor as an exact decimal, e.g. Decimal('2.36')."""
        return Decimal(self.ef).scaleb(-2)


class Review(NamedTuple):
    """The outcome of one answer: the state before and after, and its kind (immutable)."""

    before: CardState
    after: CardState
    grade: Grade
    day: dt.date
    kind: ReviewKind
    capped_from: dt.date | None = None
    """Set only by an exam plan (srs_crss.exams.planning) that moved `after.due` earlier:
    the due day plain SM-2 gave. Plain SM-2 never sets it."""


_GRADES = tuple(Grade)


def ef_delta(grade: Grade) -> int:
    """The E-Factor change for a passing grade, in hundredths.

    SM-2's EF' = EF + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), times 100:
    +10 for 5, 0 for 4, -14 for 3.
    """
    miss = 5 - int(grade)
    return 10 - miss * (8 + miss * 2)


def kind_of(state: CardState) -> ReviewKind:
    """Classify the review about to happen to a card in `state`."""
    if state.extra:
        return ReviewKind.EXTRA
    if state.is_new:
        return ReviewKind.NEW
    if state.repetitions == 0:
        return ReviewKind.RELEARN
    return ReviewKind.REVIEW


def review(state: CardState, grade: int, day: dt.date) -> Review:
    """Apply one answer with grade `grade` (0-5) given on calendar day `day`.

    The new due day always counts from `day`, the day of the review, never
    from the old due day, so a late review does not shorten the next gap.
    """
    # Written for speed (imports replay 100,000s of answers); the rules are
    # those of docs/scheduling.md. Grades, kinds and E-Factor changes come from
    # tuples rather than enum calls; the results are built by _state and
    # _review (fields in declaration order), and the due day D + I is counted
    # in day numbers (ordinals), which is several times cheaper than the
    # generated constructors and a timedelta.
    if not 0 <= grade <= 5:
        raise ValueError(f"{grade!r} is not a valid Grade")
    n, ef, interval, due, extra, lapses = state
    if extra:
        # SM-2 step 7: repeat until 4 or 5; never changes ef, n or I.
        kind = _EXTRA
        if grade >= 4:
            after = _state((n, ef, interval, _day(day.toordinal() + interval), False, lapses))
        else:
            after = _state((n, ef, interval, day, True, lapses))
    else:
        kind = _NEW if due is None else _RELEARN if n == 0 else _REVIEW
        if grade >= 3:
            ef = max(MIN_EF, ef + _EF_DELTA[grade])
            if n == 0:
                interval = 1
            elif n == 1:
                interval = 6
            else:
                interval = min(MAX_INTERVAL, -(-interval * ef // 100))  # ceil(I * EF), exactly
            if grade >= 4:
                after = _state(
                    (n + 1, ef, interval, _day(day.toordinal() + interval), False, lapses)
                )
            else:
                after = _state((n + 1, ef, interval, day, True, lapses))
        else:
            after = _state((0, ef, 0, day, False, lapses + 1 if n >= 1 else lapses))
    #               before after  grade          day  kind  capped_from
    return _review((state, after, _GRADES[grade], day, kind, None))


_EF_DELTA = tuple(ef_delta(Grade(q)) if q >= 3 else 0 for q in range(6))
_EXTRA, _NEW, _RELEARN, _REVIEW = (
    ReviewKind.EXTRA, ReviewKind.NEW, ReviewKind.RELEARN, ReviewKind.REVIEW,
)  # fmt: skip
_state = partial(tuple.__new__, CardState)
"""CardState from a tuple of all six fields, skipping the generated __new__ (no defaults)."""
_review = partial(tuple.__new__, Review)
"""Review from a tuple of all six fields, skipping the generated __new__ (no defaults)."""
_day = dt.date.fromordinal
"""The calendar day with a given day number: day.toordinal() + I is D + I."""


def repeat(state: CardState, grade: int, day: dt.date) -> Review:
    """An answer to a card already reviewed on `day` and not due again that day.

    srs-crss never shows such a card, but Anki does (its learning steps show a
    new card several times a day): SM-2 counts only the day's first answer as
    the review, so a later one is treated as SM-2's step-7 extra review. It
    never changes ef, n or I; below 4 the card must be repeated that day.
    """
    return review(state._replace(extra=True), grade, day)._replace(before=state)
