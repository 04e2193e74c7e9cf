"""Results by exam task (srs_crss.exams.tasks): right of asked, the latest answer to
each item, the weakest tasks, and a practice exam scored by task."""

from __future__ import annotations

import datetime as dt

from srs_crss.exams import tasks
from srs_crss.exams.mock import Question, score
from srs_crss.exams.tasks import ExamTask, TaskAnswer, TaskScore

CRISIS = ExamTask("crisis", "Recognise crises", "Ethical Responsibility", 0)
LANGUAGE = ExamTask("language", "Use person-first language", "Advocacy", 1)
AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _answer(pk: int, task: str, hours: int, right: bool, title: str | None = "t") -> TaskAnswer:
    return TaskAnswer(
        pk, task, title, "Advocacy", "Advocacy", AT + dt.timedelta(hours=hours), right
    )


def test_listed_tasks_come_first_in_their_order_then_the_others_by_list_place() -> None:
    stray = ExamTask("stray", "stray", "Advocacy")  # a task the list lacks: last
    outcomes = [(stray, False), (LANGUAGE, True), (CRISIS, False), (LANGUAGE, False)]
    assert tasks.tally(outcomes) == (
        TaskScore("crisis", "Recognise crises", "Ethical Responsibility", 0, 1),
        TaskScore("language", "Use person-first language", "Advocacy", 1, 2),
        TaskScore("stray", "stray", "Advocacy", 0, 1),
    )
    listed = tasks.tally([(CRISIS, True)], listed=[LANGUAGE, CRISIS, LANGUAGE])
    assert [(s.task, s.right, s.asked) for s in listed] == [("language", 0, 0), ("crisis", 1, 1)]


def test_a_task_the_list_lacks_is_named_by_its_id_under_the_items_domain() -> None:
    assert tasks.task_of("gone", None, None, "Advocacy") == ExamTask("gone", "gone", "Advocacy")
    assert tasks.task_of("gone", None, None, None).domain == tasks.NO_DOMAIN
    assert tasks.task_of("crisis", "Recognise crises", "Ethical Responsibility", "X", 3) == (
        ExamTask("crisis", "Recognise crises", "Ethical Responsibility", 3)
    )


def test_only_each_items_latest_answer_counts() -> None:
    answers = [
        _answer(1, "crisis", 0, False),
        _answer(1, "crisis", 5, True),  # the same item answered again, right: 1 of 1
        _answer(1, "crisis", 2, False),
        _answer(2, "crisis", 1, False),
    ]
    (crisis,) = tasks.from_answers(answers, [CRISIS])
    assert (crisis.right, crisis.asked, crisis.percent) == (1, 2, 50.0)
    assert tasks.from_answers([], [CRISIS])[0].percent is None


def test_the_weakest_are_tasks_with_a_miss_one_question_weighing_little() -> None:
    def scored(task: str, right: int, asked: int) -> TaskScore:
        return TaskScore(task, task, "Advocacy", right, asked)

    scores = [
        scored("perfect", 4, 4),
        scored("one-miss", 0, 1),  # (0+1)/(1+2) = 0.33
        scored("two-of-six", 2, 6),  # (2+1)/(6+2) = 0.375
        scored("none-of-three", 0, 3),  # 0.2
        scored("one-of-five", 1, 5),  # 0.286
        scored("unasked", 0, 0),
    ]
    weakest = tasks.weakest(scores)
    assert [s.task for s in weakest] == ["none-of-three", "one-of-five", "one-miss"]
    assert [s.task for s in tasks.weakest(scores, limit=10)][-1] == "two-of-six"
    assert tasks.weakest([scored("perfect", 4, 4)]) == ()


def test_a_practice_exam_is_scored_by_task_as_well_as_by_domain() -> None:
    def asked(n: int, task: ExamTask | None, picked: str) -> Question:
        domain = task.domain if task else "Advocacy"
        return Question(
            n, n, f"d/q{n}", domain, "Q?", ("R", "W"), "R", None, None, picked, task=task
        )

    result = score(
        [
            asked(1, CRISIS, "W"),
            asked(2, CRISIS, "R"),
            asked(3, LANGUAGE, "R"),
            asked(4, None, "W"),
        ],
        68,
        False,
        60.0,
    )
    assert [(s.task, s.right, s.asked) for s in result.tasks] == [
        ("crisis", 1, 2),
        ("language", 1, 1),
    ]
    assert [s.task for s in result.weakest_tasks] == ["crisis"]
    assert result.correct == 2 and result.asked == 4
