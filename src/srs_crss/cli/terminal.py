"""The review screen in a real terminal: rich drawing and single key presses.

The screen is drawn from its state (card, answer shown or not, note, hint,
prompt), so it can be drawn again at any time: after a hint (which replaces
the previous one), when the window is resized, and when the session comes
back from Ctrl-Z. Keys typed ahead are kept and applied in order.
"""

from __future__ import annotations

import os
import signal
import termios
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from rich.console import Console
from rich.markup import escape

from srs_crss.cli.keys import KeyReader
from srs_crss.cli.render import screen
from srs_crss.cli.render.text import nothing_due_line
from srs_crss.cli.ui import grades_after
from srs_crss.model import Card, NothingDue, Progress, Summary
from srs_crss.untrusted.text import visible

OTHER_KEYS = "u undo · s suspend · f flag · q quit"
"""The keys that act on any card, at the end of every prompt."""

MORE = "e"
"""The key that shows an explanation cut short to fit the window."""


class TerminalScreen:
    """rich rendering and single key presses."""

    reveal_prompt = "Space or Enter: show the answer"

    def __init__(self, console: Console, fd: int) -> None:
        self.console = console
        self.fd = fd
        self._card: Card | None = None
        self._progress: Progress | None = None
        self._choices: list[str] = []
        self._picked: str | None = None
        self._answer_shown = False
        self._whole_explanation = False
        self._explanation_cut = False
        self._note: str | None = None
        self._note_shown: str | None = None
        self._hint: str | None = None
        self._prompt: str | None = None
        self._keys = KeyReader(fd)
        self._redraw = False

    # ---- what the review loop calls --------------------------------------------

    def show_front(self, card: Card, progress: Progress, choices: list[str]) -> None:
        self._card, self._progress, self._choices = card, progress, choices
        self._picked, self._answer_shown, self._whole_explanation = None, False, False
        self._hint, self._prompt = None, None
        # a note (e.g. what undo did) stays on the card drawn after it, until it is answered
        self._note_shown, self._note = self._note, None
        self._draw()

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        self._picked, self._answer_shown = picked, True
        self._hint, self._prompt = None, None
        self._draw()

    def key(self, prompt: str) -> str | None:
        """The next key (typed ahead or awaited), or None at end of input."""
        if prompt != self._prompt:
            self._prompt = prompt
            self.console.print(self._prompt_line())
        while True:
            key = self._next_key()
            if key == MORE and self._explanation_cut:
                self._whole_explanation = True
                self._draw()
                continue
            return key

    def hint(self, text: str) -> None:
        self._hint = text
        self._draw()

    def note(self, text: str) -> None:
        self._note = text

    def ask(self, question: str) -> str | None:
        """A line typed with the terminal's own editing (echo on), then single keys again."""
        self.console.print(f"[bold]{escape(visible(question))}[/bold]")
        return self._keys.line()

    def finish(self, summary: Summary) -> None:
        self.console.print()
        self.console.print(screen.summary_panel(summary))

    def nothing_due(self, info: NothingDue) -> None:
        self.console.print(nothing_due_line(info))

    def request_redraw(self) -> None:
        """Draw again at the next chance (safe to call from a signal handler)."""
        self._redraw = True

    # ---- drawing ----------------------------------------------------------------

    def _draw(self) -> None:
        self._redraw = False
        console = self.console
        console.clear()
        if self._card is None or self._progress is None:
            return
        for renderable in self._layout():
            if renderable != "":  # (a line kept free for the prompt)
                console.print(renderable)

    def _layout(self) -> list[Any]:
        """What fits the window, header first: the question, its choices and the verdict
        always; the explanation cut to the lines left (`e` shows it whole), the grade keys
        on one line when space is short. In a small window the card loses its blank
        padding, then the explanation and the grade legend (the prompt names the grades),
        then a note, so the header and the question are never pushed off the top."""
        assert self._card is not None and self._progress is not None
        for compact in (False, True):  # (built one at a time: each sets _explanation_cut)
            layout = self._layout_with(compact)
            if self._whole_explanation or self._fits_prompted(layout):
                return layout
        smallest = self._layout_with(compact=True, bare=True)
        if self._fits_prompted(smallest) or not self._note_shown:
            return smallest
        return self._layout_with(compact=True, bare=True, note=False)

    def _fits_prompted(self, layout: list[Any]) -> bool:
        """Whether a layout fits once its last line, the prompt (empty until the review
        loop asks for a key), is at its longest."""
        return self._fits([*layout[:-1], self._prompt_line(more=True)])

    def _layout_with(self, compact: bool, bare: bool = False, note: bool = True) -> list[Any]:
        """One layout: `compact` draws the card without its blank padding, `bare` leaves
        out the explanation and the grade legend, `note=False` the note above the card."""
        assert self._card is not None and self._progress is not None
        card, choices, picked = self._card, self._choices, self._picked
        top: list[Any] = [screen.session_header(self._progress)]
        top += [
            f"[bold]{escape(visible(text))}[/bold]" for text in (self._note_shown,) if text and note
        ]
        shown = picked if self._answer_shown else None
        top += [screen.card_panel(card, choices, shown, compact=compact)]
        hint = [f"[yellow]{escape(visible(self._hint))}[/yellow]"] if self._hint else []
        self._explanation_cut = False
        if not self._answer_shown:
            return [*top, *hint, self._prompt_line()]
        grades = grades_after(card, picked)
        if bare:
            self._explanation_cut = bool(card.explanation or card.source)
            answer = screen.answer_panel(card, choices, picked, "", source=False)
            return [*top, answer, *hint, self._prompt_line()]
        prompt = [*hint, self._prompt_line(more=True)]  # the longest it can be
        answer = screen.answer_panel(card, choices, picked)
        for keys in (screen.grade_keys(grades), screen.grade_keys(grades, one_line=True)):
            if self._whole_explanation or self._fits([*top, answer, keys, *prompt]):
                return [*top, answer, keys, *hint, self._prompt_line()]
        self._explanation_cut = True
        rest = [*top, keys, *prompt]
        words = (card.explanation or "").split()

        def cut(count: int, source: bool) -> Any:
            text = " ".join(words[:count]) + " …"
            return screen.answer_panel(card, choices, picked, text, source=source)

        # the source goes (behind `e` too) only when not one word would fit with it
        source = self._fits([cut(0, True), *rest])
        low, high = 0, len(words)  # the most words of the explanation that still fit
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits([cut(middle, source), *rest]):
                low = middle
            else:
                high = middle - 1
        return [*top, cut(low, source), keys, *hint, self._prompt_line()]

    def _height(self, renderables: list[Any]) -> int:
        options = self.console.options
        return sum(len(self.console.render_lines(r, options, pad=False)) for r in renderables)

    def _fits(self, renderables: list[Any]) -> bool:
        # one line to spare: the cursor rests on the line after the last one drawn
        return self._height(renderables) < self.console.height

    def _prompt_line(self, more: bool = False) -> str:
        """The keys that act now (an empty line until the review loop asks for a key);
        with `more`, the longest it can be, to measure the room it takes."""
        if not self._prompt and not more:
            return ""
        extra = f" · {MORE} read all" if more or self._explanation_cut else ""
        prompt = self._prompt or "Grade 0-5 (Enter = 4)"
        return f"[dim]{escape(prompt)}{extra} · {OTHER_KEYS}[/dim]"

    # ---- keys ---------------------------------------------------------------------

    def _next_key(self) -> str | None:
        return self._keys.next(idle=self._idle)

    def _idle(self) -> bool:
        if self._redraw:  # a resized window (or fg): drawn afresh, an old hint gone
            self._hint = None
            self._draw()
        return False


@contextmanager
def cbreak(fd: int, redraw: Callable[[], None] | None = None) -> Iterator[None]:
    """Single key presses without echo; Ctrl-C still interrupts. Restored on exit.

    Ctrl-Z gives the shell its terminal back before stopping; `fg` brings the
    key mode back and draws the screen again, as does resizing the window.
    """
    saved = termios.tcgetattr(fd)

    def suspend(_signum: int, _frame: FrameType | None) -> None:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until `fg` sends SIGCONT

    def resume(_signum: int, _frame: FrameType | None) -> None:
        tty.setcbreak(fd)
        signal.signal(signal.SIGTSTP, suspend)
        if redraw is not None:
            redraw()

    def resized(_signum: int, _frame: FrameType | None) -> None:
        if redraw is not None:
            redraw()

    handlers = {signal.SIGTSTP: suspend, signal.SIGCONT: resume, signal.SIGWINCH: resized}
    previous = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
