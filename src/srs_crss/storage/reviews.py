"""Review writes: an answer (state and log in one transaction), undo, bulk loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from srs_crss.errors import NotFound, StorageFailure
from srs_crss.model import Peek
from srs_crss.sm2 import CardState, Review, review
from srs_crss.storage import driver, totals
from srs_crss.storage.engine import Database, WriteConflict
from srs_crss.storage.prepared import Prepared
from srs_crss.storage.rows import (
    INSERT_STATE,
    STATE_COLUMNS,
    prepare_state_read,
    state_before_from_row,
    state_for,
    state_values,
)
from srs_crss.storage.schema import reviews_t, states_t

_INSERT_LOG = Prepared(insert(reviews_t).returning(reviews_t.c.id))
_UPDATE_STATE = update(states_t).where(
    states_t.c.learner_id == bindparam("b_learner"), states_t.c.card_id == bindparam("b_card")
)
_UPDATE_STATE_IF = _UPDATE_STATE.where(
    *(column == bindparam(f"was_{column.name}") for column in STATE_COLUMNS)
)
_SET_STATE = Prepared(_UPDATE_STATE)
_ADD_STATE = Prepared(INSERT_STATE)
"""Statements built once, values bound per answer: building them per answer cost more than
running them (issue 16). `_UPDATE_STATE_IF` writes a state only if it is still the one
expected. An answer's statements are rendered once and run in a transaction on the driver
(storage/prepared.py, storage/driver.py)."""
_CHECKED: dict[frozenset[str], Prepared] = {}
"""`_UPDATE_STATE_IF` by the state columns an answer changes: it sets only those, so the
database leaves alone the indexes over columns the answer kept (a pass at grade 4 keeps
ef and lapses: one index of card_states, and a page of the commit, not written)."""


def _checked_update(changed: Collection[str]) -> Prepared:
    key = frozenset(changed)
    statement = _CHECKED.get(key)
    if statement is None:
        statement = _CHECKED[key] = Prepared(_UPDATE_STATE_IF)
    return statement


def _changes(before: CardState, after: CardState) -> dict[str, Any]:
    """The state columns `after` changes, with their new values."""
    pairs = zip(CardState._fields, after, before, strict=True)
    return {name: new for name, new, old in pairs if new != old}


class _Moved(Exception):
    """The card's state changed since the session read it (another session answered it)."""


_ATTEMPTS = 3
"""Tries for one answer on a server, where two first answers to a new card can race."""


