"""What an Anki import reads and writes: card identities, logs, and merged log tails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update

from srs_crss.merge import CardMerge
from srs_crss.model import LoggedAnswer
from srs_crss.storage.engine import Database
from srs_crss.storage.reviews import log_values
from srs_crss.storage.rows import STATE_COLUMNS, state_from_row, state_values
from srs_crss.storage.schema import cards_t, decks_t, reviews_t, states_t

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_BATCH = 500
"""Cards per query when reading logs (bound parameters stay well under any limit)."""


class Merges:
    def __init__(self, db: Database) -> None:
        self.db = db

    def card_keys(self) -> list[tuple[int, str, str]]:
        """(card pk, deck id, card id) of every card, retired ones included."""
        with self.db.read() as conn:
            rows = conn.execute(
                select(cards_t.c.id, decks_t.c.slug, cards_t.c.slug).join(
                    decks_t, decks_t.c.id == cards_t.c.deck_id
                )
            ).all()
        return [(int(pk), deck, card) for pk, deck, card in rows]

    def logged(self, learner_id: int, card_pks: Iterable[int]) -> dict[int, list[LoggedAnswer]]:
        """This learner's log for these cards, in log order."""
        pks = sorted(set(card_pks))
        found: dict[int, list[LoggedAnswer]] = {}
        query = select(
            reviews_t.c.id,
            reviews_t.c.card_id,
            reviews_t.c.reviewed_at,
            reviews_t.c.day,
            reviews_t.c.grade,
            reviews_t.c.duration_ms,
            reviews_t.c.picked,
            *(reviews_t.c[column.name] for column in STATE_COLUMNS),
        ).order_by(reviews_t.c.card_id, reviews_t.c.id)
        with self.db.read() as conn:
            for start in range(0, len(pks), _BATCH):
                chunk = pks[start : start + _BATCH]
                rows = conn.execute(
                    query.where(
                        reviews_t.c.learner_id == learner_id, reviews_t.c.card_id.in_(chunk)
                    )
                )
                for row in rows:
                    found.setdefault(row.card_id, []).append(
                        LoggedAnswer(
                            id=row.id,
                            reviewed_ms=(row.reviewed_at - _EPOCH) // dt.timedelta(milliseconds=1),
                            day=row.day,
                            grade=row.grade,
                            duration_ms=row.duration_ms,
                            picked=row.picked,
                            after=state_from_row(row),
                        )
                    )
        return found

    def write(self, learner_id: int, cards: Sequence[CardMerge]) -> None:
        """Record every card's merged tail and its new state, in one transaction
        (an import is all or nothing). Rows go in card by card, in time order,
        so each card's log stays in order of its ids."""
        replaced = [rid for card in cards for rid in card.replaced]
        log_rows = [
            log_values(
                learner_id,
                card.card_pk,
                _EPOCH + dt.timedelta(milliseconds=answer.reviewed_ms),
                outcome,
                answer.duration_ms,
            )
            | {"capped_from": outcome.capped_from, "picked": answer.picked}
            for card in cards
            for answer, outcome in card.steps
        ]
        states = {card.card_pk: card.steps[-1][1].after for card in cards}
        with self.db.write() as conn:
            for start in range(0, len(replaced), _BATCH):
                chunk = replaced[start : start + _BATCH]
                conn.execute(delete(reviews_t).where(reviews_t.c.id.in_(chunk)))
            if log_rows:
                conn.execute(insert(reviews_t), log_rows)
            pks = sorted(states)
            have: set[int] = set()
            for start in range(0, len(pks), _BATCH):
                have.update(
                    conn.scalars(
                        select(states_t.c.card_id).where(
                            states_t.c.learner_id == learner_id,
                            states_t.c.card_id.in_(pks[start : start + _BATCH]),
                        )
                    )
                )
            fresh = [
                {"learner_id": learner_id, "card_id": pk, **state_values(states[pk])}
                for pk in pks
                if pk not in have
            ]
            if fresh:
                conn.execute(insert(states_t), [row | {"last_review_id": 0} for row in fresh])
            known = [
                {"b_card": pk, **{f"b_{k}": v for k, v in state_values(states[pk]).items()}}
                for pk in pks
                if pk in have
            ]
            if known:
                conn.execute(
                    update(states_t)
                    .where(
                        states_t.c.learner_id == learner_id,
                        states_t.c.card_id == bindparam("b_card"),
                    )
                    .values({c.name: bindparam(f"b_{c.name}") for c in STATE_COLUMNS}),
                    known,
                )
            newest = (
                select(func.max(reviews_t.c.id))
                .where(
                    reviews_t.c.learner_id == states_t.c.learner_id,
                    reviews_t.c.card_id == states_t.c.card_id,
                )
                .scalar_subquery()
            )
            for start in range(0, len(pks), _BATCH):
                conn.execute(
                    update(states_t)
                    .where(
                        states_t.c.learner_id == learner_id,
                        states_t.c.card_id.in_(pks[start : start + _BATCH]),
                    )
                    .values(last_review_id=newest)
                )
