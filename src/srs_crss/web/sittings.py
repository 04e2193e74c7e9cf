"""Review sittings kept between requests: a web page forgets, the session must not.

The terminal's review loop keeps the session object and the card on screen in
its own stack; over HTTP each click is a new request, so a `Sitting` holds the
same things (the session, whether the answer is shown, the choice picked, when
the card appeared) under a random id in the page's address. Everything runs
on the server's one event-loop thread, so no locks are needed.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from srs_crss.model import Card, CardType, shuffled_choices
from srs_crss.sm2 import Grade

if TYPE_CHECKING:
    from srs_crss.exams.mock import Result
    from srs_crss.exams.run import MockRun
    from srs_crss.study.session import Session

MAX_FLAG_NOTE = 500
"""Characters, as `srs-crss flag` allows."""

MAX_SITTINGS = 8
"""Sittings kept open at once (old tabs): the oldest is closed beyond this."""

LEECH_NOTE = (
    "{card} has now been forgotten {lapses} times, so it is out of review for now (a "
    "leech). Read its source or rewrite it in your own words; `srs-crss unsuspend {card}` "
    "brings it back."
)


def grades_after(card: Card, picked: str | None) -> str:
    """Any grade for a basic card; 3-5 after a right pick, 0-2 after a wrong one (as in
    the terminal)."""
    if card.type is not CardType.MCQ:
        return "012345"
    return "345" if picked == card.answer else "012"


def default_grade(allowed: str) -> str | None:
    """The grade Enter gives: 4 after a right pick, 1 after a wrong one, none otherwise."""
    return {"345": "4", "012": "1"}.get(allowed)


@dataclass
class Sitting:
    """One review session in a browser tab, and the state of the card on screen."""

    session: Session
    ended: bool = False
    card_pk: int | None = None
    revealed: bool = False
    picked: str | None = None
    started: float = field(default_factory=time.monotonic)
    notes: list[str] = field(default_factory=list)
    """Messages for the next page (undone, suspended, flagged, a leech)."""
    last_verdict: str = ""
    step: int = 0
    """Bumped by every answer, undo and suspension: a page's forms carry it, so a click
    sent twice (a double click, a resent request, an old tab) cannot answer the next
    card unseen."""

    def current(self) -> Card | None:
        """The card on screen (None when the session is over); a new card starts its clock."""
        card = None if self.ended else self.session.current()
        if card is not None and card.pk != self.card_pk:
            self.card_pk, self.revealed, self.picked = card.pk, False, None
            self.started = time.monotonic()
        return card

    def choices(self, card: Card) -> list[str]:
        """The choices in the same order the terminal shows them for this card."""
        if card.type is not CardType.MCQ:
            return []
        return shuffled_choices(card, self.session.review_count(card))

    def pick(self, letter: str) -> None:
        card = self.current()
        if card is None or card.type is not CardType.MCQ or self.picked is not None:
            return
        choices = self.choices(card)
        index = "abcdefghijklmnopqrstuvwxyz".find(letter.lower()[:1]) if letter else -1
        if 0 <= index < len(choices):
            self.picked = choices[index]
            self.revealed = True
            self.last_verdict = "Correct." if self.picked == card.answer else "Not quite."

    def reveal(self) -> None:
        card = self.current()
        if card is not None and card.type is not CardType.MCQ:
            self.revealed = True

    def grade(self, given: str) -> bool:
        """Record a grade for the card on screen; False when it is not one allowed now."""
        card = self.current()
        if card is None or given not in "012345" or len(given) != 1:
            return False
        if card.type is CardType.MCQ and self.picked is None:
            return False
        if given not in grades_after(card, self.picked):
            return False
        elapsed_ms = int((time.monotonic() - self.started) * 1000)
        if self.session.answer(Grade(int(given)), elapsed_ms, self.picked).leech:
            lapses = self.session.options.leech_lapses
            self.notes.append(LEECH_NOTE.format(card=card.qualified_id, lapses=lapses))
        self.last_verdict = ""
        self.step += 1
        return True

    def undo(self) -> None:
        undone = self.session.undo() if not self.ended else None
        if undone is None:
            self.notes.append("Nothing to undo yet.")
        else:
            self.card_pk = None
            self.step += 1
            self.notes.append(f"Took back your answer to {undone.qualified_id}; here it is again.")

    def suspend(self) -> None:
        self.current()
        gone = self.session.suspend() if not self.ended else None
        if gone is not None:
            self.step += 1
            self.notes.append(
                f"Suspended {gone.qualified_id}: out of review until you unsuspend it."
            )

    def flag(self, note: str) -> None:
        if not note.strip():
            self.notes.append("Not flagged: say in a few words what looks wrong.")
            return
        if len(" ".join(note.split())) > MAX_FLAG_NOTE:
            self.notes.append(f"Not flagged: keep the note under {MAX_FLAG_NOTE} characters.")
            return
        self.session.flag(note)
        self.notes.append("Flagged for the deck's authors: thank you.")

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes


class Sittings:
    """The open sittings by id, the oldest closed beyond MAX_SITTINGS."""

    def __init__(self) -> None:
        self._open: OrderedDict[str, Sitting] = OrderedDict()

    def add(self, sitting: Sitting) -> str:
        key = secrets.token_urlsafe(12)
        self._open[key] = sitting
        while len(self._open) > MAX_SITTINGS:
            self._open.popitem(last=False)
        return key

    def get(self, key: str) -> Sitting | None:
        sitting = self._open.get(key)
        if sitting is not None:
            self._open.move_to_end(key)
        return sitting


@dataclass
class Exams:
    """Practice exams open in this server (by attempt id; the clock runs while open), the
    results of those finished here, and their runs (by minus the id) for the walk
    through the missed questions."""

    runs: dict[int, MockRun] = field(default_factory=dict)
    results: dict[int, tuple[Result, bool]] = field(default_factory=dict)
