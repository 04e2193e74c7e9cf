"""Deck specs: a deck file's content once validated (deckfile.py makes them).

Plain records shared by sync planning, quality checks and the store; no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srs_crss.model import CardType

MAX_ID_LENGTH = 100
"""The longest deck or card id (and sibling_of): the storage columns hold 100 characters
(tests/storage checks the schema agrees), so a longer one is refused by `check`, not by
the database halfway through a sync."""


@dataclass(frozen=True, slots=True)
class CardSpec:
    """One card as written in a deck file."""

    id: str
    front: str
    type: CardType = CardType.BASIC
    back: str | None = None
    choices: tuple[str, ...] = ()
    answer: str | None = None
    explanation: str | None = None
    domain: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    sibling_of: str | None = None
    """Another card of the deck that tests the same fact: the two never share a day."""
    task: str | None = None
    """The exam task a multiple-choice item tests: an id from the deck's task list.
    Stored beside the card (cards.task), outside the content hash: naming a task is
    not an edit of the card's text."""
    line: int | None = field(default=None, compare=False)

    def columns(self) -> dict[str, Any]:
        """The card's content as stored: lists as JSON text, plus a content hash.

        Computed in one pass because sync does it for every card of a deck.
        """
        choices = _json_list(self.choices)
        tags = _json_list(self.tags)
        values = {
            "type": self.type.value,
            "front": self.front,
            "back": self.back,
            "choices": choices,
            "answer": self.answer,
            "explanation": self.explanation,
            "domain": self.domain,
            "tags": tags,
            "source": self.source,
        }
        text = "\x1f".join("\x00" if v is None else v for v in values.values())
        if self.sibling_of is not None:  # (only then: older hashes stay valid)
            text += "\x1e" + self.sibling_of
        values["sibling_of"] = self.sibling_of
        values["content_hash"] = hashlib.sha256(text.encode()).hexdigest()[:32]
        return values

    def content_hash(self) -> str:
        """A fingerprint of the content: equal hashes mean nothing to update."""
        return str(self.columns()["content_hash"])


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One exam task statement from a task list (e.g. decks/tasks/icrc-pr.toml)."""

    id: str
    domain: str
    task: str
    """The task in the list's own words (a restatement, not the exam body's text)."""
    source: str


@dataclass(frozen=True, slots=True)
class DeckSpec:
    """One deck file, validated."""

    id: str
    name: str
    path: Path
    description: str | None = None
    cards: tuple[CardSpec, ...] = ()
    optional: bool = False
    """Studied only when asked for by name (--deck), e.g. another state's credential."""
    fingerprint: str | None = None
    """Hash of the file's bytes (and format version) when loaded from a file."""
    tasks: tuple[TaskSpec, ...] = ()
    """The exam tasks its multiple-choice items may name (from [deck] tasks = "...")."""


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json_list(items: tuple[str, ...]) -> str:
    return _ENCODER.encode(list(items)) if items else "[]"
