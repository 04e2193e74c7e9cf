"""Learners flag cards that look wrong; deck authors list the flags with each card's source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke


def test_flag_a_card_and_list_the_flags(cli: Invoke, three: Path) -> None:
    result = cli("flag", "many/c01", "  The back   contradicts the source ")
    assert result.exit_code == 0 and "Flagged many/c01: thank you." in result.output
    cli("--learner", "sam", "flag", "many/c01", "Typo in the front")
    data = json.loads(cli("flags", "--json").stdout)
    assert [(f["card"], f["learner"], f["note"]) for f in data] == [
        ("many/c01", "alex", "The back contradicts the source"),
        ("many/c01", "sam", "Typo in the front"),
    ]
    assert data[0]["flagged_at"] == "2026-11-22T10:00:00Z" and "source" in data[0]
    text = cli("flags").output
    assert "many/c01  (alex, 2026-11-22)" in text and "source:" in text


def test_a_flag_changes_nothing_in_study(cli: Invoke, three: Path) -> None:
    cli("flag", "many/c00", "looks wrong")
    shown = json.loads(cli("show", "many/c00", "--json").stdout)
    assert shown["state"]["repetitions"] == 0 and shown["history"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("flag", "many/c01", "   "), "say in a few words what looks wrong"),
        (("flag", "many/c01", "x" * 501), "under 500 characters"),
        (("flag", "many/nope", "wrong"), "no card 'nope' in deck 'many'"),
        (("flag", "nodeck", "wrong"), "expected DECK/CARD"),
    ],
)
def test_bad_flags_are_refused(
    cli: Invoke, three: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2 and message in result.output
    assert json.loads(cli("flags", "--json").stdout) == []


def test_flag_from_the_review_screen(cli: Invoke, three: Path) -> None:
    result = cli("review", "--new", "1", input="f\nThe answer is outdated\n4\n")
    assert "Flagged for the deck's authors: thank you." in result.output
    flags = json.loads(cli("flags", "--json").stdout)
    assert [(f["card"], f["note"]) for f in flags] == [("many/c00", "The answer is outdated")]
    assert "Reviewed: 1" in result.output  # and the card was still answered
    skipped = cli("review", "--new", "1", input="f\n\n4\n")
    assert "Not flagged." in skipped.output


def test_a_flag_in_a_study_file_says_it_stays_there(cli: Invoke, three: Path, db: Path) -> None:
    said = " ".join(cli("flag", "many/c01", "Typo").output.split())
    assert f"It is kept in your study file ({db})" in said
    assert "the deck's authors do not see" in said and "Deck authors see it" not in said


def test_flags_on_an_ascii_terminal_are_ascii(cli: Invoke, three: Path, db: Path) -> None:
    import os
    import subprocess
    import sys

    cli("flag", "many/c01", "Typo 😀 here — and here…")
    env = {**os.environ, "SRS_CRSS_DB": str(db), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", "flags"], env=env, capture_output=True, check=True
    )
    assert done.stdout.isascii(), done.stdout
    assert b"Typo ? here - and here..." in done.stdout
