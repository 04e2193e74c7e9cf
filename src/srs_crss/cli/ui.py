"""The review screen: drawing cards and reading keys, in a terminal or a pipe.

One loop (`run`) drives a Session through a `Screen`. Two screens exist:

- `TerminalScreen` (cli/terminal.py): rich rendering and single key presses
  (no Enter), for a person at a terminal. Honours NO_COLOR and narrow
  terminals.
- `PlainScreen`: plain text with no ANSI codes, each card's qualified id
  printed, keys read one per line; for scripts, tests and screen readers.
  Reveal is implied there.

Keys: Space/Enter reveal; 0-5 grade; A, B, C, ... pick a choice; u undo; q
quit. Ctrl-C and end of input quit too. Every answer is committed before
the next card is drawn.
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Protocol

from srs_crss.cli.entry import release_collector
from srs_crss.cli.keys import ENTER, SPACE, key_name
from srs_crss.cli.render import text
from srs_crss.cli.render.text import (
    GRADE_KEYS,
    nothing_due_line,
    summary_lines,
)
from srs_crss.model import LETTERS, Card, CardType, NothingDue, Progress, Summary, shuffled_choices
from srs_crss.sm2 import Grade
from srs_crss.study.session import Session
from srs_crss.untrusted.text import visible

AGAIN_NOTE = (
    "{card} comes back before this session ends: a card graded below 4 (below 3 when "
    'cramming) is asked again today. The header\'s "again today" counts these.'
)

LEECH_NOTE = (
    "{card} has now been forgotten {lapses} times, so it is suspended (a leech). Drilling "
    "it again rarely helps: read its source, or rewrite it in your own words (or flag it "
    "with f if it looks wrong); `srs-crss unsuspend {card}` brings it back."
)
FLAG_QUESTION = "What looks wrong with this card? (a few words; Enter alone: never mind)"

PLAIN_HELP = (
    "One line per answer. After a question: an empty line shows the answer, then type a "
    "grade 0-5 (or type the grade at once); for a multiple-choice question, the letter, "
    "then the grade. u undoes the last answer, s suspends the card, f flags a card that looks "
    "wrong, q stops."
)


class Screen(Protocol):
    """What the review loop needs from a front end."""

    reveal_prompt: str
    """What to do to see the answer of a basic card (a grade given instead skips it)."""

    def show_front(self, card: Card, progress: Progress, choices: list[str]) -> None: ...
    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None: ...
    def key(self, prompt: str) -> str | None:
        """The next key (a character, ENTER or SPACE), or None at end of input."""
        ...

    def hint(self, text: str) -> None: ...
    def ask(self, question: str) -> str | None:
        """A line of text (e.g. what is wrong with a card), or None at end of input."""
        ...

    def note(self, text: str) -> None: ...
    def finish(self, summary: Summary) -> None: ...
    def nothing_due(self, info: NothingDue) -> None: ...


class _Quit(Exception):
    """The learner asked to stop (q, Ctrl-C, end of input)."""


class _Undo(Exception):
    """The learner asked to take back the previous answer."""


class _Suspended(Exception):
    """The learner took the current card out of review."""


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
                what = "suspension of" if session.undo_takes_back_a_suspension() else "answer to"
                undone = session.undo()
                if undone is not None:
                    screen.note(f"Undid your {what} {undone.qualified_id}; here it is again.")
            except _Suspended:
                gone = session.suspend()
                if gone is not None:
                    screen.note(
                        f"Suspended {gone.qualified_id}: out of review until "
                        f"`srs-crss unsuspend {gone.qualified_id}` (u: undo it now)."
                    )
    except (_Quit, KeyboardInterrupt):
        pass
    summary = session.summary()
    screen.finish(summary)
    return summary


def _one_card(session: Session, screen: Screen, card: Card) -> None:
    mcq = card.type is CardType.MCQ
    choices = shuffled_choices(card, session.review_count(card)) if mcq else []
    screen.show_front(card, session.progress(), choices)
    session.ready()  # while the learner reads it
    release_collector()  # start-up is over (cli/entry.py)
    started = time.monotonic()
    picked: str | None = None
    if mcq:
        letters = LETTERS[: len(choices)]
        key = _read(
            screen, f"Your answer ({letters[0]}-{letters[-1]})", set(letters.lower()), session
        )
        picked = choices[letters.lower().index(key)]
    else:
        key = _read(screen, screen.reveal_prompt, {SPACE, ENTER, *GRADE_KEYS}, session)
        if key in GRADE_KEYS:  # graded without looking: as sure as that
            _answer(session, screen, card, Grade(int(key)), started, None)
            return
    screen.show_back(card, choices, picked)
    allowed = grades_after(card, picked)
    default = {"345": "4", "012": "1"}.get(allowed)
    prompt = f"Grade {allowed[0]}-{allowed[-1]}" + (f" (Enter = {default})" if default else "")
    keys = set(allowed) | ({ENTER} if default else set())
    key = _read(screen, prompt, keys, session)
    grade = Grade(int(default if key == ENTER and default else key))
    _answer(session, screen, card, grade, started, picked)


def _answer(
    session: Session, screen: Screen, card: Card, grade: Grade, started: float, picked: str | None
) -> None:
    """Record the answer (timed from `started`); say so once if the card became a leech."""
    elapsed_ms = int((time.monotonic() - started) * 1000)
    done = session.answer(grade, elapsed_ms, picked)
    if done.leech:
        lapses = session.options.leech_lapses
        screen.note(LEECH_NOTE.format(card=card.qualified_id, lapses=lapses))
    elif done.requeued and sum(a.requeued for a in session.answered) == 1:  # said once
        screen.note(AGAIN_NOTE.format(card=card.qualified_id))


def grades_after(card: Card, picked: str | None) -> str:
    """Any grade for a basic card; 3-5 after a right pick, 0-2 after a wrong one."""
    if card.type is not CardType.MCQ:
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
        if key == "s":
            raise _Suspended
        if key == "f":
            note = screen.ask(FLAG_QUESTION)
            if note and note.strip():
                session.flag(note)
                screen.hint("Flagged for the deck's authors: thank you.")
            else:
                screen.hint("Not flagged.")
            continue
        shown = key_name(key)
        screen.hint(f"{shown} does nothing here. {prompt}; u: undo; s: suspend; f: flag; q: quit.")


# ---------------------------------------------------------------------------
# Plain text (pipes)
# ---------------------------------------------------------------------------


class PlainScreen:
    """Line-oriented, no ANSI codes: one key per input line, for scripts and screen readers.

    A basic card's answer is printed only after an empty line (the reveal); a grade
    typed straight away is taken as it is, so a script gives one line per card.
    """

    reveal_prompt = f"Grade {GRADE_KEYS[0]}-{GRADE_KEYS[-1]}"

    def __init__(self, stdin: IO[str], stdout: IO[str]) -> None:
        self.stdin = stdin
        self.out = stdout
        self._print(PLAIN_HELP)

    def _print(self, text: str = "") -> None:
        self.out.write(visible(text) + "\n")  # render/ escaped card text; this keeps notes safe
        self.out.flush()

    def show_front(self, card: Card, progress: Progress, choices: list[str]) -> None:
        missed = f"{progress.missed} missed in a practice exam, " if progress.missed else ""
        self._print(
            f"--- card {progress.done + 1}: {progress.done} done, {progress.left} left "
            f"({missed}{progress.new} new, {progress.review} review, "
            f"{progress.extra} again today)"
        )
        for line in text.front_lines(card, choices):
            self._print(line)

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        for line in text.back_lines(card, choices, picked, grades_after(card, picked)):
            self._print(line)

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

    def ask(self, question: str) -> str | None:
        self._print(f"> {question}:")
        line = self.stdin.readline()
        return line.strip() if line else None

    def note(self, text: str) -> None:
        self._print(text)

    def finish(self, summary: Summary) -> None:
        for line in summary_lines(summary):
            self._print(line)

    def nothing_due(self, info: NothingDue) -> None:
        self._print(nothing_due_line(info))


NO_SINGLE_KEYS = (
    "This terminal cannot read single key presses here (Python has no termios on this "
    "system), so the review runs in plain mode: type each answer, then Enter. "
    "`srs-crss serve` studies in your browser instead."
)


def interactive() -> bool:
    """Whether stdin and stdout are a terminal a person is typing at, and single keys can
    be read from it (termios: not on Windows)."""
    return at_terminal() and single_keys()


def at_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def single_keys() -> bool:
    """Whether this Python can put a terminal in single-key mode (termios, POSIX only)."""
    if os.name != "posix":
        return False
    try:
        import termios  # noqa: F401 - only whether it is there
    except ImportError:
        return False
    return True
