"""Practice-exam benchmark (issue 14).

Drawing a 100-question exam from a bank of 5,000 multiple-choice items with
1,000 earlier attempts (100,000 answered questions) in the history: the time
until the first question is on screen is at most 1.5x the time `review` takes
to show its first card on the same database, measured in the same run.

Both commands run the real program with piped input (plain mode); each run
works on a fresh copy of the database, so the exams drawn do not pile up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path
from typing import IO

from benchmarks.common import WORK, Figure, srs
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"
ITEMS = 5_000  # write_deck makes one card in five multiple choice
ATTEMPTS = 1_000
QUESTIONS = 100
RUNS = 5


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}


def add_attempts(db: Path, attempts: int = ATTEMPTS, seed: int = 11) -> None:
    """`attempts` submitted 100-question exams over the last two years, by SQL."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    with con:
        learner = con.execute("SELECT id FROM learners WHERE name = 'bench'").fetchone()[0]
        mcq = [
            (pk, json.loads(choices))
            for pk, choices in con.execute(
                "SELECT id, choices FROM cards WHERE type = 'mcq' AND retired = 0"
            )
        ]
        end = dt.datetime.fromisoformat(NOW).replace(tzinfo=None)  # stored as naive UTC
        for n in range(attempts):
            started = end - dt.timedelta(days=730 * (attempts - n) / attempts)
            exam = con.execute(
                "INSERT INTO mock_exams (learner_id, profile, decks, seed, pass_percent,"
                " pass_is_estimate, time_limit_ms, used_ms, started_at, finished_at, status,"
                " correct, asked) VALUES (?, 'crss', '[\"bench-00\"]', ?, 68, 0, 7200000,"
                " 3600000, ?, ?, 'submitted', ?, ?)",
                (
                    learner,
                    n,
                    started.isoformat(sep=" "),
                    (started + dt.timedelta(hours=1)).isoformat(sep=" "),
                    rng.randint(40, 95),
                    QUESTIONS,
                ),
            ).lastrowid
            con.executemany(
                "INSERT INTO mock_questions (exam_id, position, card_id, choices, picked,"
                " flagged, spent_ms) VALUES (?, ?, ?, ?, ?, 0, 30000)",
                [
                    (exam, pos, pk, json.dumps(choices), rng.choice(choices))
                    for pos, (pk, choices) in enumerate(rng.sample(mcq, QUESTIONS), start=1)
                ],
            )
    con.close()


def _until(stream: IO[str], prefix: str) -> None:
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit(f"the command ended before a line starting {prefix!r}")
        if line.startswith(prefix):
            return


def time_to_first_question(master: Path, scratch: Path, *args: str) -> float:
    """Seconds from starting `srs-crss ARGS` to its first "Q:" line, on a fresh copy."""
    for suffix in ("-wal", "-shm"):
        scratch.with_name(scratch.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(master, scratch)
    start = time.perf_counter()
    proc = subprocess.Popen(
        srs(*args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(scratch),
    )
    assert proc.stdout is not None and proc.stdin is not None
    _until(proc.stdout, "Q:")
    elapsed = time.perf_counter() - start
    proc.stdin.write("q\n")  # review: quit; mock: stop (then the end of input closes it)
    proc.stdin.close()
    proc.wait()
    return elapsed


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building the 5,000-item bank with 1,000 earlier practice exams ...", flush=True)
    bank = build_database(WORK / "mock-bank.db", cards=ITEMS * 5, decks=1, reviews=100_000)
    master = WORK / "mock.db"  # the bank plus the attempts, rebuilt when the bank is
    if not master.exists() or master.stat().st_mtime < bank.stat().st_mtime:
        shutil.copyfile(bank, master)
        add_attempts(master)
    scratch = WORK / "mock-scratch.db"
    review, mock = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        review.append(time_to_first_question(master, scratch, "review"))
        mock.append(time_to_first_question(master, scratch, "mock", "--plain"))
    first_review, first_mock = statistics.median(review), statistics.median(mock)
    return [
        Figure(
            "mock: first question (5,000 items, 1,000 attempts) vs review's first card",
            first_mock / first_review,
            "x",
            1.5,
            f"{first_mock:.2f} s vs {first_review:.2f} s",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
