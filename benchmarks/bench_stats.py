"""Stats benchmark (issue 6) on 100,000 cards and 1,000,000 reviews.

Targets: `srs-crss stats` under 1 s, and at most 3x `srs-crss decks` on the
same database (both whole processes). The import floor is printed too.
"""

from __future__ import annotations

import os
import shutil
import sys

from benchmarks.common import WORK, Figure, median_time, srs
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 100,000-card / 1,000,000-review database ...", flush=True)
    db = build_database(WORK / "big.db")
    scratch = WORK / "big-stats.db"
    shutil.copyfile(db, scratch)
    env = {"SRS_CRSS_DB": str(scratch), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    env |= {"COLUMNS": os.environ.get("COLUMNS", "100")}
    stats = median_time(srs("stats"), runs=5, env=env)
    decks = median_time(srs("decks"), runs=5, env=env)
    floor = median_time([sys.executable, "-c", "import sqlalchemy.orm, typer"], runs=5)
    return [
        Figure("stats on 100,000 cards / 1,000,000 reviews", stats, "s", 1.0,
               f"import floor {floor:.2f} s"),
        Figure("stats beyond the import floor", stats - floor, "s", 1.0),
        Figure("stats vs decks", stats / decks, "x", 3.0, f"{stats:.2f} s vs {decks:.2f} s"),
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
