"""The pure rules of a cohort server: item statistics and the at-risk list."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srs_crss.cohort.classview import LearnerRow, PracticeScore, at_risk
from srs_crss.cohort.items import Response, item_stats, point_biserial

TODAY = dt.date(2026, 12, 6)


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 50)), min_size=5, max_size=40))
def test_point_biserial_is_pearson_of_right_and_score(pairs: list[tuple[bool, int]]) -> None:
    found = point_biserial([(ok, float(score)) for ok, score in pairs])
    oks, scores = [float(ok) for ok, _ in pairs], [float(s) for _, s in pairs]
    if len(set(oks)) < 2 or len(set(scores)) < 2:
        assert found is None
    else:
        assert found == pytest.approx(statistics.correlation(oks, scores))


def _exam(n: int, right: dict[str, bool]) -> list[Response]:
    """One practice exam: each item right (picked the key) or wrong, scored over them."""
    correct = sum(right.values())
    return [
        Response(n, card, "key", "key" if ok else "wrong one", correct, len(right))
        for card, ok in right.items()
    ]


def test_an_item_the_strong_miss_is_flagged_and_wrong_choices_counted() -> None:
    responses = []
    for n in range(6):  # strong learners (n < 3) get a, b, c and miss d; weak ones the opposite
        strong = n < 3
        responses += _exam(n, {"d/a": strong, "d/b": strong, "d/c": strong, "d/d": not strong})
    by_card = {s.card: s for s in item_stats(responses)}
    tricky = by_card["d/d"]
    assert tricky.right == 3 and tricky.answers == 6
    assert tricky.discrimination is not None and tricky.discrimination < 0
    assert tricky.wrong_choices == (("wrong one", 3),)
    assert any("misleading or miskeyed" in note for note in tricky.notes)
    good = by_card["d/a"]
    assert good.discrimination is not None and good.discrimination > 0.5 and not good.notes
    assert item_stats(responses)[0].card == "d/d"  # weakest first


def test_too_few_answers_give_no_discrimination() -> None:
    (only,) = item_stats(_exam(1, {"d/a": True}))
    assert only.discrimination is None and only.right == 1


def _row(**changes: object) -> LearnerRow:
    fields: dict[str, object] = {
        "name": "sam",
        "domains": (),
        "last_study_day": TODAY,
        "practice": (PracticeScore(TODAY, 8, 10, 70),),
        "exam_day": TODAY + dt.timedelta(days=30),
        "exam_is_cohort": False,
    }
    fields.update(changes)
    return LearnerRow(**fields)  # type: ignore[arg-type]


def test_at_risk_reasons() -> None:
    assert at_risk(_row(), TODAY) is None
    idle = at_risk(_row(last_study_day=TODAY - dt.timedelta(days=7)), TODAY)
    assert idle is not None and idle.reasons == ("no study for 7 days",)
    assert at_risk(_row(last_study_day=TODAY - dt.timedelta(days=6)), TODAY) is None
    near = at_risk(
        _row(
            exam_day=TODAY + dt.timedelta(days=10),
            practice=(PracticeScore(TODAY, 6, 10, 70), PracticeScore(TODAY, 9, 10, 70)),
        ),
        TODAY,
    )
    assert near is not None
    assert near.reasons == (
        "exam in 10 days; latest practice score 60% is below the pass mark of 70%",
    )
    assert at_risk(_row(exam_day=TODAY + dt.timedelta(days=10)), TODAY) is None  # passing
    none_taken = at_risk(_row(exam_day=TODAY + dt.timedelta(days=1), practice=()), TODAY)
    assert none_taken is not None and none_taken.reasons == (
        "exam tomorrow and no practice exam taken",
    )
    never = at_risk(_row(last_study_day=None), TODAY)
    assert never is not None and never.reasons == ("has not studied yet",)
