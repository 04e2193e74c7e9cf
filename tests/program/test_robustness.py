"""Never lose a review: SIGKILL mid-session, and two processes on one database."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_basic_deck
from tests.robustness import check_database, env_for, read_until, review_and_kill, start_review


@pytest.fixture
def big_deck(tmp_path: Path, db: Path) -> Path:
    deck = write_basic_deck(tmp_path / "deck.toml", 99)
    subprocess.run(
        [sys.executable, "-m", "srs_crss", "sync", str(deck)], env=env_for(db), check=True,
        capture_output=True,
    )  # fmt: skip
    return deck


@pytest.mark.parametrize("seed", range(5))
def test_sigkill_never_loses_a_confirmed_answer(db: Path, big_deck: Path, seed: int) -> None:
    rng = random.Random(seed)
    confirmed = sent = 0
    for _ in range(2):  # two crashed sessions in a row on the same database
        crash = review_and_kill(db, rng, answers=12)
        confirmed += crash.confirmed
        sent += crash.sent
        # every confirmed answer is in the log (with its state), nothing invented
        assert confirmed <= check_database(db) <= sent


def test_two_processes_answer_200_cards_between_them(db: Path, big_deck: Path) -> None:
    """Both sessions queue the same cards: every answer must build on the one before it."""
    procs = [start_review(db, "--new", "100") for _ in range(2)]
    export = subprocess.Popen(
        [sys.executable, "-m", "srs_crss", "export-anki", "--out", str(db.parent / "x.apkg")],
        env=env_for(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    answered = [0, 0]
    for proc in procs:
        assert read_until(proc, "Q:") is not None
    while sum(answered) < 200:
        for index, proc in enumerate(procs):
            if answered[index] >= 100:
                continue
            assert proc.stdin is not None
            proc.stdin.write("4\n" if (sum(answered) % 3) else "1\n")
            proc.stdin.flush()
            answered[index] += 1
            if answered[index] < 100:
                assert read_until(proc, "Q:") is not None
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)  # closes stdin: end of input ends the session
        outputs.append(out + err)
        assert proc.returncode == 0, err
    _, export_err = export.communicate(timeout=60)
    assert export.returncode == 0, export_err
    for text in outputs:
        assert "locked" not in text and "Traceback" not in text
    assert check_database(db) == 200
