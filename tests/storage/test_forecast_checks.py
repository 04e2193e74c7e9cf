"""The calibration record (schema 0012): a database of schema 0011 with a practice exam
in it is upgraded, and the record is append-only and per learner."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from srs_crss.storage import Store
from srs_crss.storage.schema import SCHEMA_HEAD
from tests.storage.test_store import database_at

AT = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)


def test_a_0011_database_with_an_exam_gets_the_record_and_keeps_its_data(db: Path) -> None:
    database_at(db, "0011")
    with sqlite3.connect(db) as raw:
        raw.executescript(
            """
            INSERT INTO learners (id, name, created_at) VALUES (1, 'old', '2026-01-01 00:00:00');
            INSERT INTO decks (id, slug, name, synced_at) VALUES (1, 'mini', 'Mini', '2026-01-01');
            INSERT INTO cards (id, deck_id, slug, position, type, front, back, choices, tags,
                content_hash, retired, created_at, content_changed_at, domain)
                VALUES (1, 1, 'q', 0, 'mcq', 'F?', NULL, '["a","b","c"]', '[]', 'x', 0,
                '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'Advocacy');
            INSERT INTO mock_exams (id, learner_id, profile, decks, seed, pass_percent,
                pass_is_estimate, time_limit_ms, used_ms, started_at, status, asked)
                VALUES (1, 1, 'crss', '["mini"]', 7, 68, 0, 60000, 0, '2026-01-02 00:00:00',
                'open', 1);
            """
        )
    raw.close()
    with Store.open(str(db)) as store:
        assert store.schema_version() == SCHEMA_HEAD == "0015"
        assert store.forecasts.bank(["mini"]) == [(1, "Advocacy", 3)]  # the old rows are there
        store.forecasts.freeze(1, [(1, 0.6)], "FSRS-6 default", AT)
        assert store.forecasts.checks(1) == []  # no outcome yet: not a check
        store.forecasts.record_outcomes(1, [(1, True)], AT)
        store.forecasts.record_outcomes(99, [(1, True)], AT)  # no such exam: nothing written
        assert store.forecasts.rows(1) == [(1, 1, "forecast", 0.6), (1, 1, "outcome", 1.0)]
        (check,) = store.forecasts.checks(1)
        assert check.pairs == ((0.6, True),) and check.error == -40.0
        assert store.forecasts.checks(2) == []  # another learner sees nothing
