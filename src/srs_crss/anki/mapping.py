"""How SM-2 answers map onto Anki's review log (pure: no database, no genanki).

Both ways of writing the revlog (revlog.py) use these, so they write the same rows.
"""

from __future__ import annotations

from typing import NamedTuple

from srs_crss.model import ExportReview
from srs_crss.sm2 import ReviewKind

REVLOG_TYPE = {
    (kind.value, learning): (
        0 if kind is ReviewKind.NEW
        else 2 if kind is ReviewKind.RELEARN
        # a same-day repeat right after the first passes is still learning
        else (0 if learning else 1) if kind is ReviewKind.EXTRA
        else 1
    )
    for kind in ReviewKind
    for learning in (True, False)
}  # fmt: skip
"""Anki revlog type (0 learn, 1 review, 2 relearn) by (kind, repetitions before <= 1)."""

ANKI_BUTTON = (1, 1, 1, 2, 3, 4)
"""SM-2 grade -> Anki button: 0-2 Again, 3 Hard, 4 Good, 5 Easy."""

MAX_ANSWER_MS = 60_000
"""Anki caps the time spent on an answer at a minute."""

GRADE_OF_BUTTON = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki button -> SM-2 grade, for an import: Again 1, Hard 3, Good 4, Easy 5 (docs/anki.md)."""


class RevlogRow(NamedTuple):
    """One row of Anki's review log (`revlog`), as Anki stores it."""

    id: int
    """When, in milliseconds since the Unix epoch (unique)."""
    cid: int
    ease: int
    """The button: 1 Again, 2 Hard, 3 Good, 4 Easy; 0 for a row that is not an answer."""
    ivl: int
    last_ivl: int
    factor: int
    time: int
    """Milliseconds spent on the answer."""
    type: int
    """0 learn, 1 review, 2 relearn, 3 filtered deck, 4 manual, 5 rescheduled."""


def revlog_type(review: ExportReview) -> int:
    """Anki revlog type: 0 learn, 1 review, 2 relearn."""
    return REVLOG_TYPE[review.kind, review.repetitions_before <= 1]


def next_free(ms: int, taken: set[int]) -> int:
    """The first millisecond from `ms` on that no revlog row has; marks it taken.

    Anki's revlog id is the answer time in ms and must be unique: in review
    order, the first answer in a millisecond keeps it, a later one moves on.
    """
    while ms in taken:
        ms += 1
    taken.add(ms)
    return ms
