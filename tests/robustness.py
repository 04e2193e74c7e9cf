"""Helpers shared by the robustness tests and the stress script (benchmarks/stress.py):
run real review processes, kill them, and check that state and log agree."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

NOW = "2026-11-22T10:00:00+00:00"


def env_for(db: Path, learner: str = "alex") -> dict[str, str]:
    return {
        **os.environ,
        "SRS_CRSS_DB": str(db),
        "SRS_CRSS_NOW": NOW,
        "SRS_CRSS_LEARNER": learner,
        "NO_COLOR": "1",
    }


def start_review(db: Path, *args: str, learner: str = "alex") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "srs_crss", "review", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        env=env_for(db, learner),
    )


def read_until(proc: subprocess.Popen[str], prefix: str) -> str | None:
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            return None
        if line.startswith(prefix):
            return line


@dataclass
class Crash:
    """One killed session: how many answers were certainly committed."""

    confirmed: int
    sent: int


def review_and_kill(db: Path, rng: random.Random, answers: int = 30) -> Crash:
    """Answer cards one by one and SIGKILL the process at a random moment.

    An answer is confirmed once the next card has been printed: the program
    commits every answer before it shows the next card.
    """
    proc = start_review(db, "--new", str(answers + 5))
    assert proc.stdin is not None
    kill_after = rng.randrange(1, answers)
    confirmed = sent = 0
    if read_until(proc, "Q:") is None:
        raise AssertionError("review printed no card")
    for _ in range(kill_after):
        proc.stdin.write(rng.choice("0123455") + "\n")
        proc.stdin.flush()
        sent += 1
        if read_until(proc, "Q:") is None:
            break
        confirmed = sent
    # one more answer in flight, then SIGKILL at a random moment around it
    proc.stdin.write("4\n")
    proc.stdin.flush()
    sent += 1
    time.sleep(rng.random() * 0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return Crash(confirmed=confirmed, sent=sent)


def check_database(db: Path) -> int:
    """Integrity, and state and log in agreement; returns the number of log rows."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        columns = "repetitions, ef, interval, due, extra, lapses"
        before = ", ".join(f"{c}_before" for c in columns.split(", "))
        rows = conn.execute(
            f"SELECT learner_id, card_id, id, {before}, {columns} FROM reviews"
            " ORDER BY learner_id, card_id, id"
        ).fetchall()
        last: dict[tuple[int, int], tuple[object, ...]] = {}
        for learner, card, _, *states in rows:
            prior, after = tuple(states[:6]), tuple(states[6:])
            key = (learner, card)
            if key in last:  # each answer was applied to the state the previous one left
                assert prior == last[key], (key, prior, last[key])
            else:
                assert prior[0] == 0 and prior[3] is None  # the first answer saw a new card
            last[key] = after
        states = {
            (learner, card): tuple(rest)
            for learner, card, *rest in conn.execute(
                f"SELECT learner_id, card_id, {columns} FROM card_states"
            )
        }
        assert states == last  # every state is exactly its last log row's "after"
        return len(rows)
    finally:
        conn.close()
