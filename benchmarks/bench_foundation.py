"""Foundation benchmarks (issue 2): start-up cost of the CLI and sync speed.

- `srs-crss --help` against `python -c "import typer"`: target ratio <= 1.5.
- `sync` of a generated 10,000-card deck: < 2 s into an empty database,
  < 0.5 s when nothing changed (whole process, start-up included).
"""

from __future__ import annotations

import sys
import time

from benchmarks.common import WORK, Figure, median_time, srs, time_command
from benchmarks.gen import write_deck


def run() -> list[Figure]:
    figures: list[Figure] = []
    typer_floor = median_time([sys.executable, "-c", "import typer"])
    help_time = median_time(srs("--help"))
    figures.append(
        Figure(
            "--help vs import typer",
            help_time / typer_floor,
            "x",
            1.5,
            f"{help_time * 1000:.0f} ms vs {typer_floor * 1000:.0f} ms",
        )
    )

    WORK.mkdir(parents=True, exist_ok=True)
    deck = write_deck(WORK / "sync-10k.toml", "bench-sync", 10_000)
    db = WORK / "sync-10k.db"
    env = {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": "2026-11-22T10:00:00+00:00"}

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)

    cold = median_time(srs("sync", str(deck)), runs=3, env=env, before=fresh)
    figures.append(Figure("sync 10,000 cards, empty database", cold, "s", 2.0))
    time_command(srs("sync", str(deck)), env)
    unchanged = median_time(srs("sync", str(deck)), runs=5, env=env)
    figures.append(Figure("sync 10,000 cards, nothing changed", unchanged, "s", 0.5))
    # Any command that opens the database first imports SQLAlchemy's ORM and
    # typer; on a slow machine that alone can exceed 0.5 s, so also show the
    # part of the unchanged sync that is ours.
    floor = median_time([sys.executable, "-c", "import sqlalchemy.orm, typer"], runs=5)
    figures.append(
        Figure(
            "sync 10,000 cards, nothing changed, beyond the import floor",
            unchanged - floor,
            "s",
            0.5,
            f"floor `import sqlalchemy.orm, typer` = {floor:.2f} s",
        )
    )
    edited = write_deck(WORK / "sync-10k-edited.toml", "bench-sync", 10_000, edit=1_000)
    start = time.perf_counter()
    time_command(srs("sync", str(edited)), env)
    figures.append(
        Figure("sync 10,000 cards, 1,000 edited (1 run)", time.perf_counter() - start, "s", 2.0)
    )
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
