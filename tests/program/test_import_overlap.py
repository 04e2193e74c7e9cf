"""Imports that overlap (issue 24): two `import-anki` runs of one package at once, and an
import beside a piped review session, as real processes on one SQLite file and on
PostgreSQL. Each import reads, merges and writes under the learner's write lock, so
whatever runs beside it either comes first and is merged, or waits and builds on it:
one unbroken chain per card, no answer twice, every card in the state its last
answer left.

The overlap is made certain rather than left to timing: the test holds the
learner's write lock (SQLite's, or the PostgreSQL advisory lock) while the
processes start, waits until they are idle (blocked on it), then lets go. An
import that read before taking the lock has then read what the other side is
about to change."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from srs_crss.storage.engine import LEARNER_LOCK_SPACE
from tests.anki_packages import apkg, collection, studied
from tests.conftest import NOW, write_basic_deck

CARDS = [f"c{i:02d}" for i in range(40)]
ANSWERS = 20
"""Anki answers per card (800 rows)."""
_KEY = "learner_id * 1000000000 + card_id"
"""One number for a learner's card (the checks below say "card" for it)."""
STATE = ("repetitions", "ef", "interval", "due", "extra", "lapses")


def _env(db: str) -> dict[str, str]:
    return {
        **os.environ, "SRS_CRSS_DB": db, "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "alex",
        "NO_COLOR": "1",
    }  # fmt: skip


def _srs(db: str, *args: str, **kw: object) -> subprocess.Popen[str]:
    proc: subprocess.Popen[str] = subprocess.Popen(
        [sys.executable, "-m", "srs_crss", *args], env=_env(db), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw,  # type: ignore[call-overload]
    )  # fmt: skip
    return proc


def _finish(proc: subprocess.Popen[str], stdin: str | None = None) -> str:
    out, err = proc.communicate(stdin, timeout=300)
    assert proc.returncode == 0, out + err
    return out


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


@contextmanager
def write_lock_held(db: str) -> Iterator[None]:
    """Hold learner 1's write lock, as a long import or answer would."""
    engine = create_engine(_url(db), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if "://" in db:
                conn.execute(text(f"SELECT pg_advisory_lock({LEARNER_LOCK_SPACE}, 1)"))
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                if "://" in db:
                    conn.execute(text(f"SELECT pg_advisory_unlock({LEARNER_LOCK_SPACE}, 1)"))
                else:
                    conn.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()


def wait_until_idle(*procs: subprocess.Popen[str]) -> None:
    """Until each process has stopped using the CPU (blocked on a lock, or on its input).
    Sequencing only, no assertion: on a slow machine it waits longer."""
    last: list[int] = []
    for _ in range(200):
        now = []
        for proc in procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            now.append(int(fields[11]) + int(fields[12]))  # utime + stime
        if now == last:
            return
        last = now
        time.sleep(0.5)


def check_history(db: str) -> tuple[int, int]:
    """Every card's log is one chain (each answer applied to the state the one before it
    left, in id order and in time order), no answer is logged twice, and every state
    is its last answer's. Returns (imported answers, answers given here)."""
    engine = create_engine(_url(db))
    before = ", ".join(f"{c}_before" for c in STATE)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"SELECT {_KEY}, reviewed_at, imported, {before}, {', '.join(STATE)} "
                    "FROM reviews ORDER BY learner_id, card_id, id"
                )
            ).all()
            states = {
                row[0]: tuple(row[1:])
                for row in conn.execute(text(f"SELECT {_KEY}, {', '.join(STATE)} FROM card_states"))
            }
    finally:
        engine.dispose()
    last: dict[int, tuple[object, ...]] = {}
    times: dict[int, object] = {}
    seen: set[tuple[int, object]] = set()
    imported = here = 0
    for card, at, was_imported, *values in rows:
        prior, after = tuple(values[:6]), tuple(values[6:])
        assert (card, at) not in seen or not was_imported, f"card {card}: {at} logged twice"
        seen.add((card, at))
        if card in last:
            assert prior == last[card], f"card {card}: chain broken at {at}"
            assert str(at) >= str(times[card]), f"card {card}: {at} logged after a later answer"
        else:
            assert prior[0] == 0 and prior[3] is None, (
                f"card {card}: first answer not to a new card"
            )
        last[card], times[card] = after, at
        imported += bool(was_imported)
        here += not was_imported
    assert set(states) == set(last)
    for card, after in last.items():
        assert states[card] == after, f"card {card}: its state is not its last answer's"
    return imported, here


