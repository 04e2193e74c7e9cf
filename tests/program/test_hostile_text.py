"""Text from a deck file or a learner never reaches the terminal raw.

A hostile deck (and a hostile flag note) carries terminal commands: clear the
screen, set the window title, write the clipboard (OSC 52), plant a link
(OSC 8), hide text (ESC[8m), ring the bell, overwrite with backspace and
carriage return, a C1 CSI, a bidi override, and rich markup. The real
program runs in every mode (piped, --plain, JSON, the full screen in a
pseudo-terminal) and its raw output is searched for any of them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import NOW
from tests.program.test_review_tty import spawn

HOSTILE_DECK = r"""
[deck]
id = "evil"
name = "Evil \u001b]0;pwned\u0007 deck [bold]B[/bold] :thumbs_up:"
description = "\u001b[2J"

[[cards]]
id = "clear"
front = "\u001b[2J\u001b[HCleared? \u001b]52;c;aGk=\u0007 [bold]markup[/bold] \u202eabc :warning:"
back = "ring\u0007 back\b\b over\rwrite \u001b[8mhidden\u001b[0m \u009b31m \u007f"
domain = "Dom \u001b[31mred [red]x[/red]"
source = "\u001b]8;;http://evil/\u0007link\u001b]8;;\u0007"
explanation = "why \u001b[8m [link=http://x]l[/link]"
tags = ["t"]

[[cards]]
id = "pick"
type = "mcq"
front = "Pick \u202eone \u001b]52;c;aGk=\u0007 [bold]markup[/bold]"
choices = ["right \u001b[2J", "wrong \u0007", "other [i]x[/i]"]
answer = "right \u001b[2J"
explanation = "because \u001b[8mhidden"
source = "\u001b]8;;http://evil/\u0007link\u001b]8;;\u0007"
domain = "Advocacy"
"""

NOTE = "note \x1b]52;c;aGk=\x07 \x1b[2J \u202eesrever \x9b1m"

RAW = ["\x1b", "\x07", "\x08", "\r", "\x9b", "\x7f", "\u202e", "\x9d"]
"""What must never reach piped or plain output (where srs-crss writes no escapes itself)."""

INJECTED = ["\x1b]", "\x07", "\x1b[8m", "\x1b[2J\x1b[HCleared", "\u202e", "\x9b", "\x08"]
"""What a hostile text would write in the full screen, where rich writes its own ESC[ codes
(ESC]: OSC, title, clipboard and links; rich writes none)."""


@pytest.fixture
def hostile(tmp_path: Path, db: Path) -> Path:
    deck = tmp_path / "evil.toml"
    deck.write_text(HOSTILE_DECK, encoding="utf-8")
    run(db, "sync", str(deck))
    run(db, "--learner", "mallory", "flag", "evil/clear", NOTE)
    return deck


def run(db: Path, *args: str, input: str = "") -> str:
    """The real program, piped: its whole output (stdout and stderr) as text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRS_CRSS")}
    env |= {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "pat"}
    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", *args],
        input=input.encode(),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return (done.stdout + done.stderr).decode("utf-8")


def assert_clean(output: str) -> None:
    found = [repr(c) for c in RAW if c in output]
    assert not found, f"raw {', '.join(found)} in the output:\n{output}"


@pytest.mark.parametrize(
    "args",
    [
        ("decks",),
        ("domains",),
        ("tags",),
        ("show", "evil/clear"),
        ("show", "evil/pick"),
        ("flags",),
        ("check",),
        ("sync",),
        ("stats",),
        ("info",),
    ],
)
def test_listings_show_hostile_text_escaped(db: Path, hostile: Path, args: tuple[str, ...]) -> None:
    extra = (str(hostile),) if args[0] in ("check", "sync") else ()
    output = run(db, *args, *extra)
    assert_clean(output)
    if args[0] in ("show", "flags", "decks", "domains", "check"):
        assert "\\x1b" in output  # shown, as a visible escape


def test_show_prints_markup_as_written(db: Path, hostile: Path) -> None:
    output = run(db, "show", "evil/clear")
    assert "[bold]markup[/bold]" in output and "[link=http://x]l[/link]" in output
    assert "\\x1b]52;c;aGk=\\x07" in output and "\\u202eabc" in output
    assert "[red]x[/red]" in run(db, "domains") and "[bold]B[/bold]" in run(db, "decks")


