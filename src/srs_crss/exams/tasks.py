"""Results by exam task: right of asked for each task of the exam's task list (issue 28).

Pure: records in, records out. A practice exam scores the questions it asked, each
under its item's task; `stats` scores each item by the learner's latest answer to it,
in review or in a practice exam (so "2 of 6" means six questions on the task were
answered, two of them right the last time: what the learner knows now, not how many
times a hard card was failed on the way). An item naming a task the list lacks is
scored under its bare id; an item naming none is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

NO_DOMAIN = "(no domain)"

WEAKEST = 3
"""How many of the weakest tasks the text outputs show (--json lists every task)."""


class ExamTask(NamedTuple):
    """One task of a deck's exam task list, as stored (its statement is the title)."""

    id: str
    title: str
    domain: str
    position: int | None = None
    """Its place in the task list (None for a task the list lacks)."""


class TaskAnswer(NamedTuple):
    """An answer to an item that names a task: the item, its task, when, right or not.

    `title` and `domain` are the task's as stored (None when the task list lacks the
    id); `card_domain` is the item's own domain, used then."""

    pk: int
    task: str
    title: str | None
    domain: str | None
    card_domain: str | None
    at: dt.datetime
    right: bool


class TaskScore(NamedTuple):
    """One task's result: questions on it answered right, of those asked."""

    task: str
    title: str
    domain: str
    right: int
    asked: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.right / self.asked if self.asked else None


def task_of(
    task: str,
    title: str | None,
    domain: str | None,
    card_domain: str | None,
    position: int | None = None,
) -> ExamTask:
    """The task an item names, with the bare id (and the item's domain) standing in for
    a task the list lacks."""
    if title is None:
        return ExamTask(task, task, card_domain or NO_DOMAIN)
    return ExamTask(task, title, domain or card_domain or NO_DOMAIN, position)


def latest(answers: Iterable[TaskAnswer]) -> list[TaskAnswer]:
    """Each item's latest answer (on a tie, the one given last in `answers`)."""
    newest: dict[int, TaskAnswer] = {}
    for answer in answers:
        held = newest.get(answer.pk)
        if held is None or answer.at >= held.at:
            newest[answer.pk] = answer
    return list(newest.values())


def tally(
    outcomes: Iterable[tuple[ExamTask, bool]], listed: Sequence[ExamTask] = ()
) -> tuple[TaskScore, ...]:
    """Right of asked per task: the `listed` tasks first, in their order (those never
    asked with 0 of 0), then the others in task-list order (those the list lacks last)."""
    first: dict[str, ExamTask] = {}
    for task in listed:  # (two decks sharing one list list its tasks twice: one line each)
        first.setdefault(task.id, task)
    others: dict[str, ExamTask] = {}
    counts: dict[str, list[int]] = {task_id: [0, 0] for task_id in first}
    for task, right in outcomes:
        if task.id not in first:
            others.setdefault(task.id, task)
        count = counts.setdefault(task.id, [0, 0])
        count[0] += right
        count[1] += 1
    rest = sorted(
        others.values(), key=lambda task: (task.position is None, task.position or 0, task.id)
    )
    return tuple(
        TaskScore(task.id, task.title, task.domain, *counts[task.id])
        for task in [*first.values(), *rest]
    )


def from_answers(
    answers: Iterable[TaskAnswer], listed: Sequence[ExamTask]
) -> tuple[TaskScore, ...]:
    """Every listed task scored by the latest answer to each of its items."""
    return tally(
        ((task_of(a.task, a.title, a.domain, a.card_domain), a.right) for a in latest(answers)),
        listed,
    )


def weakest(scores: Iterable[TaskScore], limit: int = WEAKEST) -> tuple[TaskScore, ...]:
    """The tasks to work on, weakest first: only tasks with a wrong answer, ranked by
    the share right with one right and one wrong added (so 0 of 1 does not outrank
    1 of 5: one question says little), then the more asked, then by id."""
    missed = [s for s in scores if s.right < s.asked]
    missed.sort(key=lambda s: ((s.right + 1) / (s.asked + 2), -s.asked, s.task))
    return tuple(missed[:limit])
