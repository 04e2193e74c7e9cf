"""srs-crss side by side with Anki on the same data (issue 16).

benchmarks/gen.py's 100,000 cards / 1,000,000 reviews are exported with
`export-anki` and imported, with scheduling, into a fresh collection by Anki's
own library (the `anki` package, a test dependency). Each figure is the ratio
srs-crss / Anki of the medians of interleaved runs, both as cold processes
doing the same job, and the per-answer latency in process on both sides (Anki
on its own queue, srs-crss on its session; srs-crss's piped review, as
benchmarks/bench_review.py, is printed apart: the pipe adds its own cost).
Targets are issues 16's and 30's. Each figure is the ratio of the medians of
RUNS interleaved runs, with the ratio of the minimums beside it. Every copy of
the data is synced to disk before it is used, so neither side pays for writing
back the copy's pages (Anki's automatic WAL checkpoint would, at its first commit).

Two floors are printed beside the figures they bound, measured in the same run:
what srs-crss must import before its own code runs (SQLAlchemy with its SQLite
dialect, and typer, as srs-crss imports them), timed to a printed line as the
first card is, against Anki's whole first card; and a durable commit of
the SQL srs-crss's answers send, replayed through the bare sqlite3 driver with
each answer one durable transaction (WAL, synchronous=FULL, as srs-crss and
Anki), against Anki's whole answer.

Issue 30's other figures follow: `srs-crss --help` against `import typer` alone
(whole processes, interleaved), the session summary after 'q' on this collection
(piped; an absolute target of 100 ms), and benchmarks/bench_import.py's import-anki.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks import bench_import
from benchmarks.bench_review import _until, grade_line
from benchmarks.common import WORK, Figure, peak_rss_kib, srs, time_command
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"
RUNS = 10
COLD_RUNS = 20
"""Runs of each cold start (a fraction of a second each): their medians swing less."""
SESSIONS = 10
"""Answering sessions a side (each 150 answers on a fresh copy), interleaved: each
session's p50 and p99, their median and minimum over the sessions."""
ANSWERS = 150  # Anki shows at most 200 reviews a deck a day by default

_OPEN = "import sys\nfrom anki.collection import Collection\ncol = Collection(sys.argv[1])\n"
_STUDY = f"col.decks.select(col.decks.id_for_name({'Benchmark deck bench-00'!r}))\n"
DECK = "bench-00"
"""Both study one deck of the ten (Anki's queue is the selected deck's)."""
ANKI = {
    "first": _OPEN
    + _STUDY
    + "card = col.sched.getCard()\nprint('Q:', card.id, flush=True)\ncol.close()\n",
    "decks": _OPEN + "col.sched.deck_due_tree()\ncol.close()\n",
    "stats": _OPEN + "col._backend.graphs(search='', days=365)\ncol.close()\n",
    "export": _OPEN
    + "from anki.collection import ExportAnkiPackageOptions\n"
    + "opts = ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False)\n"
    + "col.export_anki_package(out_path=sys.argv[2], options=opts, limit=None)\ncol.close()\n",
    "answers": _OPEN
    + _STUDY
    + "import json, time\nlat = []\n"
    + f"for _ in range({ANSWERS}):\n"
    + "    card = col.sched.getCard()\n    start = time.perf_counter()\n"
    + "    col.sched.answerCard(card, 3)\n    col.sched.getCard()\n"
    + "    lat.append(time.perf_counter() - start)\n"
    + "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    + "print(json.dumps({'latencies': lat, 'peak_kib': int(status.split()[0])}))\ncol.close()\n",
}
"""Anki's answers print their own peak memory (VmHWM), as srs-crss's is read while its
session runs (see benchmarks.common.peak_rss_kib)."""


