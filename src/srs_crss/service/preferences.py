"""`srs-crss config`: the settings a learner keeps in the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srs_crss.settings import keys
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context


class Preferences:
    """Set, show and unset one learner's settings, through the command run's Context."""

    def __init__(self, context: Context) -> None:
        self.ctx = context

    def set(self, name: str, value: str, deck: str | None) -> tuple[str, str]:
        """Keep a setting (for one deck, or all); returns its key and stored value."""
        key = keys.key(name, per_deck=deck is not None)
        stored = key.check(value)
        self.ctx.ensure_decks()
        self.ctx.check_scope([deck] if deck else [])
        if key.name == "default-deck":
            self.ctx.check_scope([stored])
        self.ctx.store.settings.set(self.ctx.learner_id, deck, key.name, stored, self.ctx.now())
        self.ctx.forget_stored_settings()
        return key.name, stored

    def unset(self, name: str, deck: str | None) -> bool:
        key = keys.key(name, per_deck=deck is not None)
        self.ctx.ensure_decks()
        self.ctx.check_scope([deck] if deck else [])
        if self.ctx.reader_id == NO_LEARNER:
            return False
        return self.ctx.store.settings.unset(self.ctx.reader_id, deck, key.name)

    def show(self) -> list[tuple[str, str | None, str, bool]]:
        """Every setting: (key, deck or None, value, whether it is the default)."""
        rows: list[tuple[str, str | None, str, bool]] = []
        for name, key in keys.KEYS.items():
            value = self.ctx.stored_settings.get((None, name))
            rows.append((name, None, key.default if value is None else value, value is None))
            for (deck, stored_key), stored in sorted(
                (k, v)
                for k, v in self.ctx.stored_settings.items()
                if k[1] == name and k[0] is not None
            ):
                rows.append((stored_key, deck, stored, False))
        return rows
