"""Cold starts against Anki, quickly: the first card, deck counts and stats (issue 30).

Usage: .venv/bin/python benchmarks/cold_ab.py [first] [decks] [stats] [--runs N] [--tree SRC ...]

The same jobs as benchmarks/bench_anki.py's cold figures, on synced copies of its
100,000-card collection (built by `benchmarks/run anki`), interleaved, min and median:
a minute instead of the whole suite, for trying a change. Each `--tree SRC` (a `src`
folder: a checkout's, or `git archive REV src | tar -x`, compiled with `python -m
compileall`) is one more side, put first on PYTHONPATH: the tree as it was against the
tree as it is, in the same loop.
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
    parser.add_argument("--tree", action="append", default=[], help="another src folder")
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
    envs = {"srs-crss": env} | {tree: {**env, "PYTHONPATH": tree} for tree in args.tree}

    def theirs(kind: str) -> Callable[[], float]:
        return lambda: time_command([sys.executable, "-c", anki.ANKI[kind], str(col)])

    def ours(kind: str, side_env: dict[str, str]) -> Callable[[], float]:
        if kind == "first":
            return lambda: anki._srs_first(side_env)
        return lambda: time_command(srs(kind), side_env)

    for name in args.jobs:
        sides = {"Anki": theirs(name)} | {side: ours(name, e) for side, e in envs.items()}
        times: dict[str, list[float]] = {side: [] for side in sides}
        order = list(sides)
        for i in range(args.runs):  # taking turns to go first
            for side in order[i % len(order) :] + order[: i % len(order)]:
                times[side].append(sides[side]())
        median_anki, min_anki = statistics.median(times["Anki"]), min(times["Anki"])
        for side in order[1:]:
            median, least = statistics.median(times[side]), min(times[side])
            print(
                f"{name} ({side}): median {median * 1000:.0f} vs {median_anki * 1000:.0f} ms"
                f" = {median / median_anki:.3f}x; min {least * 1000:.0f} vs "
                f"{min_anki * 1000:.0f} ms = {least / min_anki:.3f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
