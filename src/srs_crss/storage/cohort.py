"""What an instructor reads about the class (every learner's rows, read-only), and the
class's exam date. The store acts for an instructor first (`act_for_instructor`), so
on PostgreSQL with row security these transactions can read all and change nothing.

Read from the log and the states directly, never from the per-day counts: keeping
those in step writes, and an instructor's transaction may not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import case, delete, func, insert, select

from srs_crss.cohort.classview import LearnerRow, PracticeScore
from srs_crss.cohort.items import Response
from srs_crss.model import FINISHED, DomainStats
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import deck_id_of, retired_cards, share
from srs_crss.storage.schema import (
    accounts_t,
    cards_t,
    cohort_exams_t,
    cram_t,
    decks_t,
    exams_t,
    learners_t,
    mock_exams_t,
    mock_questions_t,
    reviews_t,
    states_t,
)
from srs_crss.study.stats import MATURE_DAYS

RECENT_DAYS = 30
LATEST_PRACTICE = 3


class Cohort:
    def __init__(self, db: Database) -> None:
        self.db = db

    def class_rows(self, today: dt.date) -> list[LearnerRow]:
        """One row per learner, by name: progress by domain, last study day, the latest
        practice scores and the exam date (their own, else the class's)."""
        month_ago = today - dt.timedelta(days=RECENT_DAYS - 1)
        mature = func.sum(case((states_t.c.interval >= MATURE_DAYS, 1), else_=0))
        passed = func.sum(case((reviews_t.c.grade >= 3, 1), else_=0))
        with self.db.read() as conn:
            names = dict(conn.execute(select(learners_t.c.id, learners_t.c.name)).all())
            # a learner's account before their first study has no learner row yet
            accounts = conn.scalars(select(accounts_t.c.name).where(accounts_t.c.role == "learner"))
            for n, name in enumerate(sorted(set(accounts) - set(names.values())), start=1):
                names[-n] = name
            cards: dict[str | None, int] = dict(
                conn.execute(
                    select(cards_t.c.domain, func.count())
                    .where(cards_t.c.retired.is_(False))
                    .group_by(cards_t.c.domain)
                ).all()
            )
            seen = conn.execute(
                select(states_t.c.learner_id, states_t.c.domain, func.count(), mature)
                .where(states_t.c.card_id.not_in(retired_cards()))
                .group_by(states_t.c.learner_id, states_t.c.domain)
            ).all()
            recent = conn.execute(
                select(reviews_t.c.learner_id, cards_t.c.domain, func.count(), passed)
                .select_from(reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id))
                .where(reviews_t.c.day >= month_ago, reviews_t.c.repetitions_before >= 1)
                .group_by(reviews_t.c.learner_id, cards_t.c.domain)
            ).all()
            last = _latest_days(conn)
            practice = _practice(conn)
            own = dict(
                conn.execute(
                    select(exams_t.c.learner_id, func.min(exams_t.c.exam_day)).group_by(
                        exams_t.c.learner_id
                    )
                ).all()
            )
            cohort_day = conn.scalar(select(func.min(cohort_exams_t.c.exam_day)))
        progress: dict[int, dict[str | None, list[int]]] = defaultdict(dict)
        for learner, domain, count, grown in seen:
            progress[learner][domain] = [int(count), int(grown or 0), 0, 0]
        for learner, domain, answers, kept in recent:
            figures = progress[learner].setdefault(domain, [0, 0, 0, 0])
            figures[2:] = [int(answers), int(kept or 0)]
        rows = []
        for learner, name in names.items():
            mine = progress.get(learner, {})
            domains = tuple(
                _domain(domain, int(count), mine.get(domain, [0, 0, 0, 0]))
                for domain, count in sorted(cards.items(), key=lambda d: (d[0] is None, d[0] or ""))
            )
            exam = own.get(learner)
            rows.append(
                LearnerRow(
                    name=name,
                    domains=domains,
                    last_study_day=last.get(learner),
                    practice=tuple(practice.get(learner, ())),
                    exam_day=exam or cohort_day,
                    exam_is_cohort=exam is None and cohort_day is not None,
                )
            )
        return sorted(rows, key=lambda row: row.name.casefold())

    def responses(self) -> list[Response]:
        """Every question of every finished practice exam, with its exam's score."""
        query = (
            select(
                mock_questions_t.c.exam_id,
                decks_t.c.slug.label("deck"),
                cards_t.c.slug.label("card"),
                cards_t.c.answer,
                mock_questions_t.c.picked,
                mock_exams_t.c.correct,
                mock_exams_t.c.asked,
            )
            .select_from(
                mock_questions_t.join(mock_exams_t, mock_exams_t.c.id == mock_questions_t.c.exam_id)
                .join(cards_t, cards_t.c.id == mock_questions_t.c.card_id)
                .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
            )
            .where(mock_exams_t.c.status.in_(FINISHED))
            .order_by(mock_questions_t.c.exam_id, mock_questions_t.c.position)
        )
        with self.db.read() as conn:
            return [
                Response(
                    row.exam_id,
                    f"{row.deck}/{row.card}",
                    row.answer or "",
                    row.picked,
                    int(row.correct or 0),
                    int(row.asked),
                )
                for row in conn.execute(query)
            ]

    # ---- the class's exam date ------------------------------------------------------

    def exams(self) -> dict[str | None, dt.date]:
        """The class's exam dates: deck id -> day, None -> all decks."""
        query = select(decks_t.c.slug, cohort_exams_t.c.exam_day).select_from(
            cohort_exams_t.outerjoin(decks_t, decks_t.c.id == cohort_exams_t.c.deck_id)
        )
        with self.db.read() as conn:
            return dict(conn.execute(query).all())

    def set_exam(self, deck: str | None, day: dt.date, now: dt.datetime) -> None:
        with self.db.write() as conn:
            deck_id = deck_id_of(conn, deck)
            _delete_exam(conn, deck_id)
            conn.execute(insert(cohort_exams_t).values(deck_id=deck_id, exam_day=day, set_at=now))

    def clear_exam(self, deck: str | None) -> bool:
        with self.db.write() as conn:
            return _delete_exam(conn, deck_id_of(conn, deck)) > 0


