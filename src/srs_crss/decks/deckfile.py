"""Deck files: TOML text -> validated deck specs, with errors naming file and line.

The format (README, "Deck files") is what authors edit by hand, so every
mistake gets a one-line message with the file and line, and unknown keys are
errors: a typo must never silently drop text. Nothing here touches the
database; `sync` and `check` both start from `load_decks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from srs_crss.decks.decklines import LineFinder, first_line_of
from srs_crss.decks.spec import MAX_ID_LENGTH, CardSpec, DeckSpec, fingerprint
from srs_crss.errors import DeckError
from srs_crss.model import LETTERS, CardType
from srs_crss.untrusted.files import FileProblem, read_regular

try:  # tomli is tomllib compiled with mypyc: the same parser, three times faster
    import tomli as toml
except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is its stdlib twin
    import tomllib as toml  # type: ignore[no-redef]

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

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

MAX_DECK_BYTES = 64 * 1024 * 1024
"""The largest deck file read (the bundled CRSS deck of 800 cards is half a megabyte): a
bigger one, or a device such as /dev/zero, would only fill memory."""

REFUSED = {"\x00": "a NUL character (\\u0000)", "\x1f": "a U+001F character (\\u001f)"}
"""Characters no card text may hold: NUL ends strings in C and in databases, and U+001F
is Anki's field separator (one in one card makes Anki refuse the whole exported package).
Other control characters are shown escaped on screen and warned about by `check`."""

_DECK_KEYS = {"id", "name", "description", "optional"}
_COMMON_KEYS = {"id", "type", "front", "explanation", "domain", "tags", "source", "sibling_of"}
_CARD_KEYS = {
    CardType.BASIC: _COMMON_KEYS | {"back"},
    CardType.MCQ: _COMMON_KEYS | {"choices", "answer"},
}

_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")

_At = Callable[[str], int | None]
"""Finds the line of a key in the table being validated."""


def bundled_deck_dir() -> Path:
    """Where the decks shipped with srs-crss live.

    In an installed wheel they sit inside the package (srs_crss/data/decks); in a
    source checkout (editable install) they are the repository's decks/.
    """
    package = Path(__file__).resolve().parents[1]
    inside = package / "data" / "decks"
    if inside.is_dir():
        return inside
    return package.parents[1] / "decks"


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
    try:
        return read_regular(path, MAX_DECK_BYTES)
    except FileNotFoundError:
        raise DeckError(path, "no such file") from None
    except IsADirectoryError:
        raise DeckError(path, "is a directory, not a deck file") from None
    except FileProblem as exc:
        raise DeckError(path, f"{exc}: give a deck file (.toml)") from None
    except OSError as exc:
        raise DeckError(path, f"cannot read: {exc.strerror}") from None


def decode_deck(raw: bytes, path: Path) -> DeckSpec:
    """Validate a deck file's bytes; `path` is used in messages."""
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (some Windows editors) is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError(path, "not UTF-8 text", line) from None
    deck = parse_deck(text, path)
    return replace(deck, fingerprint=fingerprint(raw))


def parse_deck(text: str, path: Path) -> DeckSpec:
    """Validate the text of a deck file; `path` is used in messages."""
    if not text.strip():
        raise DeckError(path, "file is empty; a deck file needs a [deck] table and [[cards]]")
    try:
        data = toml.loads(text)
    except RecursionError:
        raise DeckError(
            path, "TOML nested too deeply: a deck file is a [deck] and [[cards]]"
        ) from None
    except toml.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in message:
            line = len(text.splitlines()) or 1  # the last line, where the file stopped
        detail = _TOML_POSITION.sub("", message).replace("(at end of document)", "at the end")
        detail = detail.strip()
        raise DeckError(path, f"TOML syntax error: {detail}", line) from None
    return _Validator(text, path).deck(data)


class _Validator:
    """Checks one parsed file and builds its DeckSpec."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.lines = LineFinder(text)

    def fail(self, message: str, line: int | None) -> DeckError:
        return DeckError(self.path, message, line)

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
                f"optional must be true or false, not {_kind(optional)}",
                self.lines.deck_key("optional"),
            )

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
        return DeckSpec(
            id=deck_id,
            name=name,
            description=description,
            path=self.path,
            cards=tuple(cards),
            optional=optional,
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
            line=line,
        )

    def slug(self, table: dict[str, Any], key: str, what: str, at: _At) -> str:
        value = table.get(key)
        if value is None:
            raise self.fail(f'missing {what} ({key} = "...")', at(key))
        if not isinstance(value, str):
            raise self.fail(f"{what} must be a string, not {_kind(value)}", at(key))
        if not SLUG.fullmatch(value):
            raise self.fail(
                f"bad {what} {value!r}: use lowercase letters, digits and single hyphens",
                at(key),
            )
        if len(value) > MAX_ID_LENGTH:
            raise self.fail(
                f"{what} is {len(value)} characters long; at most {MAX_ID_LENGTH}", at(key)
            )
        return value

    def text(
        self, table: dict[str, Any], key: str, at: _At, *, required: bool = False
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {key}", at(key))
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string, not {_kind(value)}", at(key))
        self.refuse_characters(value, key, at)
        value = value.strip()
        if not value:
            if required:
                raise self.fail(f"{key} is empty", at(key))
            return None
        return value

    def refuse_characters(self, value: str, key: str, at: _At) -> None:
        for char, name in REFUSED.items():
            if char in value:
                raise self.fail(f"{key} holds {name}: remove it", at(key))

    def tags(self, table: dict[str, Any], at: _At) -> tuple[str, ...]:
        value = table.get("tags", [])
        if not isinstance(value, list):
            raise self.fail(f"tags must be a list of strings, not {_kind(value)}", at("tags"))
        tags: list[str] = []
        for tag in value:
            if not isinstance(tag, str):
                raise self.fail(f"tags must be strings, not {_kind(tag)}", at("tags"))
            if not SLUG.fullmatch(tag):
                raise self.fail(
                    f"bad tag {tag!r}: use lowercase letters, digits and single hyphens",
                    at("tags"),
                )
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def choices(self, table: dict[str, Any], at: _At) -> tuple[str, ...]:
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


def _kind(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
