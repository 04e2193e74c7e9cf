"""Exam dates: one per learner and deck, or one for all decks (deck NULL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, insert, select, update

from srs_crss.errors import NotFound
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import is_
from srs_crss.storage.schema import decks_t, exams_t


class Exams:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, learner_id: int) -> dict[str | None, dt.date]:
        """This learner's exam dates: deck id -> day, None -> the all-decks exam."""
        query = (
            select(decks_t.c.slug, exams_t.c.exam_day)
            .select_from(exams_t.outerjoin(decks_t, decks_t.c.id == exams_t.c.deck_id))
            .where(exams_t.c.learner_id == learner_id)
        )
        found: dict[str | None, dt.date] = {}
        with self.db.read() as conn:
            for slug, day in conn.execute(query):
                found[slug] = day
        return found

    def set(self, learner_id: int, deck: str | None, day: dt.date, now: dt.datetime) -> None:
        """Set (or move) the exam date for a deck, or for all decks."""
        with self.db.write() as conn:
            deck_id = _deck_id(conn, deck)
            where = (exams_t.c.learner_id == learner_id, is_(exams_t.c.deck_id, deck_id))
            if conn.scalar(select(exams_t.c.id).where(*where)) is None:
                conn.execute(
                    insert(exams_t).values(
                        learner_id=learner_id, deck_id=deck_id, exam_day=day, created_at=now
                    )
                )
            else:
                conn.execute(update(exams_t).where(*where).values(exam_day=day))

    def clear(self, learner_id: int, deck: str | None) -> bool:
        """Remove an exam date; False if there was none."""
        with self.db.write() as conn:
            deck_id = _deck_id(conn, deck)
            done = conn.execute(
                delete(exams_t).where(
                    exams_t.c.learner_id == learner_id, is_(exams_t.c.deck_id, deck_id)
                )
            )
            return bool(done.rowcount)


def _deck_id(conn: Connection, deck: str | None) -> int | None:
    if deck is None:
        return None
    found = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
    if found is None:
        raise NotFound(f"no deck {deck!r}")
    return int(found)
