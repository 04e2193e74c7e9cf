"""What an Anki export reads: decks with their active cards and states, and the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import DateTime, and_, select, type_coerce

from srs_crss import model
from srs_crss.sm2 import CardState
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import STATE_COLUMNS, card_from_row, card_select
from srs_crss.storage.schema import cards_t, decks_t, reviews_t, states_t


class Export:
    def __init__(self, db: Database) -> None:
        self.db = db

    def decks(self, learner_id: int, decks: Sequence[str]) -> list[model.ExportDeck]:
        """Decks (all with active cards if `decks` is empty) with their active cards
        and this learner's state on each, for an export."""
        with self.db.read() as conn:
            deck_query = select(
                decks_t.c.id, decks_t.c.slug, decks_t.c.name, decks_t.c.description
            ).order_by(decks_t.c.slug)
            if decks:
                deck_query = deck_query.where(decks_t.c.slug.in_(list(decks)))
            deck_rows = conn.execute(deck_query).all()
            cards_query = (
                card_select()
                .add_columns(cards_t.c.content_changed_at, *STATE_COLUMNS)
                .outerjoin(
                    states_t,
                    and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
                )
                .where(
                    cards_t.c.retired.is_(False),
                    cards_t.c.deck_id.in_([row.id for row in deck_rows]),
                )
                .order_by(decks_t.c.slug, cards_t.c.position)
            )
            rows = conn.execute(cards_query).all()
        by_deck: dict[str, list[model.ExportCard]] = {}
        new = CardState()
        # By position, not name: 100,000s of rows. After card_select()'s 16
        # columns come content_changed_at, then the STATE_COLUMNS in order.
        for row in rows:
            reps, ef, interval, due, extra, lapses = row[17:23]
            card = card_from_row(row)
            by_deck.setdefault(card.deck, []).append(
                model.ExportCard(
                    card=card,
                    content_changed_at=row[16],
                    state=new
                    if due is None
                    else CardState(reps, ef, interval, due, bool(extra), lapses),
                )  # fmt: skip
            )
        return [
            model.ExportDeck(
                id=row.slug,
                name=row.name,
                description=row.description,
                cards=tuple(by_deck[row.slug]),
            )
            for row in deck_rows
            if row.slug in by_deck
        ]

    def history(
        self, learner_id: int, card_pks: Iterable[int]
    ) -> dict[int, list[model.ExportReview]]:
        """This learner's full log for these cards, oldest first, as plain tuples."""
        wanted = set(card_pks)
        log = (
            select(
                reviews_t.c.id,
                reviews_t.c.card_id,
                # naive UTC as stored: converted to epoch ms below, without
                # building an aware datetime for every row
                type_coerce(reviews_t.c.reviewed_at, DateTime()),
                reviews_t.c.grade,
                reviews_t.c.kind,
                reviews_t.c.repetitions_before,
                reviews_t.c.interval_before,
                reviews_t.c.interval,
                reviews_t.c.ef,
                reviews_t.c.duration_ms,
            )
            .where(reviews_t.c.learner_id == learner_id)
            # index order: no sort, no join (other cards are skipped below)
            .order_by(reviews_t.c.card_id, reviews_t.c.id)
        )
        history: dict[int, list[model.ExportReview]] = {}
        epoch, ms = dt.datetime(1970, 1, 1), dt.timedelta(milliseconds=1)
        with self.db.read() as conn:
            for rid, cid, at, grade, kind, n_before, i_before, i_after, ef, took in conn.execute(
                log
            ).all():
                if cid in wanted:
                    history.setdefault(cid, []).append(
                        model.ExportReview(
                            rid,
                            (at - epoch) // ms,
                            grade,
                            kind,
                            n_before,
                            i_before,
                            i_after,
                            ef,
                            took,
                        )  # fmt: skip
                    )
        return history
