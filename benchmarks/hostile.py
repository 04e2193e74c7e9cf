"""Hostile packages (issue 24): each imported by the real program, measured from outside.

For each package: wall time, the process's peak memory (VmHWM, read while it
runs) and the peak size of its temporary folder (polled every 20 ms), and
that it ended the way it should (refused with exit 2, or imported). Then two
imports of one package at once: every card's log one unbroken chain, no
answer twice. `benchmarks/stress.py` prints these with its own figures.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.anki_packages import apkg, collection, colpkg, studied
from tests.conftest import NOW, write_basic_deck
from tests.hostile_packages import colpkg_bomb, deflate_bomb, endless_view, unknown_reviews
from tests.program.test_import_overlap import check_history

from benchmarks.common import Figure, peak_rss_kib, srs

POLL = 0.02
UNKNOWN_ROWS = 5_000_000
"""Review rows of cards srs-crss does not know, as in the issue's 69 MB package."""


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    peak_mb: float
    temp_peak_mb: float
    exit_code: int


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:  # removed while we looked
            pass
    return total


def measure(name: str, db: Path, package: Path, tmp: Path) -> Run:
    env = {
        **os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench",
        "TMPDIR": str(tmp),
    }  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(
        srs("import-anki", str(package)), env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    peak_kib = temp_peak = 0
    while proc.poll() is None:
        try:
            peak_kib = max(peak_kib, peak_rss_kib(proc.pid))
        except (OSError, SystemExit):  # it ended between poll and read
            pass
        temp_peak = max(temp_peak, _folder_bytes(tmp))
        time.sleep(POLL)
    seconds = time.perf_counter() - start
    assert not any(tmp.iterdir()), f"{name}: temporary files left behind"
    return Run(name, seconds, peak_kib / 1024, temp_peak / 2**20, proc.returncode)


def hostile_runs() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        tmp = folder / "tmp"
        tmp.mkdir()
        db = folder / "learner.db"
        deck = write_basic_deck(folder / "many.toml", 40)
        subprocess.run(srs("sync", str(deck)), env={**os.environ, "SRS_CRSS_DB": str(db)},
                       check=True, capture_output=True)  # fmt: skip
        print("  building the hostile packages ...", flush=True)
        cases: list[tuple[str, Callable[[], Path], int]] = [
            ("zstd bomb expanding to 5 GiB", lambda: colpkg_bomb(folder / "b.colpkg", 5 << 30), 2),
            ("zstd frame of 100 GiB of zeros (no database)",
             lambda: colpkg_bomb(folder / "z.colpkg", 100 << 30, header=b""), 2),
            ("deflate bomb, 1 GiB", lambda: deflate_bomb(folder / "d.apkg", 1 << 30), 2),
            ("revlog as an endless recursive view",
             lambda: endless_view(folder / "v.apkg", folder), 2),
            (f"{UNKNOWN_ROWS:,} review rows of unknown cards",
             lambda: colpkg(folder / "u.colpkg", unknown_reviews(folder, UNKNOWN_ROWS)), 0),
        ]  # fmt: skip
        for name, build, expected in cases:
            package = build()
            run = measure(name, db, package, tmp)
            print(f"  {name} ({package.stat().st_size:,} bytes): exit {run.exit_code}, "
                  f"{run.seconds:.2f} s, peak {run.peak_mb:.0f} MB, "
                  f"temporary folder peak {run.temp_peak_mb:.1f} MB", flush=True)  # fmt: skip
            figures += [
                Figure(f"{name}: ended other than it should (exit {run.exit_code})",
                       int(run.exit_code != expected), "runs", 0),
                Figure(f"{name}: time", run.seconds, "s", 60),
                Figure(f"{name}: peak memory", run.peak_mb, "MB", 400),
                Figure(f"{name}: temporary folder peak", run.temp_peak_mb, "MB", 600),
            ]  # fmt: skip
        figures.append(overlapping_imports(folder, deck))
    return figures


def overlapping_imports(folder: Path, deck: Path) -> Figure:
    """Two imports of one package at once (real processes), into a fresh database:
    answers lost or doubled."""
    db = folder / "overlap.db"
    subprocess.run(srs("sync", str(deck)), env={**os.environ, "SRS_CRSS_DB": str(db)},
                   check=True, capture_output=True)  # fmt: skip
    cards = [f"c{i:02d}" for i in range(40)]
    rows = studied(cards, 50, "2026-01-05T09:00:00+00:00", every_days=5)
    package = apkg(folder / "o.apkg", collection(folder / "o.anki2", cards, rows))
    env = {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW,
           "SRS_CRSS_LEARNER": "overlap"}  # fmt: skip
    start = time.perf_counter()
    procs = [subprocess.Popen(srs("import-anki", str(package)), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(2)]  # fmt: skip
    codes = [proc.wait() for proc in procs]
    seconds = time.perf_counter() - start
    try:
        imported, _ = check_history(str(db))
    except AssertionError as exc:
        print(f"  overlapping imports: {exc}")
        imported = 0
    wrong = abs(imported - len(rows)) + sum(code != 0 for code in codes)
    print(f"  two imports of {len(rows):,} answers at once: {seconds:.2f} s, "
          f"{imported:,} answers in the log, exits {codes}")  # fmt: skip
    return Figure("two overlapping imports: answers lost, doubled or failed", wrong, "rows", 0)
