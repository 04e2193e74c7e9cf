"""What an Anki import reads and writes: card identities, logs, and merged log tails.

An import compares every row of a package with the learner's whole log, so
the log is read light (id, time in ms, grade: computed in SQL, no per-row
type conversion), and only the rows a merge starts from or records again
are read in full. The merged rows are written with the driver's executemany
(100,000s of rows), in one transaction with the states.

The read, the merge and the write happen in one transaction that holds the
learner's write lock (`Merges.locked`): an answer given in a review session,
or a second import, waits for it and then builds on what it wrote. Reading
first and writing later lost answers given in between (issue 24).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    bindparam,
    cast,
    func,
    select,
    update,
)

from srs_crss.model import LoggedAnswer, LoggedTime
from srs_crss.storage import totals
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import INSERT_STATE, STATE_COLUMNS, state_from_row, state_values
from srs_crss.storage.schema import cards_t, decks_t, reviews_t, states_t

if TYPE_CHECKING:  # a record type only: storage does not know Anki's formats
    from srs_crss.anki.merge import CardMerge

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LOG_COLUMNS = (
    "learner_id", "card_id", "reviewed_at", "day", "grade", "kind", "duration_ms",
    "repetitions_before", "ef_before", "interval_before", "due_before", "extra_before",
    "lapses_before", "repetitions", "ef", "interval", "due", "extra", "lapses",
    "capped_from", "picked", "imported",
)  # fmt: skip
"""The review log's columns but its id, in the order `_insert_log` builds rows."""
_BATCH = 500
"""Ids per query (bound parameters stay well under any database's limit)."""


class LearnerLog:
    """One learner's log inside one transaction: what a merge reads, and its write."""

    def __init__(self, merges: Merges, conn: Any, learner_id: int) -> None:
        self._merges, self._conn, self.learner_id = merges, conn, learner_id

    def times(self, card_pks: Iterable[int]) -> dict[int, list[LoggedTime]]:
        """Every answer to these cards, in log order: id, time, grade."""
        return self._merges.times(self._conn, self.learner_id, card_pks)

    def details(self, ids: Sequence[int]) -> dict[int, LoggedAnswer]:
        """These log rows in full, by id."""
        return self._merges.details(self._conn, self.learner_id, ids)

    def write(self, cards: Sequence[CardMerge]) -> None:
        """Record the merged tails and states (committed when the transaction ends)."""
        self._merges.write(self._conn, self.learner_id, cards)


