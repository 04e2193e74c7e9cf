"""The review where Python has no termios (Windows): plain mode, one line saying so.

The real program runs in a pseudo-terminal with `termios` and `tty` made
unimportable, the way they are missing on Windows.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect

from tests.conftest import NOW, write_basic_deck
from tests.program.test_review_tty import sync

WITHOUT_TERMIOS = (
    "import sys; sys.modules['termios'] = None; sys.modules['tty'] = None; "
    "sys.argv = ['srs-crss', *sys.argv[1:]]; "
    "from srs_crss.cli import main; main()"
)


def test_a_review_without_termios_runs_in_plain_mode(db: Path, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "basic.toml", 2)
    sync(db, deck)
    child = pexpect.spawn(
        sys.executable,
        ["-c", WITHOUT_TERMIOS, "review", "--deck", "many", "--new", "2"],
        env={**os.environ, **_env(db)},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )
    child.expect("cannot read single key presses here")
    child.expect("plain mode")
    child.expect("Front 0")
    child.sendline("")
    child.expect("Back 0")
    child.sendline("4")
    child.expect("Front 1")
    child.sendline("5")
    child.expect("Session over")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    done = pexpect.run(
        f"{sys.executable} -m srs_crss stats --json",
        env={**os.environ, **_env(db)},
        encoding="utf-8",
    )
    assert json.loads(done)["today"]["reviewed"] == 2


def _env(db: Path) -> dict[str, str]:
    return {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "pat"}
