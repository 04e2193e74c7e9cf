"""Learners: every progress row belongs to one, so a database can serve a cohort."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from srs_crss.storage.engine import Database
from srs_crss.storage.schema import learners_t


class Learners:
    def __init__(self, db: Database) -> None:
        self.db = db

    def id_of(self, name: str, now: dt.datetime) -> int:
        """The id of learner `name`, created on first use."""
        with self.db.read() as conn:
            found = conn.scalar(select(learners_t.c.id).where(learners_t.c.name == name))
        if found is not None:
            return int(found)
        with self.db.write() as conn:
            found = conn.scalar(select(learners_t.c.id).where(learners_t.c.name == name))
            if found is None:
                found = conn.scalar(
                    insert(learners_t).values(name=name, created_at=now).returning(learners_t.c.id)
                )
        assert found is not None
        return int(found)
