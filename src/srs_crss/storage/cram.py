"""Cram sessions: which seen cards to go over, and their answers (kept apart from the
review log: they leave the SM-2 schedule as it is)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select

from srs_crss import model
from srs_crss.sm2 import CardState
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import (
    STATE_COLUMNS,
    scope_filters,
    state_from_row,
    states_cards_decks,
    suspended,
)
from srs_crss.storage.schema import cards_t, cram_t, decks_t, reviews_t, states_t


class Cram:
    def __init__(self, db: Database) -> None:
        self.db = db

    def cards(
        self, learner_id: int, scope: model.Scope, cram: model.Cram, today: dt.date
    ) -> list[tuple[int, CardState]]:
        """The seen, active cards to go over, soonest due first."""
        query = (
            select(states_t.c.card_id, *STATE_COLUMNS)
            .select_from(states_cards_decks())
            .where(
                states_t.c.learner_id == learner_id,
                cards_t.c.retired.is_(False),
                ~suspended(learner_id),
                *scope_filters(scope),
            )
            .order_by(states_t.c.due, decks_t.c.slug, cards_t.c.position)
        )
        if cram.ahead is not None:
            query = query.where(states_t.c.due <= today + dt.timedelta(days=cram.ahead))
        if cram.mistakes is not None:
            since = today - dt.timedelta(days=max(0, cram.mistakes - 1))
            failed = select(reviews_t.c.card_id).where(
                reviews_t.c.learner_id == learner_id,
                reviews_t.c.day >= since,
                reviews_t.c.grade < 3,
                reviews_t.c.card_id == states_t.c.card_id,
            )
            query = query.where(failed.exists())
        with self.db.read() as conn:
            return [(row.card_id, state_from_row(row)) for row in conn.execute(query)]

    def record(
        self,
        learner_id: int,
        card_pk: int,
        at: dt.datetime,
        day: dt.date,
        grade: int,
        duration_ms: int | None,
        picked: str | None,
    ) -> int:
        with self.db.write() as conn:
            found = conn.scalar(
                insert(cram_t)
                .values(
                    learner_id=learner_id,
                    card_id=card_pk,
                    answered_at=at,
                    day=day,
                    grade=grade,
                    duration_ms=duration_ms,
                    picked=picked,
                )  # fmt: skip
                .returning(cram_t.c.id)
            )
        assert found is not None
        return int(found)

    def remove(self, answer_id: int) -> None:
        with self.db.write() as conn:
            conn.execute(delete(cram_t).where(cram_t.c.id == answer_id))

    def answered_on(self, learner_id: int, day: dt.date) -> int:
        """Cram answers this learner gave on `day` (counted apart from reviews)."""
        query = select(func.count()).where(cram_t.c.learner_id == learner_id, cram_t.c.day == day)
        with self.db.read() as conn:
            return int(conn.scalar(query) or 0)
