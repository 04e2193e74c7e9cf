"""Export benchmark (issue 5): 10,000 notes with 100,000 reviews.

Target: at most 2x the time plain genanki takes to write the same 10,000
notes without scheduling (both as whole processes, start-up included).
"""

from __future__ import annotations

import sys

from benchmarks.common import WORK, Figure, median_time, srs
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 10,000-card / 100,000-review database ...", flush=True)
    db = build_database(WORK / "export.db", cards=10_000, decks=1, reviews=100_000)
    deck_file = WORK / "export-decks" / "deck00.toml"
    env = {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    ours = median_time(srs("export-anki", "--out", str(WORK / "ours.apkg")), runs=3, env=env)
    plain = median_time(
        [
            sys.executable,
            "-m",
            "benchmarks.genanki_baseline",
            str(deck_file),
            str(WORK / "plain.apkg"),
        ],
        runs=3,
    )
    return [
        Figure(
            "export-anki 10,000 notes + 100,000 reviews vs plain genanki",
            ours / plain,
            "x",
            2.0,
            f"{ours:.2f} s vs {plain:.2f} s",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
