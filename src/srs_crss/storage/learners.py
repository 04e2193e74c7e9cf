"""Learners: every progress row belongs to one, so a database can serve a cohort."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select

from srs_crss.storage.engine import Database
from srs_crss.storage.schema import learners_t
from srs_crss.untrusted.text import name_key


class Learners:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, name: str) -> int | None:
        """The id of learner `name`, or None if there is no such learner yet.

        Names compare in NFKC and without case ("Ａlice" is "alice"): the name as spelt
        first, else the one learner whose name has the same key (safetext.name_key; the
        few names are compared here rather than in SQL, whose lower() knows only ASCII).
        """
        with self.db.read() as conn:
            found = conn.scalar(select(learners_t.c.id).where(learners_t.c.name == name))
            if found is None:
                key = name_key(name)
                rows = conn.execute(select(learners_t.c.id, learners_t.c.name))
                found = next((pk for pk, other in rows if name_key(other) == key), None)
        return None if found is None else int(found)

    def id_of(self, name: str, now: dt.datetime) -> int:
        """The id of learner `name`, created on first use."""
        return self.ensure(name, now)[0]

    def ensure(self, name: str, now: dt.datetime) -> tuple[int, bool]:
        """The id of learner `name`, created on first use; and whether it was created now."""
        found = self.find(name)
        if found is not None:
            return found, False
        with self.db.write() as conn:
            key = name_key(name)
            rows = conn.execute(select(learners_t.c.id, learners_t.c.name))
            found = next((pk for pk, other in rows if name_key(other) == key), None)
            if found is not None:  # another process created it meanwhile
                return int(found), False
            created = conn.scalar(
                insert(learners_t).values(name=name, created_at=now).returning(learners_t.c.id)
            )
        assert created is not None
        return int(created), True

    def count(self) -> int:
        with self.db.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(learners_t)) or 0)

    def remove(self, name: str) -> bool:
        """Delete learner `name` and, by the tables' cascades, their whole history
        (answers, counts, exam dates, settings, flags, practice exams)."""
        with self.db.write() as conn:
            done = conn.execute(delete(learners_t).where(learners_t.c.name == name)).rowcount
        return bool(done)
