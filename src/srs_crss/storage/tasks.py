"""Exam tasks: the decks' task lists, and the answers results by task are counted from
(srs_crss.exams.tasks does the counting)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select

from srs_crss import model
from srs_crss.exams.tasks import ExamTask, TaskAnswer
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import cards_decks, scope_filters
from srs_crss.storage.schema import (
    cards_t,
    decks_t,
    exam_tasks_t,
    mock_exams_t,
    mock_questions_t,
    reviews_t,
    states_t,
)


def with_tasks(source: Any) -> Any:
    """`source` (holding cards) joined with the task each card names, when its deck's
    list has it (a card naming an unknown task, or none, keeps NULL title and domain)."""
    return source.outerjoin(
        exam_tasks_t,
        and_(exam_tasks_t.c.deck_id == cards_t.c.deck_id, exam_tasks_t.c.slug == cards_t.c.task),
    )


_ANSWER = (
    cards_t.c.id,
    cards_t.c.task,
    exam_tasks_t.c.title,
    exam_tasks_t.c.domain,
    cards_t.c.domain,
)


class Tasks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def listed(self, scope: model.Scope) -> list[ExamTask]:
        """The tasks of the task lists of the decks in `scope` (all decks when it names
        none), by deck, in list order; an id two decks share comes once."""
        query = (
            select(exam_tasks_t.c.slug, exam_tasks_t.c.title, exam_tasks_t.c.domain)
            .select_from(exam_tasks_t.join(decks_t, decks_t.c.id == exam_tasks_t.c.deck_id))
            .order_by(decks_t.c.slug, exam_tasks_t.c.position)
        )
        if scope.decks:
            query = query.where(decks_t.c.slug.in_(list(scope.decks)))
        seen: dict[str, ExamTask] = {}
        with self.db.read() as conn:
            for slug, title, domain in conn.execute(query):
                seen.setdefault(slug, ExamTask(slug, title, domain))
        return list(seen.values())

    def answers(self, learner_id: int, scope: model.Scope) -> list[TaskAnswer]:
        """Each active item of `scope` that names a task: its latest review, and its
        answer in every finished practice exam (an unanswered question is no answer)."""
        active = (
            cards_t.c.task.is_not(None),
            cards_t.c.retired.is_(False),
            *scope_filters(scope),
        )
        reviewed = with_tasks(
            cards_decks()
            .join(
                states_t,
                and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
            )
            .join(reviews_t, reviews_t.c.id == states_t.c.last_review_id)
        )
        practised = with_tasks(
            cards_decks()
            .join(mock_questions_t, mock_questions_t.c.card_id == cards_t.c.id)
            .join(mock_exams_t, mock_exams_t.c.id == mock_questions_t.c.exam_id)
        )
        finished = select(mock_exams_t.c.id).where(
            mock_exams_t.c.learner_id == learner_id,
            mock_exams_t.c.status.in_(model.FINISHED),
            mock_exams_t.c.finished_at.is_not(None),
        )
        # the items naming a task found first, in one pass over the cards (few or none
        # name one), then their states by id: not every state's card looked up
        named = select(cards_t.c.id).where(cards_t.c.task.is_not(None))
        with self.db.read() as conn:
            rows = list(
                conn.execute(
                    select(*_ANSWER, reviews_t.c.reviewed_at, reviews_t.c.grade >= 3)
                    .select_from(reviewed)
                    .where(states_t.c.card_id.in_(named), *active)
                )
            )
            # the learner's finished exams first (an index range): given their ids, the
            # questions are read from those exams, never from every card asking "in an exam?"
            exams = list(conn.scalars(finished))
            if exams:
                rows += conn.execute(
                    select(
                        *_ANSWER,
                        mock_exams_t.c.finished_at,
                        mock_questions_t.c.picked == cards_t.c.answer,
                    )
                    .select_from(practised)
                    .where(
                        *active,
                        mock_questions_t.c.exam_id.in_(exams),
                        mock_questions_t.c.picked.is_not(None),
                    )
                )
        return [
            TaskAnswer(pk, task, title, domain, card_domain, at, bool(right))
            for pk, task, title, domain, card_domain, at, right in rows
        ]
