"""Flags: learners' notes that a card looks wrong, listed for deck authors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from srs_crss import model
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import cards_decks
from srs_crss.storage.schema import cards_t, decks_t, flags_t, learners_t


class Flags:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, learner_id: int, card_pk: int, note: str, now: dt.datetime) -> None:
        with self.db.write() as conn:
            conn.execute(
                insert(flags_t).values(
                    learner_id=learner_id, card_id=card_pk, note=note, created_at=now
                )
            )

    def all(self) -> list[model.Flag]:
        """Every flag, by any learner, oldest first, with the card's source."""
        query = (
            select(
                decks_t.c.slug,
                cards_t.c.slug,
                learners_t.c.name,
                flags_t.c.note,
                flags_t.c.created_at,
                cards_t.c.source,
            )
            .select_from(
                cards_decks()
                .join(flags_t, flags_t.c.card_id == cards_t.c.id)
                .join(learners_t, learners_t.c.id == flags_t.c.learner_id)
            )
            .order_by(flags_t.c.id)
        )
        with self.db.read() as conn:
            return [
                model.Flag(f"{deck}/{card}", learner, note, created, source)
                for deck, card, learner, note, created, source in conn.execute(query)
            ]
