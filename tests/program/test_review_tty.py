"""The real program in a pseudo-terminal, pressing keys as a person would."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import NOW, write_basic_deck

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(db: Path, *args: str, columns: int = 80, **env: str) -> pexpect.spawn:
    inherited = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env = {
        **inherited,
        "SRS_CRSS_DB": str(db),
        "SRS_CRSS_NOW": NOW,
        "SRS_CRSS_LEARNER": "pat",
        "TERM": "xterm-256color",
        "COLUMNS": str(columns),
        "LINES": "40",
        **env,
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "srs_crss", *args],
        env=full_env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, columns),
    )


@pytest.fixture
def deck(tmp_path: Path, mini: Path) -> Path:
    return write_basic_deck(tmp_path / "basic.toml", 3)


def sync(db: Path, *paths: Path) -> None:
    child = spawn(db, "sync", *map(str, paths))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_session_with_single_key_presses(db: Path, deck: Path, mini: Path) -> None:
    sync(db, deck, mini)
    child = spawn(db, "review", "--deck", "many", "--new", "3")
    child.expect("0 done")
    child.expect("Front 0")
    child.expect("Space or Enter")
    child.send("x")  # means nothing: a hint, no crash
    child.expect("does nothing here")
    child.send(" ")
    child.expect("Back 0")
    child.expect("perfect recall")
    child.send("4")  # no Enter needed
    child.expect("1 done")
    child.expect("Front 1")
    child.send("\r")
    child.expect("Back 1")
    child.send("1")  # failed: comes back later this session
    child.expect("Front 2")
    child.send("u")  # undo the 1: card 1 again
    child.expect("Undid your answer to many/c01")
    child.expect("Front 1")
    child.send(" ")
    child.send("5")
    child.expect("Front 2")
    child.send("q")
    child.expect("Session over")
    child.expect("Reviewed: 2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    show = spawn(db, "show", "many/c01", "--json")
    show.expect(pexpect.EOF)
    data = json.loads(ANSI.sub("", show.before).replace("\r\n", "\n"))
    assert [h["grade"] for h in data["history"]] == [5]


def test_multiple_choice_in_a_terminal(db: Path, mini: Path) -> None:
    sync(db, mini)
    child = spawn(db, "review", "--deck", "mini", "--new", "2")
    child.expect("Front|What is empathy")
    child.send(" ")
    child.send("4")
    child.expect("Which quality matters most")
    child.expect(r"Your answer \(A-D\)")
    screen = ANSI.sub("", child.before)
    letters = dict(re.findall(r"([A-D])  (Charisma|Empathy|Assertiveness|Expertise)", screen))
    right = next(letter for letter, text in letters.items() if text == "Empathy")
    child.send(right.lower())
    child.expect("Correct!")
    child.expect(r"Grade 3-5 \(Enter = 4\)")
    child.send("\r")
    child.expect("Session over")
    child.expect("Correct: 100%")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_no_color_and_narrow_terminal(db: Path, deck: Path) -> None:
    sync(db, deck)
    child = spawn(db, "review", "--new", "1", columns=40, NO_COLOR="1")
    child.logfile_read = io.StringIO()
    child.expect("Space or Enter")
    child.send(" ")
    child.expect("perfect recall")
    child.send("4")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    output = child.logfile_read.getvalue()
    assert "Front 0" in output and "Back 0" in output
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", output)  # no colours
    visible = ANSI.sub("", output).replace("\r", "").split("\n")
    assert max(len(line) for line in visible) <= 40  # wrapped to the terminal


def test_ctrl_c_quits_cleanly_and_keeps_answers(db: Path, deck: Path) -> None:
    sync(db, deck)
    child = spawn(db, "review", "--new", "3")
    child.expect("Space or Enter")
    child.send(" ")
    child.send("5")
    child.expect("Front 1")
    child.sendintr()
    child.expect("Session over")
    child.expect("Reviewed: 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_ctrl_d_quits(db: Path, deck: Path) -> None:
    sync(db, deck)
    child = spawn(db, "review", "--new", "1")
    child.expect("Space or Enter")
    child.sendeof()
    child.expect("Session over")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
