"""Statements rendered once (storage/prepared.py) write and read what `execute` does, on
SQLite and, when SRS_CRSS_TEST_PG_URL names a server, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, update

from srs_crss.storage import Store
from srs_crss.storage.engine import Location
from srs_crss.storage.prepared import Prepared
from srs_crss.storage.schema import learners_t

WHEN = dt.datetime(2026, 11, 22, 10, 0, 0, tzinfo=dt.UTC)
ADD = Prepared(insert(learners_t).returning(learners_t.c.id))
RENAME = Prepared(
    update(learners_t).where(learners_t.c.id == bindparam("b_id"), learners_t.c.name == "b")
)
READ = Prepared(
    select(learners_t.c.name, learners_t.c.created_at).where(learners_t.c.id == bindparam("id"))
)


def _same_as_execute(url: str) -> None:
    with Store.open(url) as store, store.db.write() as conn:
        ours = ADD.execute(conn, {"name": "a", "created_at": WHEN}).scalar()
        plain = insert(learners_t).returning(learners_t.c.id)
        theirs = conn.scalar(plain, {"name": "b", "created_at": WHEN})
        both = select(learners_t.c.name, learners_t.c.created_at).order_by(learners_t.c.id)
        assert conn.execute(both).all() == [("a", WHEN), ("b", WHEN)]
        # the datetime stored as SQLAlchemy stores it (naive UTC, the same text on SQLite)
        raw = conn.exec_driver_sql("SELECT created_at FROM learners ORDER BY id").all()
        assert raw[0] == raw[1]
        assert RENAME.execute(conn, {"b_id": ours, "name": "c"}).rowcount == 0  # not "b"
        assert RENAME.execute(conn, {"b_id": theirs, "name": "c"}).rowcount == 1
        row = READ.first(conn, {"id": theirs})
        assert (row.name, row.created_at) == ("c", WHEN)  # read through the column types
        assert READ.first(conn, {"id": 10**9}) is None
        with pytest.raises(ValueError, match="values for"):
            RENAME.execute(conn, {"b_id": theirs})  # not the columns it was rendered for


def test_on_sqlite(tmp_path: Path) -> None:
    _same_as_execute(Location.of(str(tmp_path / "p.db")).url)


def test_on_postgresql(pg_url: str) -> None:
    _same_as_execute(pg_url)
