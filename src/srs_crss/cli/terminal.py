"""The review screen in a real terminal: rich drawing and single key presses."""

from __future__ import annotations

import os
import select
import termios
import tty
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from srs_crss.cli.render import views
from srs_crss.cli.render.text import nothing_due_line
from srs_crss.cli.ui import ENTER, SPACE, grades_after
from srs_crss.model import Card
from srs_crss.session import NothingDue, Progress, Summary

# ---------------------------------------------------------------------------


POLL_SECONDS = 0.2
"""How long a wait for a key lasts before checking for signals again."""


class TerminalScreen:
    """rich rendering and single key presses."""

    reveal_implied = False

    def __init__(self, console: Console, fd: int) -> None:
        self.console = console
        self.fd = fd
        self._front: tuple[Card, Progress, list[str]] | None = None

    def show_front(
        self, card: Card, progress: Progress, choices: list[str], picked: str | None = None
    ) -> None:
        """The header and the card; after an answer, the choices marked right and wrong."""
        self._front = (card, progress, choices)
        self.console.clear()
        self.console.print(views.session_header(progress))
        self.console.print(views.card_panel(card, choices, picked))

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        if self._front is not None:  # redraw without the old prompt line, choices marked
            self.show_front(*self._front, picked=picked)
        self.console.print(views.answer_panel(card, choices, picked))
        self.console.print(views.grade_keys(grades_after(card, picked)), end="")

    def key(self, prompt: str) -> str | None:
        self.console.print(f"[dim]{prompt}  ·  u undo  ·  q quit[/dim]")
        while True:
            # A timeout, so a Ctrl-C that lands just before select() starts is
            # still noticed (Python runs signal handlers between calls).
            ready, _, _ = select.select([self.fd], [], [], POLL_SECONDS)
            if not ready:
                continue
            data = os.read(self.fd, 32)
            if not data or data == b"\x04":
                return None
            if data.startswith(b"\x1b"):
                continue  # arrow keys and other escape sequences mean nothing here
            char = data[:1].decode("utf-8", "replace")
            if char in ("\r", "\n"):
                return ENTER
            if char == " ":
                return SPACE
            return char

    def hint(self, text: str) -> None:
        self.console.print(f"[yellow]{text}[/yellow]")

    def note(self, text: str) -> None:
        self.console.print(text)

    def finish(self, summary: Summary) -> None:
        self.console.print()
        self.console.print(views.summary_panel(summary))

    def nothing_due(self, info: NothingDue) -> None:
        self.console.print(nothing_due_line(info))


@contextmanager
def cbreak(fd: int) -> Iterator[None]:
    """Single key presses without echo; Ctrl-C still interrupts. Restored on exit."""
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
