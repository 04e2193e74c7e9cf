"""Key presses in a terminal in cbreak mode: single keys, typed-ahead kept, lines on request.

Shared by the review screen (cli/terminal.py) and the practice-exam screen
(cli/mockui.py).
"""

from __future__ import annotations

import os
import select
from collections.abc import Callable

ENTER = "enter"
SPACE = "space"
LEFT = "left"
RIGHT = "right"
IDLE = ""
"""Returned by `KeyReader.next` when its `idle` callback asks to stop waiting."""

POLL_SECONDS = 0.2
"""How long a wait for a key lasts before checking for signals, redraws and clocks again."""

_NAMES = {
    ENTER: "Enter",
    SPACE: "Space",
    LEFT: "The left arrow",
    RIGHT: "The right arrow",
    "\t": "Tab",
    "\x7f": "Backspace",
    "\x08": "Backspace",
    "\x1b": "Escape",
}


def key_name(key: str) -> str:
    """A key as a person would name it in a hint: "Tab", "Ctrl-G", "'x'" (never a Python
    escape such as '\\t', and never a control character sent to the terminal)."""
    if key in _NAMES:
        return _NAMES[key]
    if len(key) == 1 and ord(key) < 0x20:
        return f"Ctrl-{chr(ord(key) + 0x40)}"
    if key.isprintable():
        return f"'{key}'"
    return "That key"


_ARROWS = {b"\x1b[D": LEFT, b"\x1b[C": RIGHT, b"\x1bOD": LEFT, b"\x1bOC": RIGHT}


class KeyReader:
    """Keys from a terminal file descriptor; keys typed ahead are applied in order."""

    def __init__(self, fd: int, arrows: bool = False) -> None:
        self.fd = fd
        self.arrows = arrows
        """Report the left and right arrow keys (LEFT, RIGHT); otherwise they are dropped."""
        self.typed = b""

    def next(self, idle: Callable[[], bool] | None = None) -> str | None:
        """The next key: a character, ENTER, SPACE (or LEFT / RIGHT); None at end of input;
        IDLE when `idle` (called every POLL_SECONDS while waiting) returns True."""
        while True:
            key = self.take()
            if key is not None:
                return None if key == "\x04" else key
            # A timeout, so a Ctrl-C that lands just before select() starts is still
            # noticed (Python runs signal handlers between calls), and a resize redraws.
            ready, _, _ = select.select([self.fd], [], [], POLL_SECONDS)
            if idle is not None and idle():
                return IDLE
            if ready:
                data = os.read(self.fd, 64)
                if not data:
                    return None
                self.typed += data

    def take(self) -> str | None:
        """One key from what was typed: a character, ENTER or SPACE; escape sequences
        (arrow keys and the like) are dropped unless `arrows` asks for the arrows."""
        while self.typed:
            data = self.typed
            if data[:1] == b"\x1b":
                end = 1
                if data[1:2] in (b"[", b"O"):
                    end = 2
                    while end < len(data) and not 0x40 <= data[end] <= 0x7E:
                        end += 1
                    end += 1
                self.typed = data[end:]
                if self.arrows and data[:end] in _ARROWS:
                    return _ARROWS[data[:end]]
                continue
            for size in (1, 2, 3, 4):  # one UTF-8 character
                try:
                    char = data[:size].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                self.typed = data[size:]
                break
            else:
                self.typed = data[1:]
                continue
            if char in ("\r", "\n"):
                return ENTER
            return SPACE if char == " " else char
        return None

    def line(self) -> str | None:
        """A line typed with the terminal's own editing (echo on), then single keys again."""
        import termios  # POSIX only: imported where used, so the key names load everywhere

        single_keys = termios.tcgetattr(self.fd)
        lines = termios.tcgetattr(self.fd)
        lines[3] |= termios.ICANON | termios.ECHO
        termios.tcsetattr(self.fd, termios.TCSADRAIN, lines)
        try:
            data = self.typed
            self.typed = b""
            while b"\n" not in data and b"\r" not in data:
                chunk = os.read(self.fd, 1024)
                if not chunk:
                    return None
                data += chunk
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, single_keys)
        line, _, rest = data.replace(b"\r", b"\n").partition(b"\n")
        self.typed = rest
        return line.decode("utf-8", "replace").strip()
