"""Marks a learner puts on cards: flags for the deck's authors, and suspensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srs_crss.errors import UsageError
from srs_crss.model import Flag, Suspension
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service import App

MAX_FLAG_NOTE = 500
"""Characters: a flag is a short note, not an essay."""


class Marks:
    """Flag and suspend cards, through the App of the command run."""

    def __init__(self, app: App) -> None:
        self.app = app

    def flag(self, qualified_id: str, note: str) -> str:
        """Record that this learner thinks a card is wrong; returns the card's deck/card."""
        text = " ".join(note.split())
        if not text:
            raise UsageError("say in a few words what looks wrong with the card")
        if len(text) > MAX_FLAG_NOTE:
            raise UsageError(f"keep the note under {MAX_FLAG_NOTE} characters")
        view = self.app.show(qualified_id)
        self.app.store.flags.add(self.app.learner_id, view.card.pk, text, self.app.now())
        return view.card.qualified_id

    def suspend(self, qualified_id: str, suspend: bool = True) -> tuple[str, bool]:
        """Take a card out of review (or bring it back); returns its deck/card and
        whether anything changed. Its history is kept."""
        view = self.app.show(qualified_id)
        pk = view.card.pk
        if suspend:
            changed = self.app.store.suspensions.add(
                self.app.learner_id, pk, Suspension.MANUAL, self.app.now()
            )
        else:
            changed = self.app.reader_id != NO_LEARNER and self.app.store.suspensions.remove(
                self.app.reader_id, pk
            )
        return view.card.qualified_id, changed

    def all_flags(self) -> list[Flag]:
        self.app.ensure_decks()
        return self.app.store.flags.all()
