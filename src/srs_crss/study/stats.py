"""Progress figures derived from what the store aggregates: streak, weakest
domain, readiness. Pure: records in, records out (render shapes them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from srs_crss.exams.planning import Plan
from srs_crss.exams.tasks import TaskScore
from srs_crss.exams.tasks import weakest as weakest_tasks
from srs_crss.model import DomainStats, Stats

if TYPE_CHECKING:
    from srs_crss.exams.mock import Attempt


def streak(days: Sequence[dt.date], today: dt.date) -> int:
    """Consecutive study days ending today (or yesterday, if today is still open).

    `days` are distinct days with reviews, newest first.
    """
    if not days:
        return 0
    expected = today if days[0] == today else today - dt.timedelta(days=1)
    count = 0
    for day in days:
        if day > today:
            continue
        if day != expected:
            break
        count += 1
        expected -= dt.timedelta(days=1)
    return count


class Report(NamedTuple):
    """Stats for one learner and scope on one day, with today's new-card figure."""

    stats: Stats
    today: dt.date
    new_today: int
    """New cards that can still be introduced today (limit left, within what is unseen)."""
    plans: tuple[Plan, ...] = ()
    mocks: tuple[Attempt, ...] = ()
    """The latest finished practice exams, oldest first."""
    tasks: tuple[TaskScore, ...] = ()
    """Every exam task of the decks' task lists: right of asked, by each item's latest
    answer in review or a practice exam (srs_crss.exams.tasks)."""

    @property
    def mock_trend(self) -> float | None:
        """Points gained from the first to the last of `mocks`."""
        from srs_crss.exams.mock import trend  # the practice-exam rules: only when there are exams

        return trend([a.percent for a in self.mocks if a.percent is not None])

    @property
    def streak(self) -> int:
        return streak(self.stats.study_days, self.today)

    @property
    def correct_today(self) -> float | None:
        s = self.stats
        return 100 * s.correct_today / s.reviewed_today if s.reviewed_today else None

    @property
    def weakest(self) -> DomainStats | None:
        """The domain to work on: lowest recent retention; else the least seen."""
        return weakest(self.stats.domains)

    @property
    def weakest_tasks(self) -> tuple[TaskScore, ...]:
        """The few exam tasks to work on, weakest first."""
        return weakest_tasks(self.tasks)


HARD_DAYS = 90
"""The hardest cards are judged on this many days of answers."""

MATURE_DAYS = 21
"""A card with an interval of this many days or more is well known (Anki's "mature")."""


def weakest(domains: tuple[DomainStats, ...]) -> DomainStats | None:
    """The domain to work on: the lowest recent retention. A domain without reviews of
    learned cards (or with no card seen yet: "not started") is never the weakest."""
    with_retention = [d for d in domains if d.retention is not None]
    if with_retention:
        return min(with_retention, key=lambda d: (d.retention, d.domain))
    return None


class Readiness(NamedTuple):
    """How ready a learner is in one domain, as shares (0-1)."""

    domain: str
    seen: float
    mature: float
    retention: float | None


def readiness(domain: DomainStats) -> Readiness:
    """Seen, mature and recent retention for one domain, as shares rounded to 0.001."""
    return Readiness(
        domain=domain.domain,
        seen=round(domain.seen / domain.cards, 3) if domain.cards else 0.0,
        mature=round(domain.mature / domain.cards, 3) if domain.cards else 0.0,
        retention=None if domain.retention is None else round(domain.retention, 3),
    )
