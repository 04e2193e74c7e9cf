"""Cards a learner took out of review: by hand, or as leeches (failed too often)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select

from srs_crss.model import Suspension
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import cards_decks
from srs_crss.storage.schema import cards_t, decks_t, suspended_t


class Suspensions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, learner_id: int, card_pk: int, reason: Suspension, now: dt.datetime) -> bool:
        """Suspend a card; False if it already was."""
        with self.db.write() as conn:
            where = (suspended_t.c.learner_id == learner_id, suspended_t.c.card_id == card_pk)
            if conn.scalar(select(suspended_t.c.card_id).where(*where)) is not None:
                return False
            conn.execute(
                insert(suspended_t).values(
                    learner_id=learner_id, card_id=card_pk, reason=reason.value, suspended_at=now
                )
            )
            return True

    def remove(self, learner_id: int, card_pk: int) -> bool:
        """Bring a card back into review; False if it was not suspended."""
        with self.db.write() as conn:
            done = conn.execute(
                delete(suspended_t).where(
                    suspended_t.c.learner_id == learner_id, suspended_t.c.card_id == card_pk
                )
            )
            return bool(done.rowcount)

    def reason(self, learner_id: int, card_pk: int) -> Suspension | None:
        """Why this learner's card is out of review (None: it is not)."""
        query = select(suspended_t.c.reason).where(
            suspended_t.c.learner_id == learner_id, suspended_t.c.card_id == card_pk
        )
        with self.db.read() as conn:
            found = conn.scalar(query)
        return None if found is None else Suspension(found)

    def listed(self, learner_id: int) -> list[tuple[str, str]]:
        """(deck/card, reason) of every card this learner suspended, by card."""
        query = (
            select(decks_t.c.slug, cards_t.c.slug, suspended_t.c.reason)
            .select_from(cards_decks().join(suspended_t, suspended_t.c.card_id == cards_t.c.id))
            .where(suspended_t.c.learner_id == learner_id, cards_t.c.retired.is_(False))
            .order_by(decks_t.c.slug, cards_t.c.position)
        )
        with self.db.read() as conn:
            return [(f"{deck}/{card}", reason) for deck, card, reason in conn.execute(query)]
