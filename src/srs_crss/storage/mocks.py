"""Practice exams: the item bank, attempts and their answers (saved as given).
The missed questions that come back in review are the review queue's to read
(storage/queue.py `follow_ups`).

A practice exam never touches the SM-2 state or the review log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import case, func, insert, select, update

from srs_crss.exams.mock import Attempt, BankItem, DomainScore, Question
from srs_crss.exams.tasks import task_of
from srs_crss.model import FINISHED, OPEN
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import exam_bank, json_tuple
from srs_crss.storage.schema import (
    cards_t,
    decks_t,
    exam_tasks_t,
    mock_exams_t,
    mock_questions_t,
)
from srs_crss.storage.tasks import with_tasks

_ATTEMPT = (
    mock_exams_t.c.id,
    mock_exams_t.c.profile,
    mock_exams_t.c.decks,
    mock_exams_t.c.seed,
    mock_exams_t.c.pass_percent,
    mock_exams_t.c.pass_is_estimate,
    mock_exams_t.c.time_limit_ms,
    mock_exams_t.c.used_ms,
    mock_exams_t.c.started_at,
    mock_exams_t.c.finished_at,
    mock_exams_t.c.status,
    mock_exams_t.c.correct,
    mock_exams_t.c.asked,
)


class Mocks:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- drawing -----------------------------------------------------------------

    def bank(self, decks: Sequence[str]) -> list[BankItem]:
        """The multiple-choice cards of `decks` that can be asked (not retired)."""
        query = exam_bank(decks, cards_t.c.id, cards_t.c.domain)
        with self.db.read() as conn:
            return [BankItem(pk, domain) for pk, domain in conn.execute(query)]

    def last_asked(self, learner_id: int) -> dict[int, int]:
        """card pk -> the id of the latest practice exam that asked it (larger: more recent)."""
        query = (
            select(mock_questions_t.c.card_id, func.max(mock_questions_t.c.exam_id))
            .select_from(mock_questions_t.join(mock_exams_t))
            .where(mock_exams_t.c.learner_id == learner_id)
            .group_by(mock_questions_t.c.card_id)
        )
        with self.db.read() as conn:
            return {pk: int(exam) for pk, exam in conn.execute(query)}

    # ---- one attempt ---------------------------------------------------------------

    def create(
        self,
        learner_id: int,
        attempt: Attempt,
        questions: Sequence[tuple[int, Sequence[str]]],
    ) -> int:
        """Store a new exam (its questions: card pk and choices in the order shown)."""
        with self.db.write() as conn:
            exam_id = conn.scalar(
                insert(mock_exams_t)
                .values(
                    learner_id=learner_id,
                    profile=attempt.profile,
                    decks=json.dumps(list(attempt.decks)),
                    seed=attempt.seed,
                    pass_percent=attempt.pass_percent,
                    pass_is_estimate=attempt.pass_is_estimate,
                    time_limit_ms=attempt.time_limit_ms,
                    used_ms=0,
                    started_at=attempt.started_at,
                    status=OPEN,
                    asked=len(questions),
                )
                .returning(mock_exams_t.c.id)
            )
            assert exam_id is not None
            if questions:
                conn.execute(
                    insert(mock_questions_t),
                    [
                        {
                            "exam_id": exam_id,
                            "position": n,
                            "card_id": pk,
                            "choices": json.dumps(list(choices)),
                            "flagged": False,
                            "spent_ms": 0,
                        }
                        for n, (pk, choices) in enumerate(questions, start=1)
                    ],
                )
        return int(exam_id)

    def latest_open(self, learner_id: int) -> Attempt | None:
        """The learner's unfinished exam, if any (the latest)."""
        query = (
            select(*_ATTEMPT)
            .where(mock_exams_t.c.learner_id == learner_id, mock_exams_t.c.status == OPEN)
            .order_by(mock_exams_t.c.id.desc())
            .limit(1)
        )
        with self.db.read() as conn:
            row = conn.execute(query).first()
        return None if row is None else _attempt(row)

    def questions(self, exam_id: int) -> list[Question]:
        """The exam's questions in order, with their cards' content and the answers so far."""
        query = (
            select(
                mock_questions_t.c.position,
                mock_questions_t.c.card_id,
                decks_t.c.slug,
                cards_t.c.slug.label("card"),
                cards_t.c.domain,
                cards_t.c.front,
                mock_questions_t.c.choices,
                cards_t.c.answer,
                cards_t.c.explanation,
                cards_t.c.source,
                mock_questions_t.c.picked,
                mock_questions_t.c.flagged,
                mock_questions_t.c.spent_ms,
                cards_t.c.task,
                exam_tasks_t.c.title.label("task_title"),
                exam_tasks_t.c.domain.label("task_domain"),
                exam_tasks_t.c.position.label("task_position"),
            )
            .select_from(
                with_tasks(
                    mock_questions_t.join(cards_t, cards_t.c.id == mock_questions_t.c.card_id).join(
                        decks_t, decks_t.c.id == cards_t.c.deck_id
                    )
                )
            )
            .where(mock_questions_t.c.exam_id == exam_id)
            .order_by(mock_questions_t.c.position)
        )
        with self.db.read() as conn:
            return [
                Question(
                    position=row.position,
                    pk=row.card_id,
                    card_id=f"{row.slug}/{row.card}",
                    domain=row.domain or "",
                    front=row.front,
                    choices=json_tuple(row.choices),
                    answer=row.answer or "",
                    explanation=row.explanation,
                    source=row.source,
                    picked=row.picked,
                    flagged=bool(row.flagged),
                    seconds=row.spent_ms / 1000,
                    task=None
                    if row.task is None
                    else task_of(
                        row.task, row.task_title, row.task_domain, row.domain, row.task_position
                    ),
                )
                for row in conn.execute(query)
            ]

    def save(self, exam_id: int, question: Question, used_ms: int) -> None:
        """Save one question's answer, flag and time, and the exam's clock, at once."""
        with self.db.write() as conn:
            conn.execute(
                update(mock_questions_t)
                .where(
                    mock_questions_t.c.exam_id == exam_id,
                    mock_questions_t.c.position == question.position,
                )
                .values(
                    picked=question.picked,
                    flagged=question.flagged,
                    spent_ms=int(question.seconds * 1000),
                )
            )
            conn.execute(
                update(mock_exams_t).where(mock_exams_t.c.id == exam_id).values(used_ms=used_ms)
            )

    def save_clock(self, exam_id: int, used_ms: int) -> None:
        with self.db.write() as conn:
            conn.execute(
                update(mock_exams_t).where(mock_exams_t.c.id == exam_id).values(used_ms=used_ms)
            )

    def finish(
        self, exam_id: int, status: str, correct: int | None, used_ms: int, at: dt.datetime
    ) -> None:
        with self.db.write() as conn:
            conn.execute(
                update(mock_exams_t)
                .where(mock_exams_t.c.id == exam_id, mock_exams_t.c.status == OPEN)
                .values(status=status, correct=correct, used_ms=used_ms, finished_at=at)
            )

    # ---- looking back ----------------------------------------------------------------

    def history(self, learner_id: int, limit: int | None = None) -> list[Attempt]:
        """Every attempt (abandoned ones too), oldest first, with per-domain scores
        for the finished ones; `limit`: only the latest this many finished ones."""
        query = select(*_ATTEMPT).where(mock_exams_t.c.learner_id == learner_id)
        if limit is not None:
            query = query.where(mock_exams_t.c.status.in_(FINISHED))
            query = query.order_by(mock_exams_t.c.id.desc()).limit(limit)
        right = case((mock_questions_t.c.picked == cards_t.c.answer, 1), else_=0)
        per_domain = (
            select(
                mock_questions_t.c.exam_id,
                cards_t.c.domain,
                func.sum(right).label("correct"),
                func.count().label("asked"),
            )
            .select_from(
                mock_questions_t.join(cards_t, cards_t.c.id == mock_questions_t.c.card_id).join(
                    mock_exams_t, mock_exams_t.c.id == mock_questions_t.c.exam_id
                )
            )
            .where(mock_exams_t.c.learner_id == learner_id, mock_exams_t.c.status.in_(FINISHED))
            .group_by(mock_questions_t.c.exam_id, cards_t.c.domain)
            .order_by(mock_questions_t.c.exam_id, cards_t.c.domain)
        )
        with self.db.read() as conn:
            attempts = sorted((_attempt(row) for row in conn.execute(query)), key=lambda a: a.id)
            domains: dict[int, list[DomainScore]] = {}
            for row in conn.execute(per_domain) if attempts else ():
                domains.setdefault(row.exam_id, []).append(
                    DomainScore(row.domain or "", int(row.correct or 0), int(row.asked))
                )
        return [replace(a, domains=tuple(domains.get(a.id, ()))) for a in attempts]


def _attempt(row: Any) -> Attempt:
    values = dict(row._mapping)
    values["decks"] = json_tuple(values["decks"])
    values["pass_is_estimate"] = bool(values["pass_is_estimate"])
    return Attempt(**values)
