"""The exam-date rules (pure): the due-day cap and the new-card limit."""

from __future__ import annotations

import datetime as dt

from srs_crss.exams.planning import (
    cap,
    daily_new_limit,
    new_cards_per_day,
    plan,
    warnings,
)
from srs_crss.sm2 import CardState, review
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY


def test_cap_rule_is_pure() -> None:
    day = dt.date(2026, 11, 22)
    learned = CardState(repetitions=2, ef=250, interval=6, due=day)
    outcome = review(learned, 4, day)  # due 12-07
    assert cap(outcome, None) is outcome
    assert cap(outcome, dt.date(2026, 12, 8)) is outcome  # due before the eve
    capped = cap(outcome, dt.date(2026, 12, 1))
    assert capped.after.due == dt.date(2026, 11, 30) and capped.capped_from == dt.date(2026, 12, 7)
    assert (capped.after.interval, capped.after.ef) == (15, 250)
    assert cap(review(learned, 4, dt.date(2026, 11, 30)), dt.date(2026, 12, 1)).capped_from is None
    assert cap(review(learned, 4, dt.date(2026, 12, 2)), dt.date(2026, 12, 1)).capped_from is None


def test_new_cards_per_day_rule() -> None:
    today = dt.date(2026, 11, 22)
    assert new_cards_per_day(99, today, None, 20) == 20
    assert new_cards_per_day(99, today, dt.date(2026, 12, 2), 20) == 25
    assert new_cards_per_day(10, today, dt.date(2026, 12, 2), 20) == 20  # never below usual
    assert new_cards_per_day(99, today, dt.date(2026, 11, 26), 20) == 99  # < 7 days: all
    assert new_cards_per_day(99, today, today, 20) == 20  # exam day: usual
    assert plan(None, today, today, 5, 20, 0).days_left == 0


def test_daily_new_limit_follows_the_earliest_exam_that_applies() -> None:
    today = dt.date(2026, 11, 22)
    exams = {"crss": dt.date(2026, 12, 2), None: dt.date(2027, 3, 1)}
    assert daily_new_limit(["other"], {}, 99, today) == DEFAULT_NEW_PER_DAY
    assert daily_new_limit(["crss"], exams, 99, today) == 25  # 4 days to introduce 99 cards
    assert daily_new_limit(["other"], exams, 99, today) == DEFAULT_NEW_PER_DAY  # March: usual
    assert daily_new_limit(["crss", "other"], exams, 99, today, usual=30) == 30


def test_warnings_for_unrealistic_plans() -> None:
    today = dt.date(2026, 11, 22)
    tomorrow = plan(None, dt.date(2026, 11, 23), today, 336, 20, 600)
    found = warnings(tomorrow)
    assert any("336 new cards once before the exam takes about 336 a day" in w for w in found)
    assert any("more than about 200 a day is hard to keep up" in w for w in found)
    assert warnings(plan(None, dt.date(2027, 3, 1), today, 100, 20, 50)) == []
    decades = warnings(plan(None, dt.date(2056, 3, 1), today, 100, 20, 0))
    assert decades and "29 years away" in decades[0]
