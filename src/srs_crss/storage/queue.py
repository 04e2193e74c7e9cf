"""The review queue's reads: due counts and pages, new cards, and the log figures
a session needs (new cards introduced today, study days, the newest day), and the
questions missed in finished practice exams that a session starts with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, tuple_, union

from srs_crss import model
from srs_crss.model import FINISHED
from srs_crss.sm2 import CardState, ReviewKind
from srs_crss.storage import driver, totals
from srs_crss.storage.driver import in_list, in_values
from srs_crss.storage.engine import Database
from srs_crss.storage.prepared import Prepared
from srs_crss.storage.rows import (
    STATE_COLUMNS,
    cards_decks,
    deck_and_domain,
    retired_states,
    scope_filters,
    set_aside_states,
    state_for,
    state_from_row,
    states_cards_decks,
    suspended,
)
from srs_crss.storage.schema import (
    cards_t,
    cram_t,
    days_t,
    decks_t,
    learners_t,
    mock_exams_t,
    mock_questions_t,
    reviews_t,
    states_t,
)


def _due_key() -> tuple[Any, ...]:
    """Queue order of due cards: oldest due first, then deck and file order."""
    return (states_t.c.due, decks_t.c.slug, cards_t.c.position, cards_t.c.id)


def _active_states(learner_id: int, scope: model.Scope) -> list[Any]:
    return [
        states_t.c.learner_id == learner_id,
        cards_t.c.retired.is_(False),
        ~suspended(learner_id),
        *scope_filters(scope),
    ]


def _unseen(learner_id: int) -> Any:
    """Never reviewed (and not suspended) by this learner."""
    seen = select(states_t.c.card_id).where(
        states_t.c.learner_id == learner_id, states_t.c.card_id == cards_t.c.id
    )
    return and_(~seen.exists(), ~suspended(learner_id))


def _kind_counts(extra: Any, repetitions: Any) -> tuple[Any, Any, Any]:
    """Of due states: how many, how many await an extra review, how many failed last
    time (FILTER: SQLite 3.30 on, PostgreSQL; compiles in half a CASE's time)."""
    return (
        func.count(),
        func.count().filter(extra.is_(True)),
        func.count().filter(extra.is_(False), repetitions == 0),
    )


def _missed(learner_id: int, scope: model.Scope) -> Select[Any]:
    """`Queue.follow_ups`'s query: the questions a learner missed in finished exams
    whose cards were not answered since."""

    def answered_since(table: Any, at: Any) -> Any:  # in review or in cram
        return (
            select(table.c.id)
            .where(
                table.c.learner_id == learner_id,
                table.c.card_id == mock_questions_t.c.card_id,
                at >= mock_exams_t.c.finished_at,
            )
            .exists()
        )

    missed = and_(
        mock_exams_t.c.learner_id == learner_id,
        mock_exams_t.c.status.in_(FINISHED),
        (mock_questions_t.c.picked.is_(None)) | (mock_questions_t.c.picked != cards_t.c.answer),
        cards_t.c.retired.is_(False),
        ~suspended(learner_id),
        ~answered_since(reviews_t, reviews_t.c.reviewed_at),
        ~answered_since(cram_t, cram_t.c.answered_at),
    )
    return (
        select(mock_questions_t.c.card_id, states_t.c.card_id.label("seen"), *STATE_COLUMNS)
        .select_from(
            mock_questions_t.join(mock_exams_t)
            .join(cards_t, cards_t.c.id == mock_questions_t.c.card_id)
            .outerjoin(
                states_t,
                and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
            )
        )
        # decks by id, not joined: SQLite then starts from the learner's exams (few)
        .where(missed, *scope_filters(scope, decks_joined=False))
        .order_by(mock_exams_t.c.id, mock_questions_t.c.position)
    )


def _unseen_at_most(conn: Any, learner_id: int, scope: model.Scope, active: int) -> int | None:
    """How many of the scope's `active` (not retired) cards can still be unseen: `active`
    less the learner's states in the scope (the states' index: a state knows its deck and
    domain) plus retired cards' (few, each by key). None for a tag: states know no tags."""
    if scope.tag:
        return None
    in_scope = deck_and_domain(states_t, scope)
    seen = select(func.count()).where(states_t.c.learner_id == learner_id, *in_scope)
    gone = select(func.count()).where(retired_states(learner_id), *in_scope)
    row = conn.execute(select(seen.scalar_subquery(), gone.scalar_subquery())).one()
    return max(0, active - (int(row[0]) - int(row[1])))


_REVIEW_COUNTS = Prepared(
    select(reviews_t.c.card_id, func.count().label("answers"))
    .where(reviews_t.c.learner_id == bindparam("learner"), in_list(reviews_t.c.card_id))
    .group_by(reviews_t.c.card_id)
)
"""Rendered once, like storage/decks.py's content batch: read on the driver with each batch."""


class Queue:
    def __init__(self, db: Database) -> None:
        self.db = db

    def due_counts(
        self, learner_id: int, today: dt.date, scope: model.Scope, limit: int | None = None
    ) -> tuple[int, int, int]:
        """The first `limit` (or all) active cards due by `today`, in queue order:
        (how many, how many await an extra review, how many failed last time).

        Without a limit, and with no scope but decks, this reads only an index: the
        due states (of those decks), less the (few) retired or suspended cards among them.
        """
        if limit is None and not scope.tag and not scope.domain:
            by_due = [states_t.c.due <= today, *deck_and_domain(states_t, scope)]
            kinds = select(*_kind_counts(states_t.c.extra, states_t.c.repetitions))
            every = self._counts(kinds.where(states_t.c.learner_id == learner_id, *by_due))
            # the few retired or suspended ones, each by its key (rows.retired_states)
            off = self._counts(kinds.where(set_aside_states(learner_id), *by_due))
            return every[0] - off[0], every[1] - off[1], every[2] - off[2]
        due = (
            select(states_t.c.extra, states_t.c.repetitions)
            .select_from(states_cards_decks())
            .where(states_t.c.due <= today, *_active_states(learner_id, scope))
        )
        if limit is not None:
            due = due.order_by(*_due_key()).limit(limit)
        sub = due.subquery()
        return self._counts(select(*_kind_counts(sub.c.extra, sub.c.repetitions)))

    def _counts(self, query: Any) -> tuple[int, int, int]:
        with self.db.read() as conn:
            row = conn.execute(query).one()
        return int(row[0]), int(row[1]), int(row[2])

    def due_page(
        self,
        learner_id: int,
        today: dt.date,
        scope: model.Scope,
        after: tuple[Any, ...] | None,
        size: int,
    ) -> list[tuple[int, CardState, tuple[Any, ...]]]:
        """The next `size` due cards after the key `after`: oldest due first, then file order.

        Keyset pagination on (due, deck, position, id); each row carries its key.
        """
        key = _due_key()
        query = (
            select(states_t.c.card_id, *STATE_COLUMNS, decks_t.c.slug, cards_t.c.position)
            .select_from(states_cards_decks())
            .where(states_t.c.due <= today, *_active_states(learner_id, scope))
            .order_by(*key)
            .limit(size)
        )
        if after is not None:
            query = query.where(tuple_(*key) > tuple_(*after))
        with self.db.read() as conn:
            return [
                (row.card_id, state_from_row(row), (row.due, row.slug, row.position, row.card_id))
                for row in conn.execute(query)
            ]

    def follow_ups(self, learner_id: int, scope: model.Scope) -> list[tuple[int, CardState | None]]:
        """Cards missed in finished practice exams and not answered since (in review or
        cram), oldest exam first: what the next review session starts with. A learner
        who never finished an exam costs one key lookup, not the full query."""
        finished = select(mock_exams_t.c.id).where(
            mock_exams_t.c.learner_id == learner_id, mock_exams_t.c.status.in_(FINISHED)
        )
        found: dict[int, CardState | None] = {}
        with self.db.read() as conn:
            if conn.scalar(finished.limit(1)) is None:
                return []
            for row in conn.execute(_missed(learner_id, scope)):
                if row.card_id not in found:
                    found[row.card_id] = None if row.seen is None else state_from_row(row)
        return list(found.items())

    def new_card_ids(self, learner_id: int, scope: model.Scope, limit: int) -> list[int]:
        """Active cards this learner has never reviewed, in deck-file order."""
        if limit <= 0:
            return []
        query = (
            select(cards_t.c.id)
            .select_from(cards_decks())
            .where(cards_t.c.retired.is_(False), _unseen(learner_id), *scope_filters(scope))
            .order_by(decks_t.c.slug, cards_t.c.position)
            .limit(limit)
        )
        with self.db.read() as conn:
            return list(conn.scalars(query))

    def new_cards_by_domain(
        self, learner_id: int, scope: model.Scope, limit: int
    ) -> tuple[dict[str, list[int]], dict[str, int]]:
        """Up to `limit` unseen active cards of each exam domain, in deck-file order, and
        each domain's share of the scope (its active cards). "" stands for no domain.

        One walk through the cards in file order, stopped as soon as every domain
        has its `limit` (the cards already seen are skipped once, not once a domain),
        or as soon as every unseen card is found: how many there can be is counted
        first from the states' index (`_unseen_at_most`), so a scope whose cards are
        all seen (late in a learner's preparation) is not walked at all (5 ms at
        10,000 seen cards, against 0.5 ms).
        """
        if limit <= 0:
            return {}, {}
        active = (cards_t.c.retired.is_(False), *scope_filters(scope))
        shares = select(cards_t.c.domain, func.count()).select_from(cards_decks())
        unseen = (
            select(cards_t.c.id, cards_t.c.domain)
            .select_from(cards_decks())
            .where(*active, _unseen(learner_id))
            .order_by(decks_t.c.slug, cards_t.c.position)
        )
        lines: dict[str, list[int]] = {}
        weights: dict[str, int] = {}
        with self.db.read() as conn:
            for domain, count in conn.execute(shares.where(*active).group_by(cards_t.c.domain)):
                weights[domain or ""] = int(count)
                lines[domain or ""] = []
            left = _unseen_at_most(conn, learner_id, scope, sum(weights.values()))
            wanting = len(lines)
            if left == 0 or wanting == 0:
                return lines, weights
            for pk, domain in conn.execute(unseen.execution_options(yield_per=256)):
                line = lines.setdefault(domain or "", [])
                if len(line) < limit:
                    line.append(pk)
                    wanting -= len(line) == limit
                    if wanting <= 0:
                        break
                if left is not None:
                    left -= 1
                    if left == 0:  # every unseen card found
                        break
        return lines, weights

    def count_new_available(self, learner_id: int, scope: model.Scope) -> int:
        """Active cards this learner has never reviewed."""
        query = (
            select(func.count())
            .select_from(cards_decks())
            .where(cards_t.c.retired.is_(False), _unseen(learner_id), *scope_filters(scope))
        )
        with self.db.read() as conn:
            return int(conn.scalar(query) or 0)

    def new_introduced(self, learner_id: int, day: dt.date, decks: Sequence[str] = ()) -> int:
        """How many new cards (of these decks, or any) this learner first saw on `day`."""
        query = select(func.count()).where(
            reviews_t.c.learner_id == learner_id,
            reviews_t.c.day == day,
            reviews_t.c.kind == ReviewKind.NEW.value,
        )
        if decks:
            query = query.select_from(
                reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id).join(
                    decks_t, decks_t.c.id == cards_t.c.deck_id
                )
            ).where(decks_t.c.slug.in_(list(decks)))
        with self.db.read() as conn:
            return int(conn.scalar(query) or 0)

    def next_due(self, learner_id: int, after: dt.date, scope: model.Scope) -> dt.date | None:
        """The first day after `after` on which an active card falls due."""
        query = (
            select(func.min(states_t.c.due))
            .select_from(states_cards_decks())
            .where(states_t.c.due > after, *_active_states(learner_id, scope))
        )
        with self.db.read() as conn:
            found: dt.date | None = conn.scalar(query)
        return found

    def count_due_on(self, learner_id: int, day: dt.date, scope: model.Scope) -> int:
        """Active cards due on `day` or before it (from the states' index, as due_counts)."""
        return self.due_counts(learner_id, day, scope)[0]

    def study_days(self, learner_id: int, until: dt.date, limit: int = 3660) -> list[dt.date]:
        """Distinct days with at least one review, newest first, up to `until`.

        From the per-day counts (storage/totals.py) and the log rows added since they
        were last brought up to date: a learner who studied every day for two years
        has a million log entries, and 30,000 counts. Before the first `stats` there
        are no counts: then the log's day index is searched once a day (`_log_days`).
        """
        with self.db.read() as conn:
            through = conn.scalar(
                select(learners_t.c.totaled_through).where(learners_t.c.id == learner_id)
            )
            if not through:
                return list(conn.scalars(_log_days(learner_id, until).limit(limit)))
            counted = select(days_t.c.day).where(
                days_t.c.learner_id == learner_id, days_t.c.day <= until
            )
            newer = select(reviews_t.c.day).where(
                *totals.newer_rows(learner_id, through), reviews_t.c.day <= until
            )
            query = union(counted, newer).subquery().select()
            column = query.selected_columns[0]
            return list(conn.scalars(query.order_by(column.desc()).limit(limit)))

    def state(self, learner_id: int, card_pk: int) -> CardState:
        """One card's state as it is now (new if never reviewed): one primary-key read."""
        with self.db.read() as conn:
            return state_for(conn, learner_id, card_pk)

    def latest_review_day(self, learner_id: int) -> dt.date | None:
        """The newest study day in this learner's log (guards against clocks going back)."""
        query = select(func.max(reviews_t.c.day)).where(reviews_t.c.learner_id == learner_id)
        with self.db.read() as conn:
            found: dt.date | None = conn.scalar(query)
        return found

    def notes_of(self, pks: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Card pk -> (deck, note): the note is the card's sibling_of, or its own id."""
        note = func.coalesce(cards_t.c.sibling_of, cards_t.c.slug)
        found: dict[int, tuple[str, str]] = {}
        with self.db.read() as conn:
            for start in range(0, len(pks), 500):  # (bound parameters: a few hundred at a time)
                query = (
                    select(cards_t.c.id, decks_t.c.slug, note)
                    .select_from(cards_decks())
                    .where(cards_t.c.id.in_(list(pks[start : start + 500])))
                )
                for pk, deck, key in conn.execute(query):
                    found[pk] = (deck, key)
        return found

    def notes_answered(
        self, learner_id: int, day: dt.date, decks: Sequence[str] = ()
    ) -> dict[tuple[str, str], set[int]]:
        """(deck, note) -> the cards of that note this learner answered on `day`, in `decks`
        (all if none; a note's cards share its deck). A note: sibling_of, or the card's id."""
        note = func.coalesce(cards_t.c.sibling_of, cards_t.c.slug)
        query = (
            select(decks_t.c.slug, note, cards_t.c.id)
            .select_from(reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id))
            .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
            .where(reviews_t.c.learner_id == learner_id, reviews_t.c.day == day)
            .distinct()
        )
        if decks:
            query = query.where(decks_t.c.slug.in_(list(decks)))
        found: dict[tuple[str, str], set[int]] = {}
        with self.db.read() as conn:
            for deck, key, pk in conn.execute(query):
                found.setdefault((deck, key), set()).add(pk)
        return found

    def review_total(self, learner_id: int) -> int:
        """How many answers this learner has given in all."""
        query = select(func.count()).where(reviews_t.c.learner_id == learner_id)
        with self.db.read() as conn:
            return int(conn.scalar(query) or 0)

    def review_counts(self, learner_id: int, card_pks: Sequence[int]) -> dict[int, int]:
        """How many answers this learner has given to each of these cards (one query)."""
        if not card_pks:
            return {}
        counts = {}
        with driver.read(self.db) as conn:
            for values in in_values(card_pks):
                for pk, n in conn.all(_REVIEW_COUNTS, {"learner": learner_id, **values}):
                    counts[int(pk)] = int(n)
        return {pk: counts.get(pk, 0) for pk in card_pks}


def _log_days(learner_id: int, until: dt.date) -> Select[tuple[dt.date]]:
    """The learner's distinct days in the log, newest first, up to `until`: each the
    newest day before the last, one seek of the day index apiece (a loose index scan,
    written the same way for SQLite and PostgreSQL), so two years of study cost 730
    seeks rather than a read of every answer (a million for a daily learner)."""
    mine, day = reviews_t.c.learner_id == learner_id, reviews_t.c.day
    days = select(func.max(day).label("day")).where(mine, day <= until).cte(recursive=True)
    earlier = select(func.max(day)).where(mine, day < days.c.day).scalar_subquery()
    days = days.union_all(select(earlier).where(days.c.day.is_not(None)))
    return select(days.c.day).where(days.c.day.is_not(None))
