"""The figures of `srs-crss stats`, aggregated in SQL in one read transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, and_, case, func, select

from srs_crss import model
from srs_crss.errors import StorageFailure
from srs_crss.storage import totals
from srs_crss.storage.engine import Database
from srs_crss.storage.queue import Queue
from srs_crss.storage.rows import (
    cards_decks,
    deck_and_domain,
    retired_cards,
    scope_filters,
    set_aside_states,
    share,
)
from srs_crss.storage.schema import (
    cards_t,
    cram_t,
    days_t,
    decks_t,
    learners_t,
    reviews_t,
    states_t,
    suspended_t,
)
from srs_crss.study.stats import HARD_DAYS, MATURE_DAYS

MONTH_DAYS = 30
CANDIDATES = 20
"""The cards failed most are ranked further from this many times the cards shown."""
YEAR_WEEKS = 52


class LogFigures(NamedTuple):
    """What `stats` reads from the review log (or from its counts, storage/totals.py)."""

    reviewed: int
    correct: int
    recent: tuple[int, int]
    """Answers to learned cards in the last 30 days, and how many passed."""
    ever: tuple[int, int]
    domain_recent: dict[str | None, tuple[int, int]]
    calendar: tuple[tuple[dt.date, int], ...]
    study_days: tuple[dt.date, ...]
    """Days with answers, newest first (a year of them, or all if every day was studied)."""


class Stats:
    def __init__(self, db: Database, queue: Queue) -> None:
        self.db = db
        self.queue = queue

    def _catch_up(self, learner_id: int) -> bool:
        """Count the answers logged since the last `stats` (a write only when there are
        any). False if they could not be written: the counts are then behind the log."""
        newest = select(func.max(reviews_t.c.id)).scalar_subquery()
        behind = select(learners_t.c.totaled_through < newest).where(learners_t.c.id == learner_id)
        with self.db.read() as conn:
            if not conn.scalar(behind):
                return True
        try:
            with self.db.write() as conn:
                totals.catch_up(conn, learner_id)
        except StorageFailure:
            return False
        return True

    def figures(
        self, learner_id: int, today: dt.date, scope: model.Scope, hardest: int = 10
    ) -> model.Stats:
        """Every figure of `srs-crss stats` for one learner and scope on `today`."""
        active = and_(cards_t.c.retired.is_(False), *scope_filters(scope))
        # The counts know decks and domains, not tags; and a reader who may not write
        # (a read-only role on a cohort's server) reads the log itself.
        counted = scope.tag is None and self._catch_up(learner_id)
        if scope.tag is not None:  # states know their card's deck and domain, not its tags
            due = self.queue.due_counts(learner_id, today, scope)[0]
        with self.db.read() as conn:
            log_figures = _from_totals if counted else _from_log
            figures = log_figures(conn, learner_id, today, scope)
            if scope.tag is None:
                due, forecast, domain_cards = _from_states(conn, learner_id, today, scope)
            else:
                forecast, domain_cards = _from_cards(conn, learner_id, today, active)
            hard = _hardest(conn, learner_id, today, active, hardest, scope == model.Scope())
            crammed = int(
                conn.scalar(
                    select(func.count())
                    .select_from(cards_decks().join(cram_t, cram_t.c.card_id == cards_t.c.id))
                    .where(active, cram_t.c.learner_id == learner_id, cram_t.c.day == today)
                )
                or 0
            )
            out = conn.execute(
                select(decks_t.c.slug, cards_t.c.slug, suspended_t.c.reason)
                .select_from(cards_decks().join(suspended_t, suspended_t.c.card_id == cards_t.c.id))
                .where(active, suspended_t.c.learner_id == learner_id)
                .order_by(decks_t.c.slug, cards_t.c.position)
            ).all()
        days_ahead = [today + dt.timedelta(days=n) for n in range(MONTH_DAYS)]
        return model.Stats(
            due=due,
            unseen=sum(int(cards) - int(seen) for _, cards, seen, _ in domain_cards),
            reviewed_today=figures.reviewed,
            correct_today=figures.correct,
            study_days=figures.study_days,
            retention_30=share(*figures.recent),
            retention_all=share(*figures.ever),
            domains=tuple(
                model.DomainStats(
                    domain=domain or "(no domain)",
                    cards=int(cards),
                    seen=int(seen),
                    mature=int(mature or 0),
                    retention=share(*figures.domain_recent.get(domain, (0, 0))),
                )
                for domain, cards, seen, mature in domain_cards
            ),
            forecast=tuple((day, due if day == today else forecast[day]) for day in days_ahead),
            calendar=figures.calendar,
            hardest=hard,
            suspended=len(out),
            crammed_today=crammed,
            leeches=tuple(f"{d}/{c}" for d, c, why in out if why == model.Suspension.LEECH),
        )


DomainCards = list[tuple[str | None, int, int, int]]
"""Per exam domain: active cards, seen ones, mature ones (None first, then by name)."""


def _by_domain(rows: Any) -> DomainCards:
    counted = [
        (domain, int(cards), int(seen), int(mature or 0)) for domain, cards, seen, mature in rows
    ]
    return sorted(counted, key=lambda row: (row[0] is not None, row[0] or ""))


def _set_aside(learner_id: int, scope: model.Scope) -> Select[Any]:
    """The learner's states of retired or suspended cards in `scope` (few), each looked
    up by key (rows.retired_states), each saying whether its card is retired."""
    return select(
        states_t.c.card_id.in_(retired_cards()).label("retired"),
        states_t.c.due,
        states_t.c.domain,
        states_t.c.interval,
    ).where(set_aside_states(learner_id), *deck_and_domain(states_t, scope))


def _from_states(
    conn: Connection, learner_id: int, today: dt.date, scope: model.Scope
) -> tuple[int, Counter[dt.date], DomainCards]:
    """Active cards due by today, those due on each of the next 29 days, and the
    domains' card figures: each from one index of the learner's states, less the few
    states of retired cards (and, for those due, of suspended ones) read by id."""
    horizon = today + dt.timedelta(days=MONTH_DAYS - 1)
    mine = (states_t.c.learner_id == learner_id, *deck_and_domain(states_t, scope))
    aside = conn.execute(_set_aside(learner_id, scope)).all()
    retired = [row for row in aside if row.retired]
    due = int(conn.scalar(select(func.count()).where(*mine, states_t.c.due <= today)) or 0)
    due -= sum(1 for row in aside if row.due <= today)
    ahead = _due_days(
        conn, select(states_t.c.due).where(*mine, states_t.c.due > today, states_t.c.due <= horizon)
    )
    ahead.subtract(row.due for row in retired if today < row.due <= horizon)
    return due, ahead, _domain_cards(conn, mine, scope, retired)


def _due_days(conn: Connection, due: Select[Any]) -> Counter[dt.date]:
    """How many of the states `due` selects (their due day) fall due on each day."""
    query = due.add_columns(func.count()).group_by(states_t.c.due)
    return Counter({day: int(count) for day, count in conn.execute(query)})


def _domain_cards(
    conn: Connection, mine: tuple[Any, ...], scope: model.Scope, retired: list[Any]
) -> DomainCards:
    """Per-domain card figures from two indexes: active cards by deck and domain, and
    the learner's states (`mine`) by domain, less the `retired` cards' states."""
    mature = func.sum(case((states_t.c.interval >= MATURE_DAYS, 1), else_=0))
    seen: dict[str | None, list[int]] = {
        domain: [int(count), int(grown or 0)]
        for domain, count, grown in conn.execute(
            select(states_t.c.domain, func.count(), mature).where(*mine).group_by(states_t.c.domain)
        )
    }
    for row in retired:
        seen[row.domain][0] -= 1
        seen[row.domain][1] -= row.interval >= MATURE_DAYS
    active = (cards_t.c.retired.is_(False), *deck_and_domain(cards_t, scope))
    # grouped by deck too, in the order of the index (retired, deck, domain): read as
    # ranges of it, with no sort; the decks' counts added up here
    cards: dict[str | None, int] = {}
    for domain, count in conn.execute(
        select(cards_t.c.domain, func.count())
        .where(*active)
        .group_by(cards_t.c.deck_id, cards_t.c.domain)
    ):
        cards[domain] = cards.get(domain, 0) + int(count)
    return _by_domain((d, count, *seen.get(d, (0, 0))) for d, count in cards.items())


def _from_cards(
    conn: Connection, learner_id: int, today: dt.date, active: Any
) -> tuple[Counter[dt.date], DomainCards]:
    """Those due on each of the next 29 days, and the domains' card figures, through
    cards joined with states (a tag scope: states know no tags)."""
    horizon = today + dt.timedelta(days=MONTH_DAYS - 1)
    with_states = cards_decks().outerjoin(
        states_t,
        and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
    )
    due = select(states_t.c.due).select_from(with_states)
    ahead = _due_days(conn, due.where(active, states_t.c.due > today, states_t.c.due <= horizon))
    return ahead, _domain_cards_joined(conn, with_states, active)


def _domain_cards_joined(conn: Connection, with_states: Any, active: Any) -> DomainCards:
    """The same figures through cards joined with states (a tag scope: states know no tags)."""
    return _by_domain(
        conn.execute(
            select(
                cards_t.c.domain,
                func.count(),
                func.count(states_t.c.card_id),
                func.sum(case((states_t.c.interval >= MATURE_DAYS, 1), else_=0)),
            )
            .select_from(with_states)
            .where(active)
            .group_by(cards_t.c.domain)
        )
    )


def _pair(row: Any) -> tuple[int, int]:
    return int(row[0] or 0), int(row[1] or 0)


def _from_totals(
    conn: Connection, learner_id: int, today: dt.date, scope: model.Scope
) -> LogFigures:
    """The log figures from the per-day counts (a deck or domain scope, or none)."""
    where = [days_t.c.learner_id == learner_id, *deck_and_domain(days_t, scope)]
    month_ago = today - dt.timedelta(days=MONTH_DAYS - 1)
    answers, passed = func.sum(days_t.c.answers), func.sum(days_t.c.passed)
    learned, kept = func.sum(days_t.c.learned), func.sum(days_t.c.learned_passed)
    domains = conn.execute(
        select(days_t.c.domain, learned, kept)
        .where(*where, days_t.c.day >= month_ago)
        .group_by(days_t.c.domain)
        .having(learned > 0)
    )
    return LogFigures(
        *_pair(conn.execute(select(answers, passed).where(*where, days_t.c.day == today)).one()),
        recent=_pair(
            conn.execute(select(learned, kept).where(*where, days_t.c.day >= month_ago)).one()
        ),
        ever=_pair(conn.execute(select(learned, kept).where(*where)).one()),
        domain_recent={domain or None: _pair(row) for domain, *row in domains},
        **_days(conn, days_t.c.day, answers, where, today),
    )


def _from_log(conn: Connection, learner_id: int, today: dt.date, scope: model.Scope) -> LogFigures:
    """The log figures read from the log itself (a tag scope: the counts know no tags)."""
    log = reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id).join(
        decks_t, decks_t.c.id == cards_t.c.deck_id
    )
    where = [reviews_t.c.learner_id == learner_id, *scope_filters(scope)]
    month_ago = today - dt.timedelta(days=MONTH_DAYS - 1)
    passed = func.sum(case((reviews_t.c.grade >= 3, 1), else_=0))
    learned = reviews_t.c.repetitions_before >= 1
    counts = select(func.count(), passed).select_from(log)
    domains = conn.execute(
        select(cards_t.c.domain, func.count(), passed)
        .select_from(log)
        .where(*where, learned, reviews_t.c.day >= month_ago)
        .group_by(cards_t.c.domain)
    )
    return LogFigures(
        *_pair(conn.execute(counts.where(*where, reviews_t.c.day == today)).one()),
        recent=_pair(
            conn.execute(counts.where(*where, learned, reviews_t.c.day >= month_ago)).one()
        ),
        ever=_pair(conn.execute(counts.where(*where, learned)).one()),
        domain_recent={domain: _pair(row) for domain, *row in domains},
        **_days(conn, reviews_t.c.day, func.count(), where, today, log),
    )


def _days(
    conn: Connection, day: Any, answers: Any, where: list[Any], today: dt.date, source: Any = None
) -> dict[str, Any]:
    """The year's calendar (answers per day) and the study days, newest first. The
    streak needs older days only for a learner who studied every day of the year."""
    year_ago = today - dt.timedelta(days=7 * YEAR_WEEKS - 1)
    query = select(day, answers).where(*where, day >= year_ago, day <= today)
    if source is not None:
        query = query.select_from(source)
    calendar = tuple(
        (when, int(count)) for when, count in conn.execute(query.group_by(day).order_by(day))
    )
    days = [when for when, _ in reversed(calendar)]
    if len(days) >= (today - year_ago).days:  # (today may not be studied yet)
        older = select(day).where(*where, day < year_ago).group_by(day).order_by(day.desc())
        if source is not None:
            older = older.select_from(source)
        days += conn.scalars(older).all()
    return {"calendar": calendar, "study_days": tuple(days)}


def _hardest(
    conn: Connection, learner_id: int, today: dt.date, active: Any, limit: int, unscoped: bool
) -> tuple[model.HardCard, ...]:
    """The cards failed most in the last HARD_DAYS days (first answers included), then
    the highest failure rate, then the latest failure; cards never failed there are left out.

    Failures come from the day index alone (grade is in it); only the candidates'
    answers are then counted.
    """
    since = today - dt.timedelta(days=HARD_DAYS - 1)
    recent = (reviews_t.c.learner_id == learner_id, reviews_t.c.day >= since)
    top = (
        select(
            reviews_t.c.card_id,
            func.count().label("failed"),
            func.max(reviews_t.c.day).label("last"),
        )
        .where(*recent, reviews_t.c.grade < 3)
        .group_by(reviews_t.c.card_id)
    )
    if unscoped:  # only the top failures need their cards looked up
        top = top.order_by(func.count().desc(), func.max(reviews_t.c.day).desc())
        top = top.limit(limit * CANDIDATES)
    failures = top.subquery()
    candidates = conn.execute(
        select(
            failures.c.card_id,
            failures.c.failed,
            failures.c.last,
            decks_t.c.slug,
            cards_t.c.slug,
            states_t.c.ef,
            states_t.c.lapses,
        )
        .select_from(
            failures.join(cards_t, cards_t.c.id == failures.c.card_id)
            .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
            .join(
                states_t,
                and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
            )
        )
        .where(active)
        .order_by(failures.c.failed.desc(), failures.c.last.desc())
        .limit(limit * CANDIDATES)
    ).all()
    if not candidates:
        return ()
    # the candidates' answers since then, read card by card (the day counted, not
    # filtered on: a filter on it would read the whole period's range of the day index)
    answers: dict[int, int] = {}
    for pk, count in conn.execute(
        select(reviews_t.c.card_id, func.sum(case((reviews_t.c.day >= since, 1), else_=0)))
        .where(
            reviews_t.c.learner_id == learner_id,
            reviews_t.c.card_id.in_([row[0] for row in candidates]),
        )
        .group_by(reviews_t.c.card_id)
    ):
        answers[pk] = int(count)
    ranked = sorted(
        candidates,
        key=lambda row: (-row[1], -row[1] / answers[row[0]], -row[2].toordinal(), row[3], row[4]),
    )
    return tuple(
        model.HardCard(
            id=f"{deck}/{card}", failed=int(failed), answers=int(answers[pk]), ef=ef, lapses=lapses
        )
        for pk, failed, _, deck, card, ef, lapses in ranked[:limit]
    )
