"""Exam dates: one per learner and deck, or one for all decks (deck NULL).

Setting a date also pulls in the cards already due after the day before it
(logged in due_moves with SM-2's day); clearing it puts back SM-2's day on the
cards not answered since. docs/exam.md gives the rules.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Connection, and_, delete, insert, select, update

from srs_crss.storage.engine import Database
from srs_crss.storage.rows import deck_id_of, is_
from srs_crss.storage.schema import (
    cards_t,
    cohort_exams_t,
    decks_t,
    exams_t,
    moves_t,
    states_t,
)


class Exams:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, learner_id: int) -> dict[str | None, dt.date]:
        """This learner's exam dates: deck id -> day, None -> the all-decks exam; the
        class's (srs-crss cohort exam) when the learner has set none."""
        query = (
            select(decks_t.c.slug, exams_t.c.exam_day)
            .select_from(exams_t.outerjoin(decks_t, decks_t.c.id == exams_t.c.deck_id))
            .where(exams_t.c.learner_id == learner_id)
        )
        found: dict[str | None, dt.date] = {}
        with self.db.read() as conn:
            for slug, day in conn.execute(query):
                found[slug] = day
            if not found:  # none of their own: the class's, if an instructor set one
                class_dates = select(decks_t.c.slug, cohort_exams_t.c.exam_day).select_from(
                    cohort_exams_t.outerjoin(decks_t, decks_t.c.id == cohort_exams_t.c.deck_id)
                )
                found.update(conn.execute(class_dates).all())
        return found

    def set(
        self, learner_id: int, deck: str | None, day: dt.date, now: dt.datetime, today: dt.date
    ) -> int:
        """Set (or move) the exam date for a deck, or for all decks, and pull in the cards
        due after the day before it. Returns how many cards were pulled in."""
        with self.db.write() as conn:
            deck_id = deck_id_of(conn, deck)
            where = (exams_t.c.learner_id == learner_id, is_(exams_t.c.deck_id, deck_id))
            if conn.scalar(select(exams_t.c.id).where(*where)) is None:
                conn.execute(
                    insert(exams_t).values(
                        learner_id=learner_id, deck_id=deck_id, exam_day=day, created_at=now
                    )
                )
            else:
                conn.execute(update(exams_t).where(*where).values(exam_day=day))
            _undo_moves(conn, learner_id, deck_id, now)
            return _pull_in(conn, learner_id, deck_id, day, now, today)

    def clear(self, learner_id: int, deck: str | None, now: dt.datetime) -> bool:
        """Remove an exam date (False if there was none); cards it pulled in and not
        answered since get SM-2's due day back."""
        with self.db.write() as conn:
            deck_id = deck_id_of(conn, deck)
            done = conn.execute(
                delete(exams_t).where(
                    exams_t.c.learner_id == learner_id, is_(exams_t.c.deck_id, deck_id)
                )
            )
            _undo_moves(conn, learner_id, deck_id, now)
            return bool(done.rowcount)

    def moved_from(self, learner_id: int, card_pk: int) -> dt.date | None:
        """SM-2's due day of a card an exam date pulled in (None if it was not)."""
        query = (
            select(moves_t.c.from_day)
            .select_from(moves_t.join(states_t, _same_card()))
            .where(
                moves_t.c.learner_id == learner_id,
                moves_t.c.card_id == card_pk,
                moves_t.c.undone_at.is_(None),
                states_t.c.last_review_id == moves_t.c.last_review_id,
            )
            .order_by(moves_t.c.id.desc())
            .limit(1)
        )
        with self.db.read() as conn:
            found: dt.date | None = conn.scalar(query)
        return found


def _same_card() -> ColumnElement[bool]:
    return and_(
        states_t.c.learner_id == moves_t.c.learner_id, states_t.c.card_id == moves_t.c.card_id
    )


def _covered(conn: Connection, learner_id: int, deck_id: int | None) -> ColumnElement[bool]:
    """The cards an exam applies to: its deck's, or (all-decks exam) those of every deck
    without an exam of its own."""
    if deck_id is not None:
        return cards_t.c.deck_id == deck_id
    own = select(exams_t.c.deck_id).where(
        exams_t.c.learner_id == learner_id, exams_t.c.deck_id.is_not(None)
    )
    return cards_t.c.deck_id.not_in(own)


def _pull_in(
    conn: Connection,
    learner_id: int,
    deck_id: int | None,
    day: dt.date,
    now: dt.datetime,
    today: dt.date,
) -> int:
    eve = day - dt.timedelta(days=1)
    if eve <= today:
        return 0  # as the cap: from the day before the exam on, plain SM-2
    rows = conn.execute(
        select(states_t.c.card_id, states_t.c.due, states_t.c.last_review_id)
        .select_from(states_t.join(cards_t, cards_t.c.id == states_t.c.card_id))
        .where(
            states_t.c.learner_id == learner_id,
            states_t.c.due > eve,
            cards_t.c.retired.is_(False),
            _covered(conn, learner_id, deck_id),
        )
    ).all()
    if not rows:
        return 0
    conn.execute(
        insert(moves_t),
        [
            {
                "learner_id": learner_id,
                "card_id": card_id,
                "moved_at": now,
                "exam_day": day,
                "from_day": due,
                "to_day": eve,
                "last_review_id": last,
            }
            for card_id, due, last in rows
        ],
    )
    conn.execute(
        update(states_t)
        .where(
            states_t.c.learner_id == learner_id,
            states_t.c.card_id.in_([card_id for card_id, _, _ in rows]),
        )
        .values(due=eve)
    )
    return len(rows)


def _undo_moves(conn: Connection, learner_id: int, deck_id: int | None, now: dt.datetime) -> None:
    """Put SM-2's due day back on cards pulled in and not answered since."""
    moves = conn.execute(
        select(moves_t.c.id, moves_t.c.card_id, moves_t.c.from_day)
        .select_from(
            moves_t.join(states_t, _same_card()).join(cards_t, cards_t.c.id == moves_t.c.card_id)
        )
        .where(
            moves_t.c.learner_id == learner_id,
            moves_t.c.undone_at.is_(None),
            states_t.c.last_review_id == moves_t.c.last_review_id,
            _covered(conn, learner_id, deck_id),
        )
    ).all()
    for _, card_id, from_day in moves:
        conn.execute(
            update(states_t)
            .where(states_t.c.learner_id == learner_id, states_t.c.card_id == card_id)
            .values(due=from_day)
        )
    if moves:
        conn.execute(
            update(moves_t)
            .where(moves_t.c.id.in_([move_id for move_id, _, _ in moves]))
            .values(undone_at=now)
        )