def test_emoji_codes_are_printed_as_written(db: Path, hostile: Path) -> None:
    assert ":warning:" in run(db, "show", "evil/clear")
    listed = run(db, "decks")
    assert ":thumbs_up:" in listed and "\N{THUMBS UP SIGN}" not in listed


def test_a_flag_note_cannot_forge_the_instructors_screen(db: Path, hostile: Path) -> None:
    output = run(db, "flags")
    assert_clean(output)
    assert "\\x1b]52;c;aGk=\\x07" in output and "\\u202eesrever" in output


def test_plain_review_escapes_card_text(db: Path, hostile: Path) -> None:
    output = run(db, "review", "--deck", "evil", "--plain", input="A\n4\n\n4\n")
    assert_clean(output)
    assert "Q: \\x1b[2J\\x1b[HCleared? \\x1b]52;c;aGk=\\x07 [bold]markup[/bold]" in output
    assert "A: ring\\x07 back\\x08\\x08 over\\x0dwrite \\x1b[8mhidden" in output
    assert "Reviewed: 2" in output  # the hostile text did not stop the session


def test_piped_practice_exam_escapes_card_text(db: Path, hostile: Path) -> None:
    output = run(db, "mock", "--deck", "evil", "--questions", "1", "--seed", "1", input="B\n")
    assert_clean(output)
    assert "Pick \\u202eone \\x1b]52;c;aGk=\\x07 [bold]markup[/bold]" in output


@pytest.mark.parametrize(
    "args",
    [
        ("decks", "--json"),
        ("domains", "--json"),
        ("show", "evil/clear", "--json"),
        ("flags", "--json"),
    ],
)
def test_json_keeps_the_text_escaped(db: Path, hostile: Path, args: tuple[str, ...]) -> None:
    output = run(db, *args)
    assert_clean(output)
    data = json.loads(output)
    assert any("\x1b" in text for text in _strings(data))  # a reader gets what the file holds
    if args[0] == "show":
        assert data["back"] == "ring\x07 back\b\b over\rwrite \x1b[8mhidden\x1b[0m \x9b31m \x7f"
    if args[0] == "flags":
        assert data[0]["note"] == NOTE


def _strings(data: object) -> list[str]:
    """Every string in decoded JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in _strings(key) + _strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def logged(child: pexpect.spawn) -> pexpect.spawn:
    child.logfile_read = io.StringIO()  # everything the program writes to the terminal
    return child


def assert_screen_clean(child: pexpect.spawn) -> None:
    """At the program's end: none of the hostile sequences reached the terminal, and the
    text was shown (escaped, markup as written)."""
    child.expect(pexpect.EOF)
    output = child.logfile_read.getvalue()
    for bad in INJECTED:
        assert bad not in output, f"{bad!r} reached the terminal"
    assert "\\x1b]52;c;aGk=\\x07" in output and "[bold]markup[/bold]" in output


def test_the_review_screen_draws_no_hostile_sequence(db: Path, hostile: Path) -> None:
    child = logged(spawn(db, "review", "--deck", "evil"))
    child.expect("Pick")  # the multiple-choice card comes first
    child.send("a")
    child.expect("because")
    child.send("4")
    child.expect("Cleared")
    child.send(" ")
    child.expect("ring")
    child.send("4")
    child.expect("Session over")
    assert_screen_clean(child)


def test_the_exam_screen_draws_no_hostile_sequence(db: Path, hostile: Path) -> None:
    child = logged(spawn(db, "mock", "--deck", "evil", "--questions", "1", "--seed", "1"))
    child.expect("Press any key")
    child.send(" ")
    child.expect("Pick")
    child.expect(r"([A-C])(?:\x1b\[[0-9;]*m)*\s+(?:\x1b\[[0-9;]*m)*wrong")  # its letter
    child.send(child.match.group(1).lower())  # a wrong answer: the walk-through shows it
    child.send("s")
    child.expect("Submit the exam now")
    child.send("y")
    child.expect("Enter: go through")
    child.send("\r")
    child.expect("because")
    child.send("q")
    assert_screen_clean(child)
