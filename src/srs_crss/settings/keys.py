"""Settings a learner keeps in the database (`srs-crss config`): their keys, allowed
values and defaults. Pure: values in, checked values or a UsageError out."""

from __future__ import annotations

from typing import NamedTuple

from srs_crss.clock import DEFAULT_ROLLOVER_HOUR
from srs_crss.errors import UsageError
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY, LEECH_LAPSES


class Key(NamedTuple):
    """One setting: what it means, its default, and what it accepts."""

    name: str
    meaning: str
    default: str
    per_deck: bool
    low: int | None = None
    high: int | None = None

    def check(self, value: str) -> str:
        """The value as stored, or a UsageError saying what is allowed."""
        text = value.strip()
        if self.low is None:  # a deck id: checked against the decks by the service
            if not text:
                raise UsageError(f"{self.name} needs a deck id (see `srs-crss decks`)")
            return text
        if not text.lstrip("-").isdigit() or not self.low <= int(text) <= (self.high or 0):
            raise UsageError(
                f"{self.name} must be a whole number from {self.low} to {self.high}, not {value!r}"
            )
        return str(int(text))


KEYS = {
    key.name: key
    for key in (
        Key(
            "new-per-day",
            "new cards a day (raised when an exam date needs more)",
            str(DEFAULT_NEW_PER_DAY),
            per_deck=True,
            low=0,
            high=1000,
        ),
        Key(
            "rollover-hour",
            "the hour (0-23, local time) a new study day starts",
            str(DEFAULT_ROLLOVER_HOUR),
            per_deck=False,
            low=0,
            high=23,
        ),
        Key("default-deck", "the deck `review` studies when none is named", "", per_deck=False),
        Key(
            "leech-lapses",
            "times a card is forgotten before it is suspended as a leech",
            str(LEECH_LAPSES),
            per_deck=False,
            low=2,
            high=100,
        ),
    )
}


def key(name: str, per_deck: bool = False) -> Key:
    """The setting called `name` (or a UsageError naming the known ones)."""
    found = KEYS.get(name.strip().lower())
    if found is None:
        from srs_crss.names import unknown_name  # (difflib: only for a mistyped name)

        raise UsageError(unknown_name("setting", name, list(KEYS)))
    if per_deck and not found.per_deck:
        raise UsageError(f"{found.name} is one setting for all decks: leave out --deck")
    return found