# In process, after opening: what each engine does beyond importing and opening.
_OURS_OPEN = (
    "import sys, time\n"
    "from srs_crss.service import App\nfrom srs_crss.settings.run import Settings\n"
    "app = App(Settings(database=sys.argv[1], learner='bench', rollover_hour=None),"
    " notify=lambda m: None)\n"
    "app.reader_id\nstart = time.perf_counter()\n"
)
OURS_IN_PROCESS = {
    "first": _OURS_OPEN + f"app.review_session(decks=[{DECK!r}]).current()\n",
    "decks": _OURS_OPEN + "app.decks()\n",
    "stats": _OURS_OPEN + "app.stats(None)\n",
}
OURS_ANSWERS = (
    "import json, sys, time\n"
    "from srs_crss.service import App\nfrom srs_crss.settings.run import Settings\n"
    "from srs_crss.sm2 import Grade\n"
    "app = App(Settings(database=sys.argv[1], learner='bench', rollover_hour=None),"
    " notify=lambda m: None)\n"
    f"session = app.review_session(decks=[{DECK!r}], limit={ANSWERS + 1})\n"
    "session.current()\nsession.ready()\nlat = []\n"
    f"for _ in range({ANSWERS}):\n"
    "    start = time.perf_counter()\n"
    "    session.answer(Grade(4), 1000)\n    session.current()\n"
    "    lat.append(time.perf_counter() - start)\n    session.ready()\n"
    "print(json.dumps(lat))\n"
)
"""The same answers as the piped session, in process: what Anki's figure measures. As the
review screen does, the session is told each time the learner has a card to read
(`ready`, untimed as Anki's `getCard` before each answer: the answer's statements are
rendered the first time, and the content of the cards coming next loaded ahead)."""
_ANKI_OPEN = _OPEN + "import time\ncol.sched.deck_due_tree()\nstart = time.perf_counter()\n"
ANKI_IN_PROCESS = {
    "first": _ANKI_OPEN + _STUDY + "col.sched.getCard()\n",
    "decks": _ANKI_OPEN + "col.sched.deck_due_tree()\n",
    "stats": _ANKI_OPEN + "col._backend.graphs(search='', days=365)\n",
}
_DONE = "print(time.perf_counter() - start)\n"
FLOOR = "import sqlalchemy, sqlalchemy.dialects.sqlite, typer"
"""What every srs-crss command imports before any of its own code runs (an SQLite
engine loads SQLAlchemy's sqlite dialect package). It is timed as srs-crss pays it:
after storage/deferred.py's stand-ins, which keep asyncio and importlib.metadata
unloaded (a bare `import sqlalchemy` loads both)."""
FLOOR_SCRIPT = (  # deferred.py alone: importing srs_crss.storage would load all of it
    "import importlib.util, pathlib, srs_crss\n"
    "where = pathlib.Path(srs_crss.__file__).parent / 'storage' / 'deferred.py'\n"
    "spec = importlib.util.spec_from_file_location('deferred', where)\n"
    "deferred = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(deferred)\ndeferred.install()\n"
    f"{FLOOR}\nprint('imported', flush=True)\n"
)


