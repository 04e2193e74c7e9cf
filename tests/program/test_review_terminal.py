"""The review screen as a person sees it: the real program in a pseudo-terminal, its
output read through a terminal emulator (pyte), so each test checks the screen itself."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pyte
import pytest

from tests.conftest import NOW, write_basic_deck

ROWS, COLUMNS = 24, 80


class Terminal:
    """A pseudo-terminal running a command, with the screen a person would see."""

    def __init__(self, child: pexpect.spawn, rows: int = ROWS, columns: int = COLUMNS) -> None:
        self.child = child
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)

    def read(self, wait: float = 0.3) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, needle: str, seconds: float = 15) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.2)
            if needle in self.text():
                return self.text()
        raise AssertionError(f"{needle!r} never shown; the screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, rows: int, columns: int) -> None:
        self.screen.resize(rows, columns)
        self.child.setwinsize(rows, columns)


def _env(db: Path) -> dict[str, str]:
    # no COLUMNS / LINES: the program must follow the terminal's own size
    inherited = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    return {
        **inherited,
        "SRS_CRSS_DB": str(db),
        "SRS_CRSS_NOW": NOW,
        "SRS_CRSS_LEARNER": "pat",
        "TERM": "xterm-256color",
    }


@pytest.fixture
def term(db: Path, tmp_path: Path) -> Iterator[Terminal]:
    deck = write_basic_deck(tmp_path / "basic.toml", 6)
    mcq = tmp_path / "mcq.toml"
    long = " ".join(f"Reason {n} why the other choices fall short." for n in range(12))
    mcq.write_text(
        '[deck]\nid = "quiz"\nname = "Quiz"\n\n[[cards]]\nid = "q1"\ntype = "mcq"\n'
        'front = "A person you support says they are thinking about ending their life. '
        'What should you do FIRST?"\n'
        'choices = ["Ask directly about suicide and stay with them while you get help", '
        '"Change the subject to something more hopeful to lift their mood", '
        '"Promise to keep it secret so that they keep trusting you", '
        '"Give them a list of phone numbers and end the meeting on time"]\n'
        'answer = "Ask directly about suicide and stay with them while you get help"\n'
        f'explanation = "{long}"\ndomain = "Ethical Responsibility"\n'
        'source = "A source document with a long name, for the test (2024)"\n'
    )
    done = pexpect.run(
        f"{sys.executable} -m srs_crss sync {deck} {mcq}", env=_env(db), withexitstatus=True
    )
    assert done[1] == 0, done[0]
    children: list[pexpect.spawn] = []

    def start(*args: str, rows: int = ROWS, columns: int = COLUMNS) -> Terminal:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "srs_crss", *args],
            env=_env(db),
            dimensions=(rows, columns),
        )
        children.append(child)
        return Terminal(child, rows, columns)

    yield start  # type: ignore[misc]
    for child in children:
        child.close(force=True)


def test_keys_typed_ahead_are_applied_in_order(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "3")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send(" 4 5")  # reveal and grade, twice, before anything is drawn
    t.wait_for("Front 2")
    assert "2 done" in t.text()


def test_a_hint_replaces_the_previous_one(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send("xyzxyzxyzxyz")
    t.wait_for("'z' does nothing here")
    t.read(0.5)
    screen = t.text()
    assert screen.count("does nothing here") == 1
    assert "0 done" in screen and "Front 0" in screen  # the card is still on screen


def test_the_card_id_is_shown(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    assert "many/c00" in t.wait_for("Front 0")


def test_after_undo_the_note_stays_on_the_card_that_comes_back(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "2")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send(" 4")
    t.wait_for("Front 1")
    t.send("u")
    screen = t.wait_for("Undid your answer to many/c00")
    assert "Front 0" in screen
    t.send(" ")
    screen = t.wait_for("Back 0")
    assert "Undid your answer to many/c00" in screen  # still there after the reveal


def test_resizing_the_window_redraws(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.resize(30, 60)
    t.read(1.0)
    lines = t.text().splitlines()
    assert any("Front 0" in line for line in lines)
    border = next(line for line in lines if line.startswith("╰"))
    assert len(border) == 60  # the card's box follows the new width


def test_multiple_choice_fits_80x24_and_the_rest_is_one_key_away(term: object) -> None:
    t = term("review", "--deck", "quiz", "--new", "1")  # type: ignore[operator]
    screen = t.wait_for("Your answer (A-D)")
    letter = next(line.split()[0] for line in screen.splitlines() if "Ask directly" in line).strip(
        "│ ✓✗"
    )
    wrong = next(x for x in "abcd" if x.upper() != letter)
    t.send(wrong)
    screen = t.wait_for("Not quite")
    assert "0 done" in screen  # the header is still on screen
    assert "FIRST?" in screen and "Ask directly" in screen and "end the meeting" in screen
    assert "e read all" in screen and "Reason 11" not in screen
    t.send("e")
    assert "Reason 11 why" in t.wait_for("Reason 11")
    t.send("\r")
    t.wait_for("1 done")  # failed: the card comes back later today
    t.send("q")
    t.wait_for("Session over")


def test_ctrl_z_then_fg_brings_the_keys_and_the_screen_back(db: Path, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "basic.toml", 3)
    env = _env(db)
    shell = pexpect.spawn(
        "bash", ["--norc", "--noprofile", "-i"], env=env, dimensions=(ROWS, COLUMNS)
    )
    try:
        t = Terminal(shell)
        shell.sendline(f"{sys.executable} -m srs_crss sync {deck} >/dev/null")
        shell.sendline(f"{sys.executable} -m srs_crss review --new 2")
        t.wait_for("Front 0")
        t.send("\x1a")  # Ctrl-Z
        t.wait_for("Stopped")
        shell.sendline("fg")
        t.read(1.0)
        screen = t.wait_for("Front 0")
        assert "Space or Enter" in screen  # drawn again
        t.send(" ")  # one key, no Enter: the key mode is back
        t.wait_for("Back 0")
        t.send("4")
        t.wait_for("Front 1")
        t.send("q")
        t.wait_for("Session over")
    finally:
        shell.close(force=True)


def test_flagging_a_card_from_the_terminal(term: object, db: Path) -> None:
    import json
    import subprocess

    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send("f")
    t.wait_for("What looks wrong with this card?")
    t.send("Typo in the front\r")
    t.wait_for("Flagged for the deck's authors")
    t.send(" ")  # single keys again
    t.wait_for("Back 0")
    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", "flags", "--json"],
        env=_env(db),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [f["note"] for f in json.loads(done.stdout)] == ["Typo in the front"]


def test_unknown_keys_are_named_in_plain_words(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send("\t")
    screen = t.wait_for("Tab does nothing here")
    assert "'\\t'" not in screen
    t.send("\x07")
    assert "\\x07" not in t.wait_for("Ctrl-G does nothing here")


@pytest.mark.parametrize(("rows", "columns"), [(24, 80), (20, 60)])
def test_after_a_multiple_choice_answer_the_header_and_question_stay_on_screen(
    term: object, rows: int, columns: int
) -> None:
    t = term("review", "--deck", "quiz", "--new", "1", rows=rows, columns=columns)  # type: ignore[operator]
    screen = t.wait_for("Your answer (A-D)")
    assert screen.splitlines()[0].startswith(" 0 done")
    letter = next(line.split()[0] for line in screen.splitlines() if "Ask directly" in line).strip(
        "│ ✓✗"
    )
    t.send(next(x for x in "abcd" if x.upper() != letter))
    t.wait_for("Not quite")
    screen = t.wait_for("Grade 0-2")
    lines = screen.splitlines()
    assert lines[0].startswith(" 0 done")  # the header: first line, not scrolled away
    assert "FIRST?" in screen and "Ask directly" in screen  # the question and the answer
    assert "e read all" in screen
    t.send("1")  # failed: it comes back, with a note saying why, above the card
    screen = t.wait_for("comes back before this session ends")
    assert screen.splitlines()[0].startswith(" 1 done") and "FIRST?" in screen
    t.send("q")
    t.wait_for("Session over")


def test_a_hint_goes_when_the_window_is_resized(term: object) -> None:
    t = term("review", "--deck", "many", "--new", "1")  # type: ignore[operator]
    t.wait_for("Front 0")
    t.send("x")
    t.wait_for("'x' does nothing here")
    t.resize(30, 60)
    t.read(1.0)
    screen = t.text()
    assert "Front 0" in screen and "does nothing here" not in screen
