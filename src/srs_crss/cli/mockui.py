"""The practice-exam screens (srs-crss mock): in a terminal, or in a pipe.

- `TerminalExam`: one question at a time with the countdown always on the
  first line; single keys to answer, move, flag, jump and submit; no
  feedback until the end. When the clock runs out the exam is submitted as
  it stands. q or Ctrl-C asks: submit, keep it for later, or abandon.
- `run_plain`: questions printed in order with their number and card id; one
  line per answer (a letter, or empty to skip); end of input submits.

Every answer is saved by MockRun as it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from rich.console import Console
from rich.text import Text

from srs_crss.cli.keys import ENTER, IDLE, LEFT, RIGHT, SPACE, KeyReader, key_name
from srs_crss.cli.render import examscreen, mocktext
from srs_crss.exams.mock import Question, Result
from srs_crss.exams.run import MockRun
from srs_crss.model import ABANDONED, LETTERS, OPEN, SUBMITTED, TIMED_OUT
from srs_crss.untrusted.text import visible


@dataclass(frozen=True, slots=True)
class Ending:
    """How the exam left the screen: submitted, timed out, abandoned, or kept open."""

    status: str
    result: Result | None = None
    unanswered: bool = False
    """Abandoned because it was submitted with no answer at all (not by the learner's choice)."""


def submit(run: MockRun, timed_out: bool = False) -> Ending:
    """Score the exam, unless nothing was answered: then it is abandoned, not scored
    (a 0% would drag the trend down and send every question to the next review)."""
    if not run.answered():
        run.abandon()
        return Ending(ABANDONED, unanswered=True)
    return Ending(TIMED_OUT if timed_out else SUBMITTED, run.submit(timed_out=timed_out))


def _letter_choice(question: Question, key: str) -> str | None:
    letters = LETTERS[: len(question.choices)]
    if len(key) == 1 and key.upper() in letters:
        return question.choices[letters.index(key.upper())]
    return None


# ---------------------------------------------------------------------------
# Plain lines (pipes, scripts, screen readers)
# ---------------------------------------------------------------------------


def run_plain(run: MockRun, lines: IO[str], out: IO[str]) -> Ending:
    """Ask the unanswered questions in order, one input line each; end of input submits."""

    def say(line: str = "") -> None:
        out.write(visible(line) + "\n")  # lines hold card text: never a raw control
        out.flush()

    say(mocktext.MOCK_PLAIN_HELP)
    total = len(run.questions)
    for position in run.unanswered():
        if run.expired():
            say("Time is up.")
            return submit(run, timed_out=True)
        run.go(position)
        question = run.current
        for line in mocktext.mock_question_lines(question, total):
            say(line)
        letters = LETTERS[: len(question.choices)]
        while True:
            say(f"> Your answer ({letters[0]}-{letters[-1]}, empty to skip) "
                f"[{mocktext.clock(run.left_seconds())} left]:")  # fmt: skip
            typed = lines.readline()
            if not typed:
                return submit(run)
            typed = typed.strip()
            if not typed:
                break
            if typed.lower() == "q":
                ending = _plain_stop(run, lines, say)
                if ending is not None:
                    return ending
                continue
            choice = _letter_choice(question, typed)
            if choice is None:
                say(f"! {typed!r} is not one of {letters[0]}-{letters[-1]}: type a letter, "
                    "or an empty line to skip.")  # fmt: skip
                continue
            run.pick(choice)
            break
    return submit(run)


def _plain_stop(run: MockRun, lines: IO[str], say: Callable[[str], None]) -> Ending | None:
    say("> Stop here? s submit it now · k keep it for later · a abandon it · "
        "empty: back to the question")  # fmt: skip
    answer = (lines.readline() or "s").strip().lower()
    if answer == "s":
        return submit(run)
    if answer == "k":
        run.pause()
        return Ending(OPEN)
    if answer == "a":
        run.abandon()
        return Ending(ABANDONED)
    return None


# ---------------------------------------------------------------------------
# A terminal
# ---------------------------------------------------------------------------


class TerminalExam:
    """The exam in a terminal: drawn from its state, so it can be drawn again at any time."""

    def __init__(self, run: MockRun, console: Console, fd: int, title: str) -> None:
        self.run = run
        self.console = console
        self.keys = KeyReader(fd, arrows=True)
        self.title = title
        self.hint: str | None = None
        self._shown_clock = ""
        self._redraw = False

    def request_redraw(self) -> None:
        """Draw again at the next chance (safe to call from a signal handler)."""
        self._redraw = True

    # ---- drawing ----------------------------------------------------------------------

    def _header(self) -> Text:
        run = self.run
        answered = len(run.questions) - len(run.unanswered())
        self._shown_clock = mocktext.clock(math.ceil(run.left_seconds()))
        return examscreen.exam_header(
            run.current, len(run.questions), answered, len(run.flagged()), run.left_seconds()
        )

    def draw(self, extra: Text | None = None) -> None:
        self._redraw = False
        console = self.console
        console.clear()
        console.print(self._header(), overflow="ellipsis", no_wrap=True)
        console.print(examscreen.question_panel(self.run.current, self.title))
        if self.hint:
            console.print(Text(visible(self.hint), style="yellow"))
        console.print(extra or examscreen.exam_keys(len(self.run.current.choices)))

    def _tick(self) -> bool:
        """While waiting for a key: time up? Else keep the clock on screen and saved."""
        run = self.run
        if run.expired():
            return True
        run.tick()
        if self._redraw:  # a resized window (or fg): drawn afresh, an old hint gone
            self.hint = None
            self.draw()
        elif mocktext.clock(math.ceil(run.left_seconds())) != self._shown_clock:
            # the first line only, in place: save the cursor, go home, write, restore
            self.console.file.write("\x1b7\x1b[H")
            self.console.print(self._header(), end="", overflow="ellipsis", no_wrap=True)
            self.console.file.write("\x1b[K\x1b8")
            self.console.file.flush()
        return False

    # ---- the loop -----------------------------------------------------------------------

    def take(self) -> Ending:
        """Run the exam until it is submitted (or time is up), kept or abandoned."""
        key: str | None = None
        while True:
            try:  # Ctrl-C, whenever it comes, is q: it asks before anything is lost
                if key is None:
                    self.draw()
                key = self.keys.next(idle=self._tick)
            except KeyboardInterrupt:
                key = "q"
            if key == IDLE:
                return submit(self.run, timed_out=True)
            try:
                ending = self._act("q" if key is None else key)
            except KeyboardInterrupt:
                ending = self._act("q")
            if ending is not None:
                return ending
            key = None

    def _act(self, key: str) -> Ending | None:
        run = self.run
        self.hint = None
        choice = _letter_choice(run.current, key)
        if choice is not None:
            run.pick(choice)
        elif key in (ENTER, SPACE, RIGHT, "n"):
            if run.position == len(run.questions):
                self.hint = "This is the last question. s submits; u finds unanswered ones."
            run.go(run.position + 1)
        elif key in (LEFT, "p"):
            run.go(run.position - 1)
        elif key == "f":
            run.toggle_flag()
        elif key in ("u", "r"):
            found = run.next_where(
                (lambda q: q.picked is None) if key == "u" else (lambda q: q.flagged)
            )
            if found is None:
                self.hint = "Every question has an answer." if key == "u" else "Nothing flagged."
            else:
                run.go(found)
        elif key == "g":
            self._go_to()
        elif key == "s":
            return self._confirm_submit()
        elif key == "q":
            return self._stop()
        else:
            shown = key_name(key)
            self.hint = f"{shown} does nothing here; the keys are below."
        return None

    def _go_to(self) -> None:
        self.console.print(Text(f"Go to question (1-{len(self.run.questions)}):", style="bold"))
        typed = self.keys.line() or ""
        if typed.isdigit() and 1 <= int(typed) <= len(self.run.questions):
            self.run.go(int(typed))
        elif typed:
            self.hint = f"{typed!r} is not a question number (1-{len(self.run.questions)})."

    def _confirm_submit(self) -> Ending | None:
        self.draw(
            examscreen.confirm_lines(
                self.run.unanswered(), self.run.flagged(), len(self.run.questions)
            )
        )
        key = self._key_or_timeout()
        if key == IDLE:
            return submit(self.run, timed_out=True)
        if key == "y":
            return submit(self.run)
        return None

    def _stop(self) -> Ending | None:
        self.draw(
            Text(
                "Stop the exam? s submit it now · k keep it for later (srs-crss mock --resume) "
                "· a abandon it · any other key: back",
                style="bold",
            )
        )
        key = self._key_or_timeout()
        if key == IDLE:
            return submit(self.run, timed_out=True)
        if key == "s":
            return submit(self.run)
        if key == "k" or key is None:
            self.run.pause()
            return Ending(OPEN)
        if key == "a":
            self.run.abandon()
            return Ending(ABANDONED)
        return None

    def _key_or_timeout(self) -> str | None:
        try:
            key = self.keys.next(idle=self._tick)
        except KeyboardInterrupt:
            return None
        return key.lower() if key and len(key) == 1 else key

    # ---- after the exam ----------------------------------------------------------------------

    def walk_missed(self, missed: list[Question], summary: list[object]) -> None:
        """Go through the missed questions one at a time; the result stays on screen."""
        if not missed:
            return
        index = 0
        while True:
            self.console.clear()
            self.console.print(examscreen.missed_panel(missed[index], index + 1, len(missed)))
            self.console.print(Text(examscreen.WALK_KEYS, style="dim"))
            try:
                key = self.keys.next()
            except KeyboardInterrupt:
                key = None
            if key is None or key == "q":
                break
            if key in (ENTER, SPACE, RIGHT, "n"):
                if index + 1 == len(missed):
                    break
                index += 1
            elif key in (LEFT, "p"):
                index = max(0, index - 1)
        self.console.clear()
        for part in summary:
            self.console.print(part)
