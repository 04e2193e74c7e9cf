"""Deck files: TOML text -> validated deck specs, with errors naming file and line.

The format (README, "Deck files") is what authors edit by hand, so every
mistake gets a one-line message with the file and line, and unknown keys are
errors: a typo must never silently drop text. Nothing here touches the
database; `sync` and `check` both start from `load_decks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from srs_crss.decks import tasklist
from srs_crss.decks.bundled import bundled_deck_dir
from srs_crss.decks.decktoml import (
    SLUG,
    At,
    LineFinder,
    TableValidator,
    first_line_of,
    kind,
    parse_toml,
    read_bytes,
)
from srs_crss.decks.spec import CardSpec, DeckSpec
from srs_crss.errors import DeckError
from srs_crss.model import LETTERS, CardType

__all__ = [
    "bundled_deck_dir",
    "check_unique_ids",
    "decode_deck",
    "expand_paths",
    "load_deck",
    "load_decks",
    "parse_deck",
    "read_deck_bytes",
]

MAX_DECK_BYTES = 64 * 1024 * 1024
"""The largest deck file read (the bundled CRSS deck of 800 cards is half a megabyte): a
bigger one, or a device such as /dev/zero, would only fill memory."""

_DECK_KEYS = {"id", "name", "description", "optional", "tasks"}
_COMMON_KEYS = {"id", "type", "front", "explanation", "domain", "tags", "source", "sibling_of"}
_CARD_KEYS = {
    CardType.BASIC: _COMMON_KEYS | {"back"},
    CardType.MCQ: _COMMON_KEYS | {"choices", "answer", "task"},
}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and each directory replaced by its *.toml files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise DeckError(path, "directory holds no .toml deck files")
            files.extend(found)
        else:
            files.append(path)
    return files


def load_decks(paths: Sequence[Path]) -> list[DeckSpec]:
    """Load and validate every file (directories expand to their *.toml files).

    Raises the first DeckError found; two files declaring the same deck id
    are an error too, since a deck's cards must come from one file.
    """
    decks = [load_deck(path) for path in expand_paths(paths)]
    check_unique_ids((deck.id, deck.path) for deck in decks)
    return decks


def check_unique_ids(decks: Iterable[tuple[str, Path]]) -> None:
    """Two files may not declare the same deck id: a deck's cards come from one file."""
    seen: dict[str, Path] = {}
    for deck_id, path in decks:
        if deck_id in seen:
            try:
                line = LineFinder(path.read_text(encoding="utf-8")).deck_key("id")
            except (OSError, UnicodeDecodeError):
                line = None
            raise DeckError(path, f"deck id {deck_id!r} is already used by {seen[deck_id]}", line)
        seen[deck_id] = path


def load_deck(path: Path) -> DeckSpec:
    """Read and validate one deck file."""
    return decode_deck(read_deck_bytes(path), path)


def read_deck_bytes(path: Path) -> bytes:
    """A deck file's bytes, or a DeckError saying why they cannot be read (a pipe or a
    device is refused without waiting on it; at most MAX_DECK_BYTES)."""
    return read_bytes(path, "file", "deck file", MAX_DECK_BYTES)


def decode_deck(raw: bytes, path: Path) -> DeckSpec:
    """Validate a deck file's bytes; `path` is used in messages."""
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (some Windows editors) is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError(path, "not UTF-8 text", line) from None
    deck = parse_deck(text, path)
    return replace(deck, fingerprint=tasklist.deck_fingerprint(raw, path))


def parse_deck(text: str, path: Path) -> DeckSpec:
    """Validate the text of a deck file; `path` is used in messages."""
    if not text.strip():
        raise DeckError(path, "file is empty; a deck file needs a [deck] table and [[cards]]")
    return _Validator(text, path).deck(parse_toml(text, path))