class Reviews:
    def __init__(self, db: Database) -> None:
        self.db = db

    def prepare(self) -> None:
        """Render an answer's statements now (storage/prepared.py), not in the first answer:
        a review calls this while the learner reads the first card."""
        dialect = self.db.engine.dialect
        day = dt.date(2000, 1, 1)
        log = log_values(
            0, 0, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), review(CardState(), 4, day), 0
        )
        _INSERT_LOG.prepare(dialect, [*log, "capped_from", "picked"])
        were = list(state_values(CardState(), prefix="was_"))
        seen = CardState(repetitions=3, interval=10, due=day)
        for before in (seen, seen._replace(extra=True)):  # what each grade changes
            for grade in range(6):
                changed = _changes(before, review(before, grade, day).after)
                _checked_update(changed).prepare(
                    dialect, ["b_learner", "b_card", *changed, "last_review_id", *were]
                )
        prepare_state_read(dialect)

    def apply(
        self,
        learner_id: int,
        card_pk: int,
        decide: Callable[[CardState], Review],
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        picked: str | None = None,
        known: CardState | None = None,
        peek: Peek | None = None,
    ) -> tuple[int, Review]:
        """Read the card's current state, apply `decide`, write state and log
        (with the choice `picked` on a multiple-choice card).

        `known`, the state the caller last saw of a card already reviewed, saves
        the read: the state is written only if it is still that one (checked by the
        UPDATE itself); if another session answered the card since, nothing is
        written and the answer is applied to the state read afresh.

        All in one write transaction, so an answer is never applied to stale
        state and state and log always agree. Returns the log row id. SQLite
        serialises writers (BEGIN IMMEDIATE); on a server the learner's write lock
        is held (an import waits for the answer, or the answer for the import:
        `Database.write_as`), the state row is locked
        (SELECT ... FOR UPDATE, or the checking UPDATE), and two first answers to
        a new card racing to insert its state are settled by retrying the loser.

        `peek` names another card whose state is read in the same transaction.
        """
        if known is not None and not known.is_new:
            try:
                return self._apply_known(
                    learner_id, card_pk, known, decide, reviewed_at, duration_ms, picked, peek
                )
            except _Moved:
                pass  # rolled back: read the state as it is now
        for attempt in range(_ATTEMPTS):
            try:
                return self._apply(
                    learner_id, card_pk, decide, reviewed_at, duration_ms, picked, peek
                )
            except WriteConflict:
                if attempt == _ATTEMPTS - 1 or self.db.dialect == "sqlite":
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _apply_known(
        self,
        learner_id: int,
        card_pk: int,
        known: CardState,
        decide: Callable[[CardState], Review],
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        picked: str | None,
        peek: Peek | None,
    ) -> tuple[int, Review]:
        """An answer to a card whose state the caller knows: two statements, no read."""
        outcome = decide(known)
        with driver.write_as(self.db, learner_id) as conn:
            review_id = self._log(
                conn, learner_id, card_pk, outcome, reviewed_at, duration_ms, picked
            )
            changed = _changes(known, outcome.after)
            values = {"b_learner": learner_id, "b_card": card_pk, **changed}
            values |= {"last_review_id": review_id, **state_values(known, prefix="was_")}
            done = conn.run(_checked_update(changed), values)
            if done.rowcount != 1:
                raise _Moved
            _read_peek(conn, learner_id, peek)
        return review_id, outcome

    def _apply(
        self,
        learner_id: int,
        card_pk: int,
        decide: Callable[[CardState], Review],
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        picked: str | None,
        peek: Peek | None,
    ) -> tuple[int, Review]:
        with driver.write_as(self.db, learner_id) as conn:
            before = state_for(conn, learner_id, card_pk, lock=True)
            outcome = decide(before)
            after = outcome.after
            assert after.due is not None
            review_id = self._log(
                conn, learner_id, card_pk, outcome, reviewed_at, duration_ms, picked
            )
            state = {**state_values(after), "last_review_id": review_id}
            if before.is_new:
                row = {"learner_id": learner_id, "card_id": card_pk, "b_card_of": card_pk}
                conn.run(_ADD_STATE, row | state)
            else:
                conn.run(_SET_STATE, {"b_learner": learner_id, "b_card": card_pk, **state})
            _read_peek(conn, learner_id, peek)
        return int(review_id), outcome

    @staticmethod
    def _log(
        conn: driver.DriverWrite,
        learner_id: int,
        card_pk: int,
        outcome: Review,
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        picked: str | None,
    ) -> int:
        """Append the answer to the log; its id."""
        values = log_values(learner_id, card_pk, reviewed_at, outcome, duration_ms)
        values |= {"capped_from": outcome.capped_from, "picked": picked}
        row = conn.run(_INSERT_LOG, values).fetchone()
        assert row is not None
        return int(row[0])

    def undo(self, learner_id: int, review_id: int) -> int:
        """Remove log row `review_id` and restore the state before it.

        Only the newest answer of a card can be undone. Returns the card's pk.
        """
        with self.db.write_as(learner_id) as conn:
            row = conn.execute(
                select(reviews_t).where(
                    reviews_t.c.id == review_id, reviews_t.c.learner_id == learner_id
                )
            ).first()
            if row is None:
                raise NotFound("that answer is no longer in the review log")
            newest = conn.scalar(
                select(func.max(reviews_t.c.id)).where(
                    reviews_t.c.learner_id == learner_id, reviews_t.c.card_id == row.card_id
                )
            )
            if newest != review_id:
                raise StorageFailure("only a card's most recent answer can be undone")
            where = (states_t.c.learner_id == learner_id, states_t.c.card_id == row.card_id)
            if row.due_before is None:
                conn.execute(delete(states_t).where(*where))
            else:
                previous = conn.scalar(
                    select(func.max(reviews_t.c.id)).where(
                        reviews_t.c.learner_id == learner_id,
                        reviews_t.c.card_id == row.card_id,
                        reviews_t.c.id < review_id,
                    )
                )
                conn.execute(
                    update(states_t)
                    .where(*where)
                    .values(
                        **state_values(state_before_from_row(row)), last_review_id=previous or 0
                    )
                )
            totals.forget(conn, learner_id, [review_id])  # deletes the row
            return int(row.card_id)

    def load_history(
        self,
        learner_id: int,
        histories: Iterable[tuple[int, Sequence[tuple[dt.datetime, Review, int | None]]]],
        batch: int = 20_000,
    ) -> int:
        """Bulk-load review histories for cards this learner has never reviewed.

        Each item is (card pk, [(reviewed_at, review, duration_ms), ...]) in
        order; the card's state becomes the last review's `after`. One
        transaction per batch of log rows. Returns the number of rows written.
        Builds large databases for benchmarks and tests without one
        transaction per answer.
        """
        written = 0
        log_rows: list[dict[str, Any]] = []
        state_rows: list[dict[str, Any]] = []

        def flush() -> None:
            if not log_rows:
                return
            with self.db.write() as conn:
                conn.execute(insert(reviews_t), log_rows)
                conn.execute(INSERT_STATE, state_rows)
            log_rows.clear()
            state_rows.clear()

        for card_pk, reviews in histories:
            if not reviews:
                continue
            for reviewed_at, outcome, duration in reviews:
                log_rows.append(log_values(learner_id, card_pk, reviewed_at, outcome, duration))
            state_rows.append(
                {
                    "learner_id": learner_id,
                    "card_id": card_pk,
                    "b_card_of": card_pk,
                    **state_values(reviews[-1][1].after),
                    "last_review_id": 0,
                }
            )
            written += len(reviews)
            if len(log_rows) >= batch:
                flush()
        flush()
        with self.db.write() as conn:  # point states at their newest log row
            newest = (
                select(func.max(reviews_t.c.id))
                .where(
                    reviews_t.c.learner_id == states_t.c.learner_id,
                    reviews_t.c.card_id == states_t.c.card_id,
                )
                .scalar_subquery()
            )
            conn.execute(
                update(states_t)
                .where(states_t.c.learner_id == learner_id, states_t.c.last_review_id == 0)
                .values(last_review_id=newest)
            )
        return written


def _read_peek(conn: driver.DriverWrite, learner_id: int, peek: Peek | None) -> None:
    if peek is not None:
        peek.state = state_for(conn, learner_id, peek.card_pk)


def log_values(
    learner_id: int,
    card_pk: int,
    reviewed_at: dt.datetime,
    outcome: Review,
    duration_ms: int | None,
) -> dict[str, Any]:
    """One review log row, but for `capped_from`."""
    return {
        "learner_id": learner_id,
        "card_id": card_pk,
        "reviewed_at": reviewed_at,
        "day": outcome.day,
        "grade": int(outcome.grade),
        "kind": outcome.kind.value,
        "duration_ms": duration_ms,
        **state_values(outcome.before, "_before"),
        **state_values(outcome.after),
    }
