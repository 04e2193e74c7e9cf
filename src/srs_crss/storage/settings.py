"""A learner's settings (srs-crss config): for all decks, or one deck."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update

from srs_crss.storage.engine import Database
from srs_crss.storage.rows import deck_id_of, is_
from srs_crss.storage.schema import decks_t, settings_t


class Settings:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, learner_id: int) -> dict[tuple[str | None, str], str]:
        """(deck or None, key) -> value."""
        query = (
            select(decks_t.c.slug, settings_t.c.key, settings_t.c.value)
            .select_from(settings_t.outerjoin(decks_t, decks_t.c.id == settings_t.c.deck_id))
            .where(settings_t.c.learner_id == learner_id)
        )
        found: dict[tuple[str | None, str], str] = {}
        with self.db.read() as conn:
            for deck, key, value in conn.execute(query):
                found[(deck, key)] = value
        return found

    def set(
        self, learner_id: int, deck: str | None, key: str, value: str, now: dt.datetime
    ) -> None:
        with self.db.write() as conn:
            deck_id = deck_id_of(conn, deck)
            where = (
                settings_t.c.learner_id == learner_id,
                is_(settings_t.c.deck_id, deck_id),
                settings_t.c.key == key,
            )
            if conn.scalar(select(settings_t.c.id).where(*where)) is None:
                conn.execute(
                    insert(settings_t).values(
                        learner_id=learner_id,
                        deck_id=deck_id,
                        key=key,
                        value=value,
                        updated_at=now,
                    )  # fmt: skip
                )
            else:
                conn.execute(update(settings_t).where(*where).values(value=value, updated_at=now))

    def unset(self, learner_id: int, deck: str | None, key: str) -> bool:
        """False if the setting was not set."""
        with self.db.write() as conn:
            deck_id = deck_id_of(conn, deck)
            done = conn.execute(
                delete(settings_t).where(
                    settings_t.c.learner_id == learner_id,
                    is_(settings_t.c.deck_id, deck_id),
                    settings_t.c.key == key,
                )
            )
            return bool(done.rowcount)
