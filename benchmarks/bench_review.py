"""Review benchmarks (issue 3) on 100,000 cards and 1,000,000 reviews.

- time to the first card: at most 1.5x `python -c "import sqlalchemy.orm, typer"`
  (the floor for any command that opens the database);
- answer-to-next-card latency, commit included: median < 5 ms, p99 < 30 ms;
- peak memory (max RSS) of that session: < 100 MB.

The session runs the real program with piped input (plain mode), so the
timings include writing and reading the pipe.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import IO

from benchmarks.common import WORK, Figure, median_time, peak_rss_kib, srs
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"
ANSWERS = 400


def _env(db: str) -> dict[str, str]:
    return {**os.environ, "SRS_CRSS_DB": db, "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}


def _until(stream: IO[str], prefix: str) -> str:
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit(f"review ended before a line starting {prefix!r}")
        if line.startswith(prefix):
            return line


def grade_line(proc: subprocess.Popen[str], grade: str) -> str:
    """At the next prompt of a piped review, the line that grades the card shown: for a
    multiple-choice card the letter is sent first (then an empty line takes the grade
    the choice earned)."""
    assert proc.stdout is not None and proc.stdin is not None
    if not _until(proc.stdout, "> ").startswith("> Your answer"):
        return f"{grade}\n"
    proc.stdin.write("a\n")
    proc.stdin.flush()
    _until(proc.stdout, "> Grade")
    return "\n"


def time_to_first_card(db: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        srs("review"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(db)
    )
    assert proc.stdout is not None and proc.stdin is not None
    _until(proc.stdout, "Q:")
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait()
    return elapsed


def answer_latencies(db: str) -> tuple[list[float], int]:
    """Latencies (s) from sending a grade to reading the next card; and max RSS in KiB."""
    proc = subprocess.Popen(
        srs("review", "--limit", str(ANSWERS + 1)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(db),
        bufsize=1,
    )
    assert proc.stdout is not None and proc.stdin is not None
    latencies: list[float] = []
    _until(proc.stdout, "Q:")
    for i in range(ANSWERS):
        line = grade_line(proc, "4" if i % 7 else "1")
        start = time.perf_counter()
        proc.stdin.write(line)
        proc.stdin.flush()
        _until(proc.stdout, "Q:")
        latencies.append(time.perf_counter() - start)
    peak_kib = peak_rss_kib(proc.pid)  # read while it runs: VmHWM goes with the process
    proc.stdin.write("q\n")
    proc.stdin.close()
    proc.wait()
    return latencies, peak_kib


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 100,000-card / 1,000,000-review database ...", flush=True)
    db = build_database(WORK / "big.db")
    scratch = WORK / "big-scratch.db"
    for suffix in ("-wal", "-shm"):
        (WORK / f"big-scratch.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, scratch)

    floor = median_time([sys.executable, "-c", "import sqlalchemy.orm, typer"], runs=5)
    first = statistics.median(time_to_first_card(str(scratch)) for _ in range(5))
    latencies, max_rss_kib = answer_latencies(str(scratch))
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return [
        Figure(
            "review: time to first card vs import floor",
            first / floor,
            "x",
            1.5,
            f"{first:.2f} s vs {floor:.2f} s",
        ),
        Figure("review: answer to next card, median", statistics.median(latencies) * 1000, "ms", 5),
        Figure("review: answer to next card, p99", p99 * 1000, "ms", 30),
        Figure("review: peak memory of the session", max_rss_kib / 1024, "MB", 100),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
