"""Cohort-server benchmarks (issue 29), at the storage layer the web pages will use.

Needs a PostgreSQL server: SRS_CRSS_TEST_PG_URL (source scripts/ci-postgres.sh);
skipped without one. The HTTP half (200 learners over `serve --cohort`) waits for
the web sign-in; this measures what the database adds:

- answer latency (state and log written in one transaction, as a review does) for
  200 learners, as the server's role under forced row-level security (one extra
  `set_config` round trip per transaction, and the policies), one store per
  worker thread acting for each learner in turn: at a realistic pace (each
  learner about one answer every 3 seconds, p50 and p99 from the moment the
  answer was due) and flat out (8 threads: answers a second, p99); each against
  the same work on a database without row security;
- every acknowledged answer in the log exactly once;
- one sign-in's argon2id verification (the price of a password guess).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.common import Figure

LEARNERS = 200
THREADS = 8
PACED_WORKERS = 16
PACE_SECONDS = 3.0
"""A realistic pace: each learner answers about once every 3 seconds (67 a second)."""
ANSWERS_EACH = 10
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@contextmanager
def _database(admin: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"srs_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _prepare(url: str, role: str | None) -> tuple[dict[str, int], list[int]]:
    """The bundled decks, LEARNERS learners, and (with `role`) row security."""
    from sqlalchemy import select

    from srs_crss.service import App
    from srs_crss.settings.run import Settings
    from srs_crss.storage.schema import cards_t

    with App(Settings(url, "setup", environ={"SRS_CRSS_NOW": NOW.isoformat()})) as app:
        app.ensure_decks()
        store = app.store
        ids = {
            f"learner{n:03d}": store.learners.id_of(f"learner{n:03d}", NOW) for n in range(LEARNERS)
        }
        with store.db.read() as conn:
            cards = list(
                conn.scalars(select(cards_t.c.id).order_by(cards_t.c.id).limit(ANSWERS_EACH))
            )
        if role:
            store.secure_rows(role)
    return ids, cards


def _answer_all(
    url: str, ids: dict[str, int], cards: list[int], pace: float | None
) -> tuple[list[float], int]:
    """Latencies (s) of every answer, and how many were acknowledged.

    Flat out (`pace` None): THREADS workers answer back to back. Paced: the answers
    come at random moments (Poisson), each learner about once every `pace` seconds,
    and a latency counts from the moment the answer was due, so waiting for a free
    worker counts too.
    """
    import random

    from srs_crss.sm2 import review
    from srs_crss.storage import Store

    names = sorted(ids)
    work = [(name, card) for card in cards for name in names]
    random.Random(29).shuffle(work)
    rate = len(names) / pace if pace else 0.0
    clock = random.Random(7)
    due, moment = [], 0.0
    for _ in work:
        moment += clock.expovariate(rate) if rate else 0.0
        due.append(moment)
    latencies: list[float] = []
    lock = threading.Lock()
    queue = iter(range(len(work)))
    start_all = time.perf_counter()

    def worker() -> None:
        store = Store.open(url, migrate=False)
        mine = []
        while True:
            with lock:
                n = next(queue, None)
            if n is None:
                break
            name, card = work[n]
            wait = start_all + due[n] - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            begun = time.perf_counter() if not pace else start_all + due[n]
            store.act_for_learner(name, ids[name])
            store.reviews.apply(ids[name], card, lambda s: review(s, 4, NOW.date()), NOW, 3000)
            mine.append(time.perf_counter() - begun)
        store.close()
        with lock:
            latencies.extend(mine)

    workers = THREADS if not pace else PACED_WORKERS
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies)


def _logged(url: str) -> tuple[int, int]:
    """Answers in the log, and distinct (learner, card) pairs among them."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        total, distinct = conn.execute(
            text("SELECT count(*), count(DISTINCT (learner_id, card_id)) FROM reviews")
        ).one()
    engine.dispose()
    return int(total), int(distinct)


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def run() -> list[Figure]:
    admin = os.environ.get("SRS_CRSS_TEST_PG_URL")
    if not admin:
        print("skipped: no PostgreSQL (source scripts/ci-postgres.sh first)")
        return []
    from sqlalchemy.engine import make_url

    results = {}
    for secured in (False, True):
        with _database(admin) as url:
            role = f"bench_app_{uuid.uuid4().hex[:6]}" if secured else None
            ids, cards = _prepare(url, role)
            served = make_url(url).set(username=role).render_as_string(False) if role else url
            flat, acknowledged = _answer_all(served, ids, cards[: ANSWERS_EACH // 2], None)
            paced, more = _answer_all(served, ids, cards[ANSWERS_EACH // 2 :], PACE_SECONDS)
            total, distinct = _logged(url)
            results[secured] = (flat, paced, acknowledged + more, total, distinct)
    plain_flat, plain_paced = results[False][:2]
    flat, paced, acknowledged, total, distinct = results[True]
    lost_or_doubled = abs(total - acknowledged) + (total - distinct)

    from srs_crss.service.accounts import _hasher

    hasher = _hasher()
    stored = hasher.hash("a long passphrase for the benchmark")
    verify = []
    for _ in range(5):
        start = time.perf_counter()
        hasher.verify(stored, "a long passphrase for the benchmark")
        verify.append(time.perf_counter() - start)

    def without(values: list[float]) -> str:
        p50, p99 = 1000 * _p(values, 50), 1000 * _p(values, 99)
        return f"without row security: p50 {p50:.1f} ms, p99 {p99:.1f} ms"

    return [
        Figure(
            "paced answer p50 (200 learners, 1 per 3 s each)",
            1000 * _p(paced, 50),
            "ms",
            20,
            without(plain_paced),
        ),
        Figure(
            "paced answer p99 (200 learners, 1 per 3 s each)",
            1000 * _p(paced, 99),
            "ms",
            50,
            without(plain_paced),
        ),
        Figure(
            "flat-out answer p99 (8 threads)", 1000 * _p(flat, 99), "ms", 150, without(plain_flat)
        ),
        Figure(
            "flat-out answers per second (negated: higher is better)",
            -len(flat) / max(1e-9, sum(flat) / THREADS),
            "/s",
            -100,
            f"without row security: {len(plain_flat) / max(1e-9, sum(plain_flat) / THREADS):.0f}/s",
        ),
        Figure("answers lost or doubled", lost_or_doubled, "", 0, f"{acknowledged} acknowledged"),
        Figure("sign-in: argon2id verify (median)", 1000 * statistics.median(verify), "ms", 250),
    ]