class Merges:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def locked(self, learner_id: int) -> Iterator[LearnerLog]:
        """The learner's log under their write lock, read and written in one transaction."""
        with self.db.write_as(learner_id) as conn:
            yield LearnerLog(self, conn, learner_id)

    @contextmanager
    def reading(self, learner_id: int) -> Iterator[LearnerLog]:
        """The learner's log as it is now, for a dry run (nothing is written)."""
        with self.db.read() as conn:
            yield LearnerLog(self, conn, learner_id)

    def card_keys(self) -> list[tuple[int, str, str]]:
        """(card pk, deck id, card id) of every card, retired ones included."""
        with self.db.read() as conn:
            rows = conn.execute(
                select(cards_t.c.id, decks_t.c.slug, cards_t.c.slug).join(
                    decks_t, decks_t.c.id == cards_t.c.deck_id
                )
            ).all()
        return [(int(pk), deck, card) for pk, deck, card in rows]

    def times(
        self, conn: Any, learner_id: int, card_pks: Iterable[int]
    ) -> dict[int, list[LoggedTime]]:
        """Every answer of this learner to these cards, in log order: id, time, grade."""
        wanted = set(card_pks)
        query = (
            select(reviews_t.c.card_id, reviews_t.c.id, self._epoch_ms(), reviews_t.c.grade)
            .where(reviews_t.c.learner_id == learner_id)
            .order_by(reviews_t.c.card_id, reviews_t.c.id)  # index order: no sort
        )
        found: dict[int, list[LoggedTime]] = {}
        for card, rid, ms, grade in conn.execute(query):
            if card in wanted:
                found.setdefault(card, []).append(LoggedTime(rid, int(ms), grade))
        return found

    def details(self, conn: Any, learner_id: int, ids: Sequence[int]) -> dict[int, LoggedAnswer]:
        """These log rows in full, by id."""
        query = select(
            reviews_t.c.id,
            self._epoch_ms().label("ms"),
            reviews_t.c.day,
            reviews_t.c.grade,
            reviews_t.c.duration_ms,
            reviews_t.c.picked,
            reviews_t.c.imported,
            *(reviews_t.c[column.name] for column in STATE_COLUMNS),
            reviews_t.c.learner_id,
        )
        found: dict[int, LoggedAnswer] = {}
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            # by id alone, so the primary key is used (not the learner's whole log)
            for row in conn.execute(query.where(reviews_t.c.id.in_(chunk))):
                if row.learner_id != learner_id:
                    continue
                found[row.id] = LoggedAnswer(
                    row.id,
                    int(row.ms),
                    row.day,
                    row.grade,
                    row.duration_ms,
                    row.picked,
                    state_from_row(row),
                    bool(row.imported),
                )
        return found

    def _epoch_ms(self) -> Any:
        """reviewed_at (naive UTC) as milliseconds since the epoch, in SQL."""
        at = reviews_t.c.reviewed_at
        if self.db.dialect == "sqlite":
            # stored as 'YYYY-MM-DD HH:MM:SS.ffffff': whole seconds, then the milliseconds
            seconds = (
                func.unixepoch(at)
                if sqlite3.sqlite_version_info >= (3, 38)
                else cast(func.strftime("%s", at), BigInteger)
            )
            return seconds * 1000 + cast(func.substr(at, 21, 3), BigInteger)
        return cast(func.floor(func.extract("epoch", at) * 1000), BigInteger)

    def write(self, conn: Any, learner_id: int, cards: Sequence[CardMerge]) -> None:
        """Record every card's merged tail and its new state, in the transaction of
        the read (an import is all or nothing). Rows go in card by card, in time
        order, so each card's log stays in order of its ids."""
        replaced = [rid for card in cards for rid in card.replaced]
        states = {card.card_pk: card.steps[-1][1].after for card in cards}
        for start in range(0, len(replaced), _BATCH):
            chunk = replaced[start : start + _BATCH]
            totals.forget(conn, learner_id, chunk)  # deletes them, keeping the counts true
        self._insert_log(conn, learner_id, cards)
        self._write_states(conn, learner_id, states)

    def _insert_log(self, conn: Any, learner_id: int, cards: Sequence[CardMerge]) -> None:
        """The driver's executemany over plain tuples (100,000s of rows), values bound
        as the column types bind them: naive UTC datetimes; on SQLite, ISO text for
        dates and times, 0/1 for booleans."""
        sqlite = self.db.dialect == "sqlite"
        day: Any = _iso_day if sqlite else (lambda d: d)
        flag: Any = int if sqlite else bool
        naive_epoch = _EPOCH.replace(tzinfo=None)
        rows = []
        for card in cards:
            for answer, outcome in card.steps:
                at = naive_epoch + dt.timedelta(milliseconds=answer.reviewed_ms)
                b, a = outcome.before, outcome.after
                rows.append(
                    (learner_id, card.card_pk,
                     at.isoformat(sep=" ", timespec="microseconds") if sqlite else at,
                     day(outcome.day), int(outcome.grade), outcome.kind.value, answer.duration_ms,
                     b.repetitions, b.ef, b.interval, day(b.due), flag(b.extra), b.lapses,
                     a.repetitions, a.ef, a.interval, day(a.due), flag(a.extra), a.lapses,
                     day(outcome.capped_from), answer.picked, flag(answer.imported))
                )  # fmt: skip
        if rows:
            mark = "?" if sqlite else "%s"
            conn.exec_driver_sql(
                f"INSERT INTO reviews ({', '.join(_LOG_COLUMNS)}) "
                f"VALUES ({', '.join(mark for _ in _LOG_COLUMNS)})",
                rows,
            )

    def _write_states(self, conn: Any, learner_id: int, states: dict[int, Any]) -> None:
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
            {
                "learner_id": learner_id,
                "card_id": pk,
                "b_card_of": pk,
                **state_values(states[pk]),
                "last_review_id": 0,
            }
            for pk in pks
            if pk not in have
        ]
        if fresh:
            conn.execute(INSERT_STATE, fresh)
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


@functools.lru_cache(maxsize=4096)
def _iso_day(day: dt.date | None) -> str | None:
    """A date as SQLAlchemy stores it in SQLite (cached: merged rows share few days)."""
    return None if day is None else day.isoformat()
