"""The figures of `srs-crss stats`, aggregated in SQL in one read transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from srs_crss import model
from srs_crss.stats import HARD_DAYS, MATURE_DAYS
from srs_crss.storage.engine import Database
from srs_crss.storage.queue import Queue
from srs_crss.storage.rows import cards_decks, scope_filters, share
from srs_crss.storage.schema import (
    cards_t,
    cram_t,
    decks_t,
    reviews_t,
    states_t,
    suspended_t,
)

MONTH_DAYS = 30
CANDIDATES = 20
"""The cards failed most are ranked further from this many times the cards shown."""
YEAR_WEEKS = 52


class Stats:
    def __init__(self, db: Database, queue: Queue) -> None:
        self.db = db
        self.queue = queue

    def figures(
        self, learner_id: int, today: dt.date, scope: model.Scope, hardest: int = 10
    ) -> model.Stats:
        """Every figure of `srs-crss stats` for one learner and scope on `today`."""
        month_ago = today - dt.timedelta(days=MONTH_DAYS - 1)
        year_ago = today - dt.timedelta(days=7 * YEAR_WEEKS - 1)
        horizon = today + dt.timedelta(days=MONTH_DAYS - 1)
        active = and_(cards_t.c.retired.is_(False), *scope_filters(scope))
        with_states = cards_decks().outerjoin(
            states_t,
            and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
        )
        by_card = reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id).join(
            decks_t, decks_t.c.id == cards_t.c.deck_id
        )
        # The log of every deck needs no join: 1,000,000 rows are read from an index alone.
        log: Any = reviews_t if scope == model.Scope() else by_card
        in_scope = and_(reviews_t.c.learner_id == learner_id, *scope_filters(scope))
        learned = reviews_t.c.repetitions_before >= 1
        passed = func.sum(case((reviews_t.c.grade >= 3, 1), else_=0))
        due = self.queue.due_counts(learner_id, today, scope)[0]
        with self.db.read() as conn:
            reviewed, correct = conn.execute(
                select(func.count(), passed)
                .select_from(log)
                .where(in_scope, reviews_t.c.day == today)
            ).one()
            recent = conn.execute(
                select(func.count(), passed)
                .select_from(log)
                .where(in_scope, learned, reviews_t.c.day >= month_ago)
            ).one()
            ever = conn.execute(
                select(func.count(), passed).select_from(log).where(in_scope, learned)
            ).one()
            domain_cards = conn.execute(
                select(
                    cards_t.c.domain,
                    func.count(),
                    func.count(states_t.c.card_id),
                    func.sum(case((states_t.c.interval >= MATURE_DAYS, 1), else_=0)),
                )
                .select_from(with_states)
                .where(active)
                .group_by(cards_t.c.domain)
                .order_by(cards_t.c.domain)
            ).all()
            domain_retention = {
                domain: (total, ok)
                for domain, total, ok in conn.execute(
                    select(cards_t.c.domain, func.count(), passed)
                    .select_from(by_card)
                    .where(in_scope, learned, reviews_t.c.day >= month_ago)
                    .group_by(cards_t.c.domain)
                )
            }
            forecast: dict[dt.date, int] = {}
            for day, count in conn.execute(
                select(states_t.c.due, func.count())
                .select_from(with_states)
                .where(active, states_t.c.due > today, states_t.c.due <= horizon)
                .group_by(states_t.c.due)
            ):
                forecast[day] = int(count)
            calendar = conn.execute(
                select(reviews_t.c.day, func.count())
                .select_from(log)
                .where(in_scope, reviews_t.c.day >= year_ago, reviews_t.c.day <= today)
                .group_by(reviews_t.c.day)
                .order_by(reviews_t.c.day)
            ).all()
            # The streak comes from the year of the calendar; only a learner who
            # studied every day of it needs the older days read too.
            days = [day for day, _ in reversed(calendar)]
            if len(days) >= (today - year_ago).days:  # (today may not be studied yet)
                days += conn.scalars(
                    select(reviews_t.c.day)
                    .select_from(log)
                    .where(in_scope, reviews_t.c.day < year_ago)
                    .group_by(reviews_t.c.day)
                    .order_by(reviews_t.c.day.desc())
                ).all()
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
            reviewed_today=int(reviewed or 0),
            correct_today=int(correct or 0),
            study_days=tuple(days),
            retention_30=share(*recent),
            retention_all=share(*ever),
            domains=tuple(
                model.DomainStats(
                    domain=domain or "(no domain)",
                    cards=int(cards),
                    seen=int(seen),
                    mature=int(mature or 0),
                    retention=share(*domain_retention.get(domain, (0, 0))),
                )
                for domain, cards, seen, mature in domain_cards
            ),
            forecast=tuple(
                (day, int(due or 0) if day == today else forecast.get(day, 0)) for day in days_ahead
            ),
            calendar=tuple((day, int(count)) for day, count in calendar),
            hardest=hard,
            suspended=len(out),
            crammed_today=crammed,
            leeches=tuple(f"{d}/{c}" for d, c, why in out if why == model.Suspension.LEECH),
        )


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
    answers: dict[int, int] = {}
    for pk, count in conn.execute(
        select(reviews_t.c.card_id, func.count())
        .where(*recent, reviews_t.c.card_id.in_([row[0] for row in candidates]))
        .group_by(reviews_t.c.card_id)
    ):
        answers[pk] = count
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
