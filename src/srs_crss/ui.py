"""The review screen: drawing cards and reading keys, in a terminal or a pipe.

One loop (`run`) drives a Session through a `Screen`. Two screens exist:

- `TerminalScreen`: rich rendering and single key presses (no Enter), for
  a person at a terminal. Honours NO_COLOR and narrow terminals.
- `PlainScreen`: plain text with no ANSI codes, each card's qualified id
  printed, keys read one per line; for scripts, tests and screen readers.
  Reveal is implied there.

Keys: Space/Enter reveal; 0-5 grade; A, B, C, ... pick a choice; u undo; q
quit. Ctrl-C and end of input quit too. Every answer is committed before
the next card is drawn.
"""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Protocol

from srs_crss.model import Card
from srs_crss.session import NothingDue, Progress, Session, Summary, shuffled_choices
from srs_crss.sm2 import Grade

if TYPE_CHECKING:
    from rich.console import Console

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
QUIT = "quit"
UNDO = "undo"
ENTER = "enter"
SPACE = "space"
GRADE_KEYS = "012345"


class Screen(Protocol):
    """What the review loop needs from a front end."""

    reveal_implied: bool

    def show_front(self, card: Card, progress: Progress, choices: list[str]) -> None: ...
    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None: ...
    def key(self, prompt: str) -> str | None:
        """The next key (a character, ENTER or SPACE), or None at end of input."""
        ...

    def hint(self, text: str) -> None: ...
    def note(self, text: str) -> None: ...
    def finish(self, summary: Summary) -> None: ...
    def nothing_due(self, info: NothingDue) -> None: ...


class _Quit(Exception):
    """The learner asked to stop (q, Ctrl-C, end of input)."""


class _Undo(Exception):
    """The learner asked to take back the previous answer."""


def run(session: Session, screen: Screen) -> Summary | None:
    """Review until the queue is empty or the learner quits; None if nothing was due."""
    if session.current() is None:
        screen.nothing_due(session.nothing_due())
        return None
    try:
        while (card := session.current()) is not None:
            try:
                _one_card(session, screen, card)
            except _Undo:
                undone = session.undo()
                if undone is not None:
                    screen.note(f"Undid your answer to {undone.qualified_id}; here it is again.")
    except (_Quit, KeyboardInterrupt):
        pass
    summary = session.summary()
    screen.finish(summary)
    return summary


def _one_card(session: Session, screen: Screen, card: Card) -> None:
    choices = shuffled_choices(card, session.review_count(card)) if card.type == "mcq" else []
    screen.show_front(card, session.progress(), choices)
    started = time.monotonic()
    picked: str | None = None
    if card.type == "mcq":
        letters = LETTERS[: len(choices)]
        key = _read(
            screen, f"Your answer ({letters[0]}-{letters[-1]})", set(letters.lower()), session
        )
        picked = choices[letters.lower().index(key)]
    elif not screen.reveal_implied:
        _read(screen, "Space or Enter: show the answer", {SPACE, ENTER}, session)
    screen.show_back(card, choices, picked)
    allowed = _grades_after(card, picked)
    default = {"345": "4", "012": "1"}.get(allowed)
    prompt = f"Grade {allowed[0]}-{allowed[-1]}" + (f" (Enter = {default})" if default else "")
    keys = set(allowed) | ({ENTER} if default else set())
    key = _read(screen, prompt, keys, session)
    grade = int(default if key == ENTER and default else key)
    elapsed_ms = int((time.monotonic() - started) * 1000)
    session.answer(grade, elapsed_ms)


def _grades_after(card: Card, picked: str | None) -> str:
    """Any grade for a basic card; 3-5 after a right pick, 0-2 after a wrong one."""
    if card.type != "mcq":
        return GRADE_KEYS
    return "345" if picked == card.answer else "012"


def _read(screen: Screen, prompt: str, allowed: set[str], session: Session) -> str:
    """Read keys until one in `allowed` (or u / q); meaningless keys get a hint."""
    while True:
        key = screen.key(prompt)
        if key is None:
            raise _Quit
        key = key if key in (ENTER, SPACE) else key.lower()
        if key in allowed:
            return key
        if key == "q":
            raise _Quit
        if key == "u":
            if session.can_undo():
                raise _Undo
            screen.hint("Nothing to undo yet.")
            continue
        shown = {ENTER: "Enter", SPACE: "Space"}.get(key, repr(key))
        screen.hint(f"{shown} does nothing here. {prompt}; u: undo; q: quit.")


def grade_legend(allowed: str = GRADE_KEYS) -> list[tuple[str, str]]:
    return [(q, Grade(int(q)).meaning) for q in allowed]


# ---------------------------------------------------------------------------
# Plain text (pipes)
# ---------------------------------------------------------------------------


