"""The review log counted per learner, day, deck and domain (the `review_days` table).

`stats` reads its log figures (answers today, retention over 30 days and over
all time, by domain, the calendar, the streak) from these counts: a few
thousand rows instead of the whole log (a million index entries on the
benchmark's collection, issue 16).

The counts cover each learner's log rows up to `learners.totaled_through`.
An answer adds nothing here (it stays as quick as it was); `catch_up`, run by
`stats` in its own transaction, counts the rows added since. Whatever removes or
reclassifies counted rows keeps the counts true in the same transaction:
`forget` (undo, an Anki import replacing answers) recounts the days it touched;
`recount_deck` follows a card moved to another domain by a deck edit. Every
count is rebuilt from the log with one INSERT ... SELECT over the days
concerned, so the counts can only ever equal what the log says (tested against
the log in tests/storage/test_totals.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)

from srs_crss.storage.schema import cards_t, days_t, learners_t, reviews_t


def newer_rows(learner_id: int, through: int) -> tuple[Any, ...]:
    """WHERE clauses for the learner's log rows after `through` (not counted yet).

    They are few and at the end of the table: the id range finds them. `learner_id + 0`
    keeps SQLite from reading the learner's whole day index instead (a million
    entries), which it would otherwise prefer.
    """
    return (reviews_t.c.id > through, (reviews_t.c.learner_id + 0) == learner_id)


def _counted(*where: Any) -> Any:
    """The log rows matching `where`, counted per learner, day, deck and domain."""
    # "" written inline: a bound "" in both SELECT and GROUP BY is two parameters to
    # PostgreSQL, which then refuses to see them as the same expression
    domain = func.coalesce(cards_t.c.domain, literal_column("''"))
    passed = reviews_t.c.grade >= 3
    learned = reviews_t.c.repetitions_before >= 1
    return (
        select(
            reviews_t.c.learner_id,
            reviews_t.c.day,
            cards_t.c.deck_id,
            domain,
            func.count(),
            func.sum(case((passed, 1), else_=0)),
            func.sum(case((learned, 1), else_=0)),
            func.sum(case((and_(learned, passed), 1), else_=0)),
        )
        .select_from(reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id))
        .where(*where)
        .group_by(
            reviews_t.c.learner_id,
            reviews_t.c.day,
            cards_t.c.deck_id,
            domain,
        )
    )


_COLUMNS = [column.name for column in days_t.columns]
"""review_days' columns, in the order `_counted` selects them."""


def _recount(
    conn: Connection, learner_id: int, days: Collection[dt.date] | None, through: int
) -> None:
    """Rebuild the counts of these days (None: all) from the log, up to `through` (the
    learner's mark)."""
    mine = days_t.c.learner_id == learner_id
    log = [reviews_t.c.learner_id == learner_id, reviews_t.c.id <= through]
    if days is not None:
        mine = and_(mine, days_t.c.day.in_(list(days)))
        log.append(reviews_t.c.day.in_(list(days)))
    conn.execute(delete(days_t).where(mine))
    conn.execute(insert(days_t).from_select(_COLUMNS, _counted(*log)))


def catch_up(conn: Connection, learner_id: int) -> None:
    """Count the learner's log rows added since the last call (the whole log the first time).

    Call inside a write transaction: the learner's row is locked (on a server) so two
    catching up at once cannot count the same rows twice.
    """
    through = conn.scalar(
        select(learners_t.c.totaled_through).where(learners_t.c.id == learner_id).with_for_update()
    )
    newest = conn.scalar(select(func.max(reviews_t.c.id)))  # the table's: rowid, no scan
    if through is None or newest is None or newest <= through:
        return
    days: list[dt.date] | None = None
    if through > 0:  # only the days of the new rows (usually just today)
        days = list(
            conn.scalars(select(reviews_t.c.day).where(*newer_rows(learner_id, through)).distinct())
        )
    _mark(conn, learner_id, newest)
    if days != []:
        _recount(conn, learner_id, days, newest)


def forget(conn: Connection, learner_id: int, review_ids: Collection[int]) -> None:
    """Delete these log rows of the learner and keep the counts true without them."""
    through = conn.scalar(select(learners_t.c.totaled_through).where(learners_t.c.id == learner_id))
    ids = list(review_ids)
    days = set(
        conn.scalars(
            select(reviews_t.c.day)
            .where(reviews_t.c.id.in_(ids), reviews_t.c.id <= (through or 0))
            .distinct()
        )
    )
    conn.execute(delete(reviews_t).where(reviews_t.c.id.in_(ids)))
    # SQLite gives a new row the highest id plus one: with the highest ids gone, new
    # rows could get ids at or below the mark, and would never be counted.
    newest = conn.scalar(select(func.max(reviews_t.c.id))) or 0
    if through is not None and newest < through:
        through = newest
        _mark(conn, learner_id, through)
    if days:
        _recount(conn, learner_id, days, through or 0)


def recount_deck(conn: Connection, deck_id: int) -> None:
    """Rebuild every learner's counts for one deck (its cards' domains changed)."""
    conn.execute(delete(days_t).where(days_t.c.deck_id == deck_id))
    counted = _counted(
        cards_t.c.deck_id == deck_id,
        reviews_t.c.id
        <= select(learners_t.c.totaled_through)
        .where(learners_t.c.id == reviews_t.c.learner_id)
        .scalar_subquery(),
    )
    conn.execute(insert(days_t).from_select(_COLUMNS, counted))


def _mark(conn: Connection, learner_id: int, through: int) -> None:
    conn.execute(
        update(learners_t).where(learners_t.c.id == learner_id).values(totaled_through=through)
    )
