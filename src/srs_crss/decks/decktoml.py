"""The TOML rules deck files and task lists share: parsing with line numbers in errors,
finding the line of a key, and checking ids and text fields. Used by deckfile and
tasklist, so both give the same plain messages naming file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from srs_crss.decks.spec import MAX_ID_LENGTH
from srs_crss.errors import DeckError
from srs_crss.untrusted.files import FileProblem, read_regular

try:  # tomli is tomllib compiled with mypyc: the same parser, three times faster
    import tomli as toml
except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is its stdlib twin
    import tomllib as toml  # type: ignore[no-redef]

__all__ = [
    "REFUSED", "SLUG", "At", "LineFinder", "TableValidator", "first_line_of", "kind",
    "parse_toml", "read_bytes",
]  # fmt: skip

REFUSED = {"\x00": "a NUL character (\\u0000)", "\x1f": "a U+001F character (\\u001f)"}
"""Characters no card text may hold: NUL ends strings in C and in databases, and U+001F
is Anki's field separator (one in one card makes Anki refuse the whole exported package).
Other control characters are shown escaped on screen and warned about by `check`."""

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_CARDS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*cards[ \t]*\]\]", re.MULTILINE)
_DECK_HEADER = re.compile(r"^[ \t]*\[[ \t]*deck[ \t]*\]", re.MULTILINE)
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")

At = Callable[[str], int | None]
"""Finds the line of a key in the table being validated."""


def read_bytes(path: Path, missing: str, what: str, limit: int) -> bytes:
    """A file's bytes (at most `limit`), or a DeckError saying why they cannot be read:
    "no such <missing>", "is a directory, not a <what>", "cannot read", too large, or not
    a regular file (a pipe or a device is refused without waiting on it)."""
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        raise DeckError(path, f"no such {missing}") from None
    except IsADirectoryError:
        raise DeckError(path, f"is a directory, not a {what}") from None
    except FileProblem as exc:
        raise DeckError(path, f"{exc}: give a {what} (.toml)") from None
    except OSError as exc:
        raise DeckError(path, f"cannot read: {exc.strerror}") from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """TOML text -> tables, or a DeckError naming the line of the syntax error."""
    try:
        return toml.loads(text)
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


class LineFinder:
    """Maps table and key positions back to line numbers, for messages."""

    def __init__(self, text: str, header: re.Pattern[str] = _CARDS_HEADER) -> None:
        self.lines = text.splitlines()
        self.card_lines: list[int] = []
        line, offset = 1, 0
        for match in header.finditer(text):
            line += text.count("\n", offset, match.start())
            offset = match.start()
            self.card_lines.append(line)
        deck = _DECK_HEADER.search(text)
        self.deck_line = text.count("\n", 0, deck.start()) + 1 if deck else None

    def card(self, index: int) -> int | None:
        if index < len(self.card_lines):
            return self.card_lines[index]
        return None

    def card_key(self, index: int, key: str) -> int | None:
        start = self.card(index)
        if start is None:
            return None
        end = self.card_lines[index + 1] if index + 1 < len(self.card_lines) else None
        return self._key_between(key, start, end) or start

    def deck_key(self, key: str) -> int | None:
        if self.deck_line is None:
            return None
        end = min((n for n in self.card_lines if n > self.deck_line), default=None)
        return self._key_between(key, self.deck_line, end) or self.deck_line

    def _key_between(self, key: str, start: int, end: int | None) -> int | None:
        pattern = re.compile(
            rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*="
        )
        stop = (end - 1) if end is not None else len(self.lines)
        for number in range(start, stop + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None


class TableValidator:
    """Field checks shared by deck files and task lists; `lines` maps keys to lines."""

    def __init__(self, text: str, path: Path, header: re.Pattern[str] = _CARDS_HEADER) -> None:
        self.path = path
        self.lines = LineFinder(text, header)

    def fail(self, message: str, line: int | None) -> DeckError:
        return DeckError(self.path, message, line)

    def slug(self, table: dict[str, Any], key: str, what: str, at: At) -> str:
        value = table.get(key)
        if value is None:
            raise self.fail(f'missing {what} ({key} = "...")', at(key))
        if not isinstance(value, str):
            raise self.fail(f"{what} must be a string, not {kind(value)}", at(key))
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
        self, table: dict[str, Any], key: str, at: At, *, required: bool = False
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {key}", at(key))
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string, not {kind(value)}", at(key))
        self.refuse_characters(value, key, at)
        value = value.strip()
        if not value:
            if required:
                raise self.fail(f"{key} is empty", at(key))
            return None
        return value

    def refuse_characters(self, value: str, key: str, at: At) -> None:
        for char, name in REFUSED.items():
            if char in value:
                raise self.fail(f"{key} holds {name}: remove it", at(key))


def kind(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def first_line_of(key: str, lines: list[str]) -> int | None:
    pattern = re.compile(rf"^\s*\[*\s*{re.escape(key)}\b")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return None
