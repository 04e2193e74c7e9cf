"""Queries that grow with the review log use indexes: no full scan of reviews or card_states.

Every statement the commands run is captured and explained (EXPLAIN QUERY PLAN)
on a real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event

from srs_crss.model import QueueOptions, Scope
from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import CardState, Grade, review
from tests.conftest import write_basic_deck

GROWING = ("reviews", "card_states")


def test_no_full_scans_of_the_log(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    deck = write_basic_deck(tmp_path / "deck.toml", 40)
    now = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
    settings = Settings(database=str(db), learner="alex", environ={"SRS_CRSS_NOW": now.isoformat()})
    statements: list[tuple[str, Any]] = []
    with App(settings) as app:
        app.sync([deck])
        store = app.store
        pks = store.queue.new_card_ids(app.learner_id, Scope(), 40)
        histories = []
        for n, pk in enumerate(pks[:30]):
            state, log = CardState(), []
            for k in range(3):
                outcome = review(state, 4 if (n + k) % 5 else 1, dt.date(2026, 11, 10 + 3 * k))
                log.append((now - dt.timedelta(days=12 - 3 * k, seconds=n), outcome, 900))
                state = outcome.after
            histories.append((pk, log))
        store.reviews.load_history(app.learner_id, histories)

        @event.listens_for(store.db.engine, "before_cursor_execute")
        def capture(
            conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
        ) -> None:
            if sql.lstrip().upper().startswith("SELECT") and not many:
                statements.append((sql, params))

        session = app.review_session(QueueOptions())
        assert session.current() is not None
        session.answer(Grade(4), 1000)
        session.undo()
        session.summary()
        app.decks()
        app.stats(None)
        app.stats("many")
        app.show("many/c00")
        app.exam_dates.set("2026-12-20", None)
        app.exam_reports()
        store.export.decks(app.learner_id, [])
        store.export.history(app.learner_id, pks)

    assert len(statements) > 20
    conn = sqlite3.connect(db)
    # the check itself can fail: a filter on an unindexed column is a full scan
    probe = conn.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM reviews WHERE duration_ms > 1")
    assert [row[3] for row in probe] == ["SCAN reviews"]
    offenders = []
    for sql, params in statements:
        if not any(table in sql for table in GROWING):
            continue
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        for step in plan:
            if any(step.startswith(f"SCAN {table}") for table in GROWING):
                offenders.append((step, sql.split("FROM")[0][:80]))
    conn.close()
    assert offenders == []