def _domain(domain: str | None, cards: int, figures: list[int]) -> DomainStats:
    seen, mature, answers, kept = figures
    return DomainStats(domain or "", cards, seen, mature, share(answers, kept))


def _delete_exam(conn: Any, deck_id: int | None) -> int:
    column = cohort_exams_t.c.deck_id
    match = column.is_(None) if deck_id is None else column == deck_id
    return int(conn.execute(delete(cohort_exams_t).where(match)).rowcount)


def _latest_days(conn: Any) -> dict[int, dt.date]:
    """Each learner's last day of study: a review, a cram answer or a finished practice
    exam (its UTC day)."""
    latest: dict[int, dt.date] = {}
    practice = (
        select(mock_exams_t.c.learner_id, func.max(mock_exams_t.c.started_at))
        .where(mock_exams_t.c.status.in_(FINISHED))
        .group_by(mock_exams_t.c.learner_id)
    )
    answers = [
        select(table.c.learner_id, func.max(table.c.day)).group_by(table.c.learner_id)
        for table in (reviews_t, cram_t)
    ]
    for query in (*answers, practice):
        for learner, moment in conn.execute(query):
            day = moment.date() if isinstance(moment, dt.datetime) else moment
            if day is not None and (learner not in latest or day > latest[learner]):
                latest[learner] = day
    return latest


def _practice(conn: Any) -> dict[int, list[PracticeScore]]:
    """Each learner's latest finished practice exams, newest first."""
    query = (
        select(
            mock_exams_t.c.learner_id,
            mock_exams_t.c.finished_at,
            mock_exams_t.c.started_at,
            mock_exams_t.c.correct,
            mock_exams_t.c.asked,
            mock_exams_t.c.pass_percent,
        )
        .where(mock_exams_t.c.status.in_(FINISHED))
        .order_by(mock_exams_t.c.learner_id, mock_exams_t.c.id.desc())
    )
    found: dict[int, list[PracticeScore]] = defaultdict(list)
    for row in conn.execute(query):
        scores = found[row.learner_id]
        if len(scores) < LATEST_PRACTICE:
            moment = row.finished_at or row.started_at
            scores.append(
                PracticeScore(
                    moment.date(), int(row.correct or 0), int(row.asked), row.pass_percent
                )
            )
    return found