class PlainScreen:
    """Line-oriented, no ANSI codes: one key per input line."""

    reveal_implied = True

    def __init__(self, stdin: IO[str], stdout: IO[str]) -> None:
        self.stdin = stdin
        self.out = stdout

    def _print(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show_front(self, card: Card, progress: Progress, choices: list[str]) -> None:
        self._print(
            f"--- card {progress.done + 1}: {progress.done} done, {progress.left} left "
            f"({progress.new} new, {progress.review} review, {progress.extra} extra)"
        )
        domain = f" / {card.domain}" if card.domain else ""
        self._print(f"[{card.qualified_id}] {card.deck_name}{domain}")
        self._print(f"Q: {card.front}")
        for letter, choice in zip(LETTERS, choices, strict=False):
            self._print(f"  {letter}) {choice}")

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        if card.type == "mcq":
            right = LETTERS[choices.index(card.answer or "")]
            verdict = "Correct." if picked == card.answer else "Not quite."
            self._print(f"{verdict} Answer: {right}) {card.answer}")
        else:
            self._print(f"A: {card.back}")
        if card.explanation:
            self._print(f"Why: {card.explanation}")
        if card.source:
            self._print(f"Source: {card.source}")
        allowed = _grades_after(card, picked)
        self._print("Grades: " + " | ".join(f"{q} {m}" for q, m in grade_legend(allowed)))

    def key(self, prompt: str) -> str | None:
        self._print(f"> {prompt}:")
        line = self.stdin.readline()
        if not line:
            return None
        text = line.strip()
        if not text:
            return ENTER
        return text  # longer lines are refused by the loop with a hint, then asked again

    def hint(self, text: str) -> None:
        self._print(f"! {text}")

    def note(self, text: str) -> None:
        self._print(text)

    def finish(self, summary: Summary) -> None:
        for line in summary_lines(summary):
            self._print(line)

    def nothing_due(self, info: NothingDue) -> None:
        self._print(nothing_due_line(info))


def summary_lines(summary: Summary) -> list[str]:
    minutes, seconds = divmod(round(summary.seconds), 60)
    days = "day" if summary.streak == 1 else "days"
    return [
        "Session over.",
        f"Reviewed: {summary.reviewed}   Correct: {summary.percent_correct:.0f}%   "
        f"Time: {minutes}m {seconds:02d}s",
        f"Due tomorrow: {summary.due_tomorrow}   Streak: {summary.streak} {days}",
    ]


def nothing_due_line(info: NothingDue) -> str:
    when = f"The next card is due on {info.next_due.isoformat()}." if info.next_due else ""
    if info.new_available and info.new_limit_reached:
        new = (
            f" {info.new_available} new cards are waiting; today's new-card limit is used up"
            " (use --new N for more)."
        )
    elif info.new_available:
        new = f" {info.new_available} new cards are available."
    else:
        new = ""
    return f"Nothing due right now. {when}{new}".strip()


# ---------------------------------------------------------------------------
# A real terminal
# ---------------------------------------------------------------------------


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
        from rich.panel import Panel
        from rich.text import Text

        self._front = (card, progress, choices)
        c = self.console
        c.clear()
        head = Text()
        head.append(f" {progress.done} done", style="bold")
        head.append(f" · {progress.left} left  ")
        head.append(f"new {progress.new}", style="cyan")
        head.append(" · ")
        head.append(f"review {progress.review}", style="green")
        head.append(" · ")
        head.append(f"extra {progress.extra}", style="yellow")
        c.print(head)
        body = Text(card.front, style="bold")
        if choices:
            body.append("\n")
            for letter, choice in zip(LETTERS, choices, strict=False):
                style, mark = "", " "
                if picked is not None and choice == card.answer:
                    style, mark = "bold green", "✓"
                elif picked is not None and choice == picked:
                    style, mark = "red strike", "✗"
                body.append(f"\n{mark}{letter}  ", style=style or "bold cyan")
                body.append(choice, style=style)
        title = card.deck_name + (f" · {card.domain}" if card.domain else "")
        c.print(Panel(body, title=title, title_align="left", border_style="blue", padding=(1, 2)))

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        from rich.panel import Panel
        from rich.text import Text

        if self._front is not None:  # redraw without the old prompt line, choices marked
            self.show_front(*self._front, picked=picked)
        body = Text()
        if card.type == "mcq":
            right = LETTERS[choices.index(card.answer or "")]
            if picked == card.answer:
                body.append("Correct! ", style="bold green")
            else:
                mine = LETTERS[choices.index(picked)] if picked in choices else "?"
                body.append(f"Not quite: you chose {mine}. ", style="bold red")
            body.append(f"The answer is {right}: {card.answer}")
        else:
            body.append(card.back or "")
        if card.explanation:
            body.append("\n\n")
            body.append(card.explanation)
        if card.source:
            body.append("\n\nSource: ", style="dim")
            body.append(card.source, style="dim")
        self.console.print(Panel(body, title="Answer", title_align="left", border_style="green"))
        allowed = _grades_after(card, picked)
        legend = Text()
        for q, meaning in grade_legend(allowed):
            legend.append(f" {q} ", style="bold reverse")
            legend.append(f" {meaning}\n")
        self.console.print(legend, end="")

    def key(self, prompt: str) -> str | None:
        self.console.print(f"[dim]{prompt}  ·  u undo  ·  q quit[/dim]")
        while True:
            ready, _, _ = select.select([self.fd], [], [])
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
        from rich.panel import Panel

        self.console.print()
        self.console.print(
            Panel("\n".join(summary_lines(summary)[1:]), title="Session over", border_style="blue")
        )

    def nothing_due(self, info: NothingDue) -> None:
        self.console.print(nothing_due_line(info))


@contextmanager
def cbreak(fd: int) -> Iterator[None]:
    """Single key presses without echo; Ctrl-C still interrupts. Restored on exit."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def interactive() -> bool:
    """Whether stdin and stdout are a terminal a person is typing at."""
    return sys.stdin.isatty() and sys.stdout.isatty() and os.name == "posix"
