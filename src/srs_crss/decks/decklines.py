"""Where a key of a deck file is written: table and key positions mapped back to lines.

tomllib returns plain dicts without positions; deckfile's messages name the
line of the key at fault, found here from the text (a [[cards]] header starts
each card, a key is `name =` at the start of a line).
"""

from __future__ import annotations

import re

_CARDS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*cards[ \t]*\]\]", re.MULTILINE)
_DECK_HEADER = re.compile(r"^[ \t]*\[[ \t]*deck[ \t]*\]", re.MULTILINE)


class LineFinder:
    """Maps table and key positions back to line numbers, for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.card_lines: list[int] = []
        line, offset = 1, 0
        for match in _CARDS_HEADER.finditer(text):
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


def first_line_of(key: str, lines: list[str]) -> int | None:
    pattern = re.compile(rf"^\s*\[*\s*{re.escape(key)}\b")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return None
