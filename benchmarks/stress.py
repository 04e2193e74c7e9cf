"""Stress (issue 7): 50 review sessions killed with SIGKILL, and 1,000 fuzzed deck files;
and (issue 24) hostile Anki packages and overlapping imports (benchmarks/hostile.py).

- Each crash: a real `srs-crss review` process answering cards is killed at a
  random moment; the database must pass PRAGMA integrity_check, hold every
  answer whose next card had been printed, and have state and log in step.
- Each fuzzed file (mutations of a valid deck, and random text) must load
  cleanly or fail with a DeckError naming the file (and a line); a sync of a
  bad file must leave the database byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import write_basic_deck
from tests.robustness import check_database, env_for, review_and_kill
from tests.unit.test_fuzz import load_or_error, mutated

from benchmarks.common import Figure
from benchmarks.hostile import hostile_runs

CRASHES = 50
FUZZ = 1000


def crash_runs() -> tuple[int, int]:
    survived = answers = 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "stress.db"
        deck = write_basic_deck(Path(folder) / "deck.toml", 99)
        subprocess.run(
            [sys.executable, "-m", "srs_crss", "sync", str(deck)], env=env_for(db), check=True,
            capture_output=True,
        )  # fmt: skip
        rng = random.Random(2026)
        confirmed = sent = 0
        for run in range(CRASHES):
            if run % 10 == 0 and run:  # a fresh learner now and then keeps new cards coming
                db.unlink()
                for suffix in ("-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                subprocess.run(
                    [sys.executable, "-m", "srs_crss", "sync", str(deck)], env=env_for(db),
                    check=True, capture_output=True,
                )  # fmt: skip
                confirmed = sent = 0
            crash = review_and_kill(db, rng, answers=10)
            confirmed += crash.confirmed
            sent += crash.sent
            rows = check_database(db)
            if confirmed <= rows <= sent:
                survived += 1
            answers += crash.confirmed
    return survived, answers


def fuzz_runs() -> int:
    from srs_crss.errors import DeckError
    from srs_crss.service import App
    from srs_crss.settings.run import Settings

    clean = 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fuzz.db"
        deck = Path(folder) / "fuzz.toml"
        settings_ = Settings(
            database=str(db), learner="f", environ={"SRS_CRSS_NOW": "2026-11-22T10:00:00+00:00"}
        )  # noqa: E501
        with App(settings_) as app:
            app.store.learners.id_of("f", app.now())

            @settings(
                max_examples=FUZZ, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow],
            )  # fmt: skip
            @given(st.one_of(mutated(), st.text(max_size=300)))
            def one(text: str) -> None:
                nonlocal clean
                load_or_error(text)
                deck.write_text(text, encoding="utf-8")
                before = hashlib.sha256(db.read_bytes()).hexdigest()
                try:
                    app.sync([deck])
                except DeckError:
                    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
                clean += 1

            one()
    return clean


def run() -> list[Figure]:
    hostile = hostile_runs()
    survived, answers = crash_runs()
    clean = fuzz_runs()
    return [
        Figure(
            f"SIGKILL runs with a broken guarantee (of {CRASHES}; {answers} confirmed answers)",
            CRASHES - survived, "runs", 0,
        ),
        Figure(f"fuzzed deck files that did not end cleanly (of {clean})", FUZZ - clean, "files",
               0),
        *hostile,
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
