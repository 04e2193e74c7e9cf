"""Marks a learner puts on cards: flags for the deck's authors, and suspensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srs_crss.errors import UsageError
from srs_crss.model import Flag, Suspension
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context

MAX_FLAG_NOTE = 500
"""Characters: a flag is a short note, not an essay."""


class Marks:
    """Flag and suspend cards, through the command run's Context."""

    def __init__(self, context: Context) -> None:
        self.ctx = context

    def flag(self, qualified_id: str, note: str) -> str:
        """Record that this learner thinks a card is wrong; returns the card's deck/card."""
        text = " ".join(note.split())
        if not text:
            raise UsageError("say in a few words what looks wrong with the card")
        if len(text) > MAX_FLAG_NOTE:
            raise UsageError(f"keep the note under {MAX_FLAG_NOTE} characters")
        view = self.ctx.show(qualified_id)
        self.ctx.store.flags.add(self.ctx.learner_id, view.card.pk, text, self.ctx.now())
        return view.card.qualified_id

    def suspend(self, qualified_id: str, suspend: bool = True) -> tuple[str, bool]:
        """Take a card out of review (or bring it back); returns its deck/card and
        whether anything changed. Its history is kept."""
        view = self.ctx.show(qualified_id)
        pk = view.card.pk
        if suspend:
            changed = self.ctx.store.suspensions.add(
                self.ctx.learner_id, pk, Suspension.MANUAL, self.ctx.now()
            )
        else:
            changed = self.ctx.reader_id != NO_LEARNER and self.ctx.store.suspensions.remove(
                self.ctx.reader_id, pk
            )
        return view.card.qualified_id, changed

    def all_flags(self) -> list[Flag]:
        self.ctx.ensure_decks()
        return self.ctx.store.flags.all()