def _prepared(db: str, tmp_path: Path) -> Path:
    deck = write_basic_deck(tmp_path / "many.toml", len(CARDS))
    _finish(_srs(db, "sync", str(deck)))
    # the learner exists, so an import's only write is its merge
    _finish(_srs(db, "review", stdin=subprocess.PIPE), "q\n")
    rows = studied(CARDS, ANSWERS, "2026-03-01T09:00:00+00:00", every_days=2)
    return apkg(tmp_path / "studied.apkg", collection(tmp_path / "col.anki2", CARDS, rows))


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "learner.db")
    return str(request.getfixturevalue("pg_url"))


def test_two_imports_at_once_add_each_answer_once(target: str, tmp_path: Path) -> None:
    package = _prepared(target, tmp_path)
    with write_lock_held(target):
        runs = [_srs(target, "import-anki", str(package)) for _ in range(2)]
        wait_until_idle(*runs)
    for run in runs:
        _finish(run)
    imported, here = check_history(target)
    assert (imported, here) == (len(CARDS) * ANSWERS, 0)


def test_an_import_beside_a_review_session_loses_no_answer(target: str, tmp_path: Path) -> None:
    package = _prepared(target, tmp_path)
    review = _srs(target, "review", "--new", str(len(CARDS)), stdin=subprocess.PIPE, bufsize=1)
    assert review.stdin is not None and review.stdout is not None
    shown = ""
    while "Front " not in shown:  # the queue is built: the import starts beside it
        shown = review.stdout.readline()
        assert shown, "the review session ended before its first card"
    with write_lock_held(target):
        importing = _srs(target, "import-anki", str(package))
        wait_until_idle(importing)
        review.stdin.write("\n4\n")  # an answer waiting for the lock too
        wait_until_idle(review)
    stop = threading.Event()

    def answer_until_stopped(write: Callable[[str], object]) -> None:
        for _ in CARDS[1:]:
            if stop.is_set():
                break
            try:
                write("\n4\n")  # reveal, then Good
            except BrokenPipeError:  # the session ran out of cards
                break
            stop.wait(0.005)

    feeder = threading.Thread(target=answer_until_stopped, args=(review.stdin.write,))
    feeder.start()
    _finish(importing)
    stop.set()
    feeder.join()
    out = _finish(review, "q\n")
    imported, here = check_history(target)
    assert imported == len(CARDS) * ANSWERS  # every Anki answer, once
    reviewed = re.search(r"Reviewed: (\d+)", out)
    assert reviewed is not None, out
    assert here == int(reviewed[1]) >= 1  # every answer the session took is in the log


def test_imported_answers_recorded_again_keep_their_mark(tmp_path: Path) -> None:
    """An import whose answers fall before answers imported earlier records those again
    after its own (docs/anki.md): they stay marked as imported, so the log's rule of one
    imported answer per card and moment still covers them."""
    db = str(tmp_path / "learner.db")
    _prepared(db, tmp_path)
    later = studied(CARDS, 2, "2026-10-01T09:00:00+00:00")
    earlier = studied(CARDS, 2, "2026-09-01T09:00:00+00:00")
    for name, rows in (("later", later), ("earlier", earlier)):
        file = collection(tmp_path / f"{name}.anki2", CARDS, rows)
        _finish(_srs(db, "import-anki", str(apkg(tmp_path / f"{name}.apkg", file))))
    imported, here = check_history(db)
    assert (imported, here) == (len(later) + len(earlier), 0)