class _Validator(TableValidator):
    """Checks one parsed file and builds its DeckSpec."""

    def deck(self, data: dict[str, Any]) -> DeckSpec:
        for key in data:
            if key not in ("deck", "cards"):
                raise self.fail(
                    f"unknown top-level key {key!r} (expected [deck] and [[cards]])",
                    first_line_of(key, self.lines.lines),
                )
        header = data.get("deck")
        if not isinstance(header, dict):
            raise self.fail("missing [deck] table with id and name", 1)
        for key in header:
            if key not in _DECK_KEYS:
                raise self.fail(
                    f"unknown key {key!r} in [deck] (allowed: {', '.join(sorted(_DECK_KEYS))})",
                    self.lines.deck_key(key),
                )
        deck_id = self.slug(header, "id", "deck id", self.lines.deck_key)
        name = self.text(header, "name", self.lines.deck_key, required=True)
        description = self.text(header, "description", self.lines.deck_key)
        assert name is not None
        optional = header.get("optional", False)
        if not isinstance(optional, bool):
            raise self.fail(
                f"optional must be true or false, not {kind(optional)}",
                self.lines.deck_key("optional"),
            )

        tasks = tasklist.deck_tasks(self, header)

        raw_cards = data.get("cards", [])
        if not isinstance(raw_cards, list) or not all(isinstance(c, dict) for c in raw_cards):
            raise self.fail("cards must be written as [[cards]] tables", self.lines.card(0))
        cards: list[CardSpec] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_cards):
            card = self.card(index, raw)
            if card.id in seen:
                first = self.lines.card(seen[card.id])
                where = f" (first at line {first})" if first is not None else ""
                raise self.fail(
                    f"duplicate card id {card.id!r}{where}", self.lines.card_key(index, "id")
                )
            seen[card.id] = index
            cards.append(card)
        self.siblings(cards)
        tasklist.check_task_keys(self, cards, tasks)
        return DeckSpec(
            id=deck_id,
            name=name,
            description=description,
            path=self.path,
            cards=tuple(cards),
            optional=optional,
            tasks=tasks,
        )

    def siblings(self, cards: list[CardSpec]) -> None:
        """sibling_of names another card of the deck, which names none itself."""
        by_id = {card.id: card for card in cards}
        for index, card in enumerate(cards):
            if card.sibling_of is None:
                continue
            line = self.lines.card_key(index, "sibling_of")
            target = by_id.get(card.sibling_of)
            if card.sibling_of == card.id:
                raise self.fail(f"card {card.id!r} names itself as its sibling", line)
            if target is None:
                raise self.fail(f"sibling_of {card.sibling_of!r}: no such card in this deck", line)
            if target.sibling_of is not None:
                raise self.fail(
                    f"sibling_of {card.sibling_of!r}: that card is itself a sibling of "
                    f"{target.sibling_of!r}; name {target.sibling_of!r} instead",
                    line,
                )

    def card(self, index: int, raw: dict[str, Any]) -> CardSpec:
        def at(key: str) -> int | None:
            return self.lines.card_key(index, key)

        card_type = raw.get("type", CardType.BASIC)
        if card_type not in tuple(CardType):
            raise self.fail(f'unknown card type {card_type!r} (use "basic" or "mcq")', at("type"))
        allowed = _CARD_KEYS[card_type]
        for key in raw:
            if key not in allowed:
                other = CardType.MCQ if card_type == CardType.BASIC else CardType.BASIC
                hint = (
                    f"; {key!r} belongs to {other} cards"
                    if key in _CARD_KEYS[other]
                    else f" (allowed: {', '.join(sorted(allowed))})"
                )
                raise self.fail(f"unknown key {key!r} in a {card_type} card{hint}", at(key))
        card_id = self.slug(raw, "id", "card id", at)
        front = self.text(raw, "front", at, required=True)
        assert front is not None
        explanation = self.text(raw, "explanation", at)
        domain = self.text(raw, "domain", at)
        source = self.text(raw, "source", at)
        tags = self.tags(raw, at)
        sibling_of = self.slug(raw, "sibling_of", "sibling_of", at) if "sibling_of" in raw else None
        task = self.slug(raw, "task", "task", at) if "task" in raw else None
        line = self.lines.card(index)
        if card_type == CardType.BASIC:
            back = self.text(raw, "back", at, required=True)
            return CardSpec(
                id=card_id,
                type=CardType.BASIC,
                front=front,
                back=back,
                explanation=explanation,
                domain=domain,
                tags=tags,
                source=source,
                sibling_of=sibling_of,
                line=line,
            )
        choices = self.choices(raw, at)
        answer = self.text(raw, "answer", at, required=True)
        if answer not in choices:
            raise self.fail(f"answer {answer!r} is not one of the choices", at("answer"))
        return CardSpec(
            id=card_id,
            type=CardType.MCQ,
            front=front,
            choices=choices,
            answer=answer,
            explanation=explanation,
            domain=domain,
            tags=tags,
            source=source,
            sibling_of=sibling_of,
            task=task,
            line=line,
        )

    def tags(self, table: dict[str, Any], at: At) -> tuple[str, ...]:
        value = table.get("tags", [])
        if not isinstance(value, list):
            raise self.fail(f"tags must be a list of strings, not {kind(value)}", at("tags"))
        tags: list[str] = []
        for tag in value:
            if not isinstance(tag, str):
                raise self.fail(f"tags must be strings, not {kind(tag)}", at("tags"))
            if not SLUG.fullmatch(tag):
                raise self.fail(
                    f"bad tag {tag!r}: use lowercase letters, digits and single hyphens",
                    at("tags"),
                )
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def choices(self, table: dict[str, Any], at: At) -> tuple[str, ...]:
        value = table.get("choices")
        if value is None:
            raise self.fail("missing choices (a multiple-choice card needs 2 or more)", at("id"))
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise self.fail("choices must be a list of strings", at("choices"))
        for choice in value:
            self.refuse_characters(choice, "choices", at)
        choices = tuple(c.strip() for c in value)
        if len(choices) < 2:
            raise self.fail(
                f"a multiple-choice card needs at least 2 choices, not {len(choices)}",
                at("choices"),
            )
        if len(choices) > len(LETTERS):
            raise self.fail(
                f"a multiple-choice card has at most {len(LETTERS)} choices (A-Z), "
                f"not {len(choices)}",
                at("choices"),
            )
        if any(not c for c in choices):
            raise self.fail("choices must not be empty", at("choices"))
        if len(set(choices)) != len(choices):
            raise self.fail("choices must be distinct", at("choices"))
        return choices