def _in_process(script: str, *argv: str, env: dict[str, str] | None = None) -> float:
    done = subprocess.run(
        [sys.executable, "-c", script + _DONE, *argv],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def anki_collection(db: Path) -> Path:
    """The same data in an Anki collection (cached next to the database it came from)."""
    folder = WORK / "anki-big"
    collection = folder / "collection.anki2"
    stamp = folder / "source"
    wanted = db.with_suffix(".version").read_text() if db.with_suffix(".version").exists() else ""
    if collection.exists() and stamp.exists() and stamp.read_text() == wanted:
        return collection
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    package = folder / "big.apkg"
    env = {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    time_command(srs("export-anki", "--out", str(package)), env)
    script = (
        _OPEN + "from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest\n"
        "col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[2], "
        "options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)))\n"
        "col.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(collection), str(package)], check=True)
    stamp.write_text(wanted)
    return collection


def _srs_first(env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        srs("review", "--deck", DECK), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    _until(proc.stdout, "Q:")
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait()
    return elapsed


def _srs_answers(env: dict[str, str]) -> tuple[list[float], float]:
    """Seconds from a grade to the next card, piped, as benchmarks/bench_review.py,
    and the session's peak memory in MB."""
    proc = subprocess.Popen(
        srs("review", "--deck", DECK, "--limit", str(ANSWERS + 1)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    latencies = []
    _until(proc.stdout, "Q:")
    for _ in range(ANSWERS):
        line = grade_line(proc, "4")
        start = time.perf_counter()
        proc.stdin.write(line)
        proc.stdin.flush()
        _until(proc.stdout, "Q:")
        latencies.append(time.perf_counter() - start)
    peak_mb = peak_rss_kib(proc.pid) / 1024
    proc.stdin.write("q\n")
    proc.stdin.close()
    proc.wait()
    return latencies, peak_mb


def _answer_sql(db: Path, env: dict[str, str]) -> list[list[tuple[str, Any]]]:
    """The SQL each of ANSWERS in-process answers sent to the driver: one list of
    (statement, parameters) per answer, as srs-crss's session wrote it."""
    from sqlalchemy import event

    from srs_crss.service import App
    from srs_crss.settings.run import Settings
    from srs_crss.sm2 import Grade
    from srs_crss.storage.driver import DriverWrite

    app = App(Settings(database=str(db), learner="bench", environ=env), notify=lambda m: None)
    session = app.review_session(decks=[DECK], limit=ANSWERS + 1)
    session.current()
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(app.store.db.engine, "before_cursor_execute", record)
    # an answer runs on the driver connection (storage/driver.py): its statements as sent
    originals = {name: getattr(DriverWrite, name) for name in ("run", "first", "all")}

    def recording(name: str) -> Any:
        def run(self: Any, statement: Any, values: Any) -> Any:
            sent.append(statement._bound(self.dialect, values)[:2])
            return originals[name](self, statement, values)

        return run

    for name in originals:
        setattr(DriverWrite, name, recording(name))
    answers = []
    session.ready()
    sent.clear()
    for _ in range(ANSWERS):  # what OURS_ANSWERS times: an answer and the next card
        session.answer(Grade(4), 1000)
        session.current()
        answers.append([(sql, params) for sql, params in sent if sql.split()[0] != "BEGIN"])
        session.ready()
        sent.clear()
    app.close()
    for name, original in originals.items():
        setattr(DriverWrite, name, original)
    return answers


def _commit_floor(db: Path, answers: list[list[tuple[str, Any]]]) -> list[float]:
    """Seconds per answer when the same statements go through the bare sqlite3
    driver, each answer one durable transaction (WAL, synchronous=FULL, as srs-crss
    and Anki): what an answer costs before any Python above the driver. Between
    answers, untimed, the log is checkpointed every READING_EVERY answers, as the
    session does while the learner reads (storage/checkpoint.py)."""
    from srs_crss.storage.checkpoint import READING_EVERY

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("PRAGMA foreign_keys=ON")
    latencies = []
    for done, statements in enumerate(answers):
        if done and done % READING_EVERY == 0:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - start)
    conn.close()
    return latencies


def _pick(latencies: list[float], share: float) -> float:
    """The latency at `share` (0.5: the median) in milliseconds."""
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def _to_first_line(argv: list[str]) -> float:
    """Seconds from starting a process to its first printed line (what a learner waits
    for; the process's teardown after it is not counted, on either side)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait()
    return elapsed


def _anki_first(collection: Path) -> float:
    return _to_first_line([sys.executable, "-c", ANKI["first"], str(collection)])


class Pair(NamedTuple):
    """Interleaved timings of one job on each side: the medians and the minimums."""

    ours: float
    theirs: float
    ours_min: float
    theirs_min: float
    runs: int


def _pairs(ours: Callable[[], float], theirs: Callable[[], float], runs: int = RUNS) -> Pair:
    mine, anki = [], []
    for i in range(runs):  # interleaved, taking turns to go first: both see the same load
        first, second = (ours, theirs) if i % 2 == 0 else (theirs, ours)
        a, b = first(), second()
        mine.append(a if i % 2 == 0 else b)
        anki.append(b if i % 2 == 0 else a)
    return Pair(statistics.median(mine), statistics.median(anki), min(mine), min(anki), runs)


def _ratio(name: str, ours: float, theirs: float, target: float, unit: str = "s") -> Figure:
    return Figure(
        f"{name} vs Anki", ours / theirs, "x", target, f"{ours:.3g} {unit} vs {theirs:.3g} {unit}"
    )


def _pair_ratio(name: str, pair: Pair, target: float, unit: str = "s") -> Figure:
    """The ratio of the medians, with both sides' minimums and their ratio beside it."""
    detail = (
        f"median {pair.ours:.3g} vs {pair.theirs:.3g} {unit}; "
        f"min {pair.ours_min:.3g} vs {pair.theirs_min:.3g} {unit}, "
        f"ratio {pair.ours_min / pair.theirs_min:.3g}x; {pair.runs} interleaved runs"
    )
    return Figure(f"{name} vs Anki", pair.ours / pair.theirs, "x", target, detail)


def _copy_synced(source: Path, target: Path) -> None:
    """Copy a database and make the copy durable before anyone times a write to it."""
    shutil.copyfile(source, target)
    with open(target, "rb+") as copied:
        os.fsync(copied.fileno())
    os.sync()


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 100,000-card / 1,000,000-review database ...", flush=True)
    db = build_database(WORK / "big.db")
    print("  building (or reusing) the same data in an Anki collection ...", flush=True)
    collection = anki_collection(db)
    scratch_db, scratch_col = WORK / "anki-cmp.db", WORK / "anki-cmp.anki2"

    def fresh() -> None:
        for path in (scratch_db, scratch_col):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        _copy_synced(db, scratch_db)
        _copy_synced(collection, scratch_col)

    fresh()
    env = {**os.environ, "SRS_CRSS_DB": str(scratch_db), "SRS_CRSS_NOW": NOW}
    env |= {"SRS_CRSS_LEARNER": "bench", "COLUMNS": "100"}

    def anki(kind: str, *extra: str) -> float:
        return time_command([sys.executable, "-c", ANKI[kind], str(scratch_col), *extra])

    figures = []
    first = _pairs(lambda: _srs_first(env), lambda: _anki_first(scratch_col), COLD_RUNS)
    figures.append(_pair_ratio("time to first card, cold", first, 0.9))
    floor_argv = [sys.executable, "-c", FLOOR_SCRIPT]
    imports = _pairs(
        lambda: _to_first_line(floor_argv), lambda: _anki_first(scratch_col), COLD_RUNS
    )
    figures.append(
        _pair_ratio(f"import floor (`{FLOOR}`, to a printed line) vs first card", imports, 1.0)
    )
    # The first `stats` on a database counts its whole log once (storage/totals.py).
    once = time_command(srs("stats"), env)
    figures.append(
        Figure("first stats on a database (its 1M answers counted once)", once, "s", 5.0,
               "later runs read the counts")
    )  # fmt: skip
    decks = _pairs(lambda: time_command(srs("decks"), env), lambda: anki("decks"), COLD_RUNS)
    figures.append(_pair_ratio("deck counts, cold", decks, 0.9))
    stats = _pairs(lambda: time_command(srs("stats"), env), lambda: anki("stats"), COLD_RUNS)
    figures.append(_pair_ratio("stats vs Anki's graphs, cold", stats, 0.6))
    ours_apkg, anki_apkg = WORK / "cmp-ours.apkg", WORK / "cmp-anki.apkg"
    export = _pairs(
        lambda: time_command(srs("export-anki", "--out", str(ours_apkg)), env),
        lambda: anki("export", str(anki_apkg)),
    )
    figures.append(_pair_ratio("export 100k notes + 1M reviews", export, 0.8))
    size = ours_apkg.stat().st_size / 1e6, anki_apkg.stat().st_size / 1e6
    figures.append(_ratio("export package size", *size, 1.0, "MB"))
    for kind, target in (("first", 0.8), ("decks", 1.0), ("stats", 0.5)):
        inside = _pairs(
            lambda k=kind: _in_process(OURS_IN_PROCESS[k], str(scratch_db), env=env),  # type: ignore[misc]
            lambda k=kind: _in_process(ANKI_IN_PROCESS[k], str(scratch_col)),  # type: ignore[misc]
        )
        figures.append(_pair_ratio(f"{kind}, in process after opening", inside, target))
    # Answers: SESSIONS sessions a side, interleaved, each on a fresh synced copy; the
    # latencies of each side pooled, and each session's p50/p99 kept for min/median.
    anki_lat: list[float] = []
    inside_lat: list[float] = []
    anki_runs: list[list[float]] = []
    inside_runs: list[list[float]] = []
    anki_mb = 0.0
    answering = [sys.executable, "-c", OURS_ANSWERS, str(scratch_db)]
    for i in range(SESSIONS):
        for side in ("anki", "ours") if i % 2 == 0 else ("ours", "anki"):
            fresh()
            if side == "anki":
                out = json.loads(
                    subprocess.run(
                        [sys.executable, "-c", ANKI["answers"], str(scratch_col)],
                        capture_output=True, text=True, check=True,
                    ).stdout
                )  # fmt: skip
                anki_runs.append(out["latencies"])
                anki_mb = max(anki_mb, out["peak_kib"] / 1024)
            else:
                done = subprocess.run(
                    answering, capture_output=True, text=True, check=True, env=env
                )
                inside_runs.append(json.loads(done.stdout))
    for run_ in anki_runs:
        anki_lat.extend(run_)
    for run_ in inside_runs:
        inside_lat.extend(run_)
    fresh()
    ours_lat, ours_mb = _srs_answers(env)
    for label, share in (("p50", 0.5), ("p99", 0.99)):
        theirs = _pick(anki_lat, share)
        per_run = Pair(
            statistics.median(_pick(r, share) for r in inside_runs),
            statistics.median(_pick(r, share) for r in anki_runs),
            min(_pick(r, share) for r in inside_runs),
            min(_pick(r, share) for r in anki_runs),
            SESSIONS,
        )
        figures.append(
            _pair_ratio(f"answer to next card, in process, {label} ({SESSIONS} sessions a side)",
                        per_run, 1.0, "ms")
        )  # fmt: skip
        figures.append(
            _ratio(f"answer to next card, piped (the pipe's cost included), {label}",
                   _pick(ours_lat, share), theirs, 1.0, "ms")
        )  # fmt: skip
    fresh()
    statements = _answer_sql(scratch_db, env)
    fresh()
    floor = _pick(_commit_floor(scratch_db, statements), 0.5), _pick(anki_lat, 0.5)
    figures.append(
        _ratio("the same answers' SQL through bare sqlite3, p50", *floor, 0.8, "ms")
    )  # fmt: skip
    figures.append(_ratio(f"peak memory, {ANSWERS} answers", ours_mb, anki_mb, 0.5, "MB"))
    fresh()
    figures += _start_and_end(env)
    print("  import-anki (benchmarks/bench_import.py) ...", flush=True)
    figures += bench_import.run()
    return figures


def _quit_to_summary(env: dict[str, str]) -> float:
    """Seconds from 'q' (after two answers) to the summary's last line, piped."""
    proc = subprocess.Popen(
        srs("review", "--deck", DECK), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=env, bufsize=1,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    for _ in range(2):
        proc.stdin.write(grade_line(proc, "4"))
        proc.stdin.flush()
    _until(proc.stdout, "> ")
    start = time.perf_counter()
    proc.stdin.write("q\n")
    proc.stdin.flush()
    _until(proc.stdout, "Still due today")
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait()
    return elapsed


def _start_and_end(env: dict[str, str]) -> list[Figure]:
    """`--help` against importing typer alone (whole processes, interleaved), and the
    summary after 'q' on the 1M-answer collection (an absolute target: 100 ms)."""
    helps = _pairs(
        lambda: time_command(srs("--help"), env),
        lambda: time_command([sys.executable, "-c", "import typer"]),
    )
    quits = sorted(_quit_to_summary(env) for _ in range(RUNS))
    return [
        Figure(
            "`srs-crss --help` vs `python -c 'import typer'`", helps.ours / helps.theirs, "x",
            1.5, f"median {helps.ours * 1000:.0f} vs {helps.theirs * 1000:.0f} ms; min "
            f"{helps.ours_min * 1000:.0f} vs {helps.theirs_min * 1000:.0f} ms; "
            f"{RUNS} interleaved runs",
        ),
        Figure(
            "'q' to the session summary, piped, 100k cards / 1M answers",
            statistics.median(quits) * 1000, "ms", 100,
            f"min {quits[0] * 1000:.1f} ms, median of {RUNS} runs",
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
