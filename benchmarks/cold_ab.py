"""Cold starts against Anki, quickly: the first card, deck counts and stats (issue 30).

Usage: .venv/bin/python benchmarks/cold_ab.py [first] [decks] [stats] [--runs N]

The same jobs as benchmarks/bench_anki.py's cold figures, on synced copies of its
100,000-card collection (built by `benchmarks/run anki`), interleaved, min and median:
a minute instead of the whole suite, for trying a change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_anki as anki  # noqa: E402
from benchmarks.common import WORK, srs, time_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jobs", nargs="*", default=["first", "decks", "stats"])
    parser.add_argument("--runs", type=int, default=16)
    args = parser.parse_args()
    source, collection = WORK / "big.db", WORK / "anki-big" / "collection.anki2"
    if not source.exists() or not collection.exists():
        raise SystemExit("run `benchmarks/run anki` once first: it builds the collections")
    db, col = WORK / "cold-ab.db", WORK / "cold-ab.anki2"
    for original, copy in ((source, db), (collection, col)):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        anki._copy_synced(original, copy)
    env = {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": anki.NOW}
    env |= {"SRS_CRSS_LEARNER": "bench", "COLUMNS": "100"}

    def theirs(kind: str) -> Callable[[], float]:
        return lambda: time_command([sys.executable, "-c", anki.ANKI[kind], str(col)])

    jobs: dict[str, tuple[Callable[[], float], Callable[[], float]]] = {
        "first": (lambda: anki._srs_first(env), lambda: anki._anki_first(col)),
        "decks": (lambda: time_command(srs("decks"), env), theirs("decks")),
        "stats": (lambda: time_command(srs("stats"), env), theirs("stats")),
    }
    for name in args.jobs:
        ours, others = jobs[name]
        mine: list[float] = []
        anki_times: list[float] = []
        for i in range(args.runs):  # taking turns to go first
            pair = (ours, others) if i % 2 else (others, ours)
            first, second = pair[0](), pair[1]()
            mine.append(first if i % 2 else second)
            anki_times.append(second if i % 2 else first)
        median, median_anki = statistics.median(mine), statistics.median(anki_times)
        print(
            f"{name}: median {median * 1000:.0f} vs {median_anki * 1000:.0f} ms = "
            f"{median / median_anki:.3f}x; min {min(mine) * 1000:.0f} vs "
            f"{min(anki_times) * 1000:.0f} ms = {min(mine) / min(anki_times):.3f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
