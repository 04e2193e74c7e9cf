"""Figures derived from the store's aggregates (pure): streak, weakest domain, readiness."""

from __future__ import annotations

import datetime as dt

from srs_crss.model import DomainStats
from srs_crss.study.stats import Readiness, readiness, streak, weakest


def test_streak_counts_consecutive_study_days() -> None:
    d = dt.date(2026, 11, 22)
    days = [d - dt.timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak(days, d) == 3
    assert streak(days[1:], d) == 2  # today not studied yet: the run ending yesterday counts
    assert streak(days[2:], d) == 0
    assert streak([], d) == 0


def _domain(name: str, cards: int, seen: int, mature: int, retention: float | None) -> DomainStats:
    return DomainStats(domain=name, cards=cards, seen=seen, mature=mature, retention=retention)


def test_weakest_is_the_lowest_retention_of_domains_with_reviews() -> None:
    a = _domain("A", 10, 10, 2, 0.9)
    b = _domain("B", 10, 4, 0, 0.6)
    c = _domain("C", 10, 0, 0, None)
    assert weakest((a, b, c)) is b
    started = _domain("A", 10, 5, 0, None)
    assert weakest((started, c)) is None  # no retention yet, and not started: no weakest
    assert weakest(()) is None


def test_readiness_is_shares_of_the_domain() -> None:
    assert readiness(_domain("A", 8, 6, 2, 0.8333)) == Readiness("A", 0.75, 0.25, 0.833)
    assert readiness(_domain("B", 0, 0, 0, None)) == Readiness("B", 0.0, 0.0, None)
