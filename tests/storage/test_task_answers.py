"""The answers results by exam task are counted from (schema 0015): each item's latest
review, and its answers in finished practice exams; the later of the two counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from srs_crss.decks.deckfile import load_deck
from srs_crss.decks.sync import plan_sync
from srs_crss.exams import tasks
from srs_crss.exams.mock import Attempt
from srs_crss.model import SUBMITTED, Scope
from srs_crss.sm2 import review
from srs_crss.storage import Store
from tests.program.test_task_results import write_deck

DAY1 = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
DAY2 = DAY1 + dt.timedelta(days=1)
DAY3 = DAY1 + dt.timedelta(days=2)


def _exam(store: Store, learner: int, pk: int, picked: str, at: dt.datetime) -> None:
    attempt = Attempt(0, "crss", ("tasked",), 1, 68, False, 60_000, 0, at, None, "open", None, 1)
    exam = store.mocks.create(learner, attempt, [(pk, ["x", "y"])])
    (question,) = store.mocks.questions(exam)
    store.mocks.save(exam, replace(question, picked=picked), 1000)
    store.mocks.finish(exam, SUBMITTED, 1, 1000, at)


def test_the_latest_answer_to_each_item_counts_review_or_exam(db: Path, tmp_path: Path) -> None:
    store = Store.open(str(db))
    store.decks.apply(plan_sync([load_deck(write_deck(tmp_path))], {}).plans, DAY1)
    alex = store.learners.id_of("alex", DAY1)
    sam = store.learners.id_of("sam", DAY1)
    c1 = store.decks.card_view(alex, "tasked", "c1").card
    l1 = store.decks.card_view(alex, "tasked", "l1").card
    store.reviews.apply(alex, c1.pk, lambda s: review(s, 1, DAY1.date()), DAY1, None)
    store.reviews.apply(alex, l1.pk, lambda s: review(s, 5, DAY1.date()), DAY1, None)
    _exam(store, alex, c1.pk, "Right c1", DAY2)  # c1: wrong in review, then right in an exam
    _exam(store, alex, l1.pk, "Wrong l1 a", DAY2)
    store.reviews.apply(alex, l1.pk, lambda s: review(s, 4, DAY3.date()), DAY3, None)
    _exam(store, sam, c1.pk, "Wrong c1 a", DAY3)  # another learner's answers are not alex's

    listed = store.tasks.listed(Scope())
    scores = tasks.from_answers(store.tasks.answers(alex, Scope()), listed)
    assert [(s.task, s.right, s.asked) for s in scores] == [
        ("crisis", 1, 1),
        ("language", 1, 1),  # right in review after a wrong exam answer
        ("groups", 0, 0),
    ]
    assert [(s.task, s.right, s.asked) for s in tasks.weakest(
        tasks.from_answers(store.tasks.answers(sam, Scope()), listed)
    )] == [("crisis", 0, 1)]  # fmt: skip
    assert store.tasks.answers(alex, Scope(decks=("other",))) == []
    store.close()
