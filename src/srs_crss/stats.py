"""Progress figures and the exam plan, as data: what `stats` and `exam show` print.

The store aggregates in SQL (Store.stats); this module derives the rest
(streak, weakest domain, readiness) and defines the JSON shapes. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from srs_crss.exam import Plan
from srs_crss.model import DomainStats, Stats
from srs_crss.session import streak


@dataclass(frozen=True, slots=True)
class Report:
    """Stats for one learner and scope on one day, with today's new-card figure."""

    stats: Stats
    today: dt.date
    new_today: int
    """New cards that can still be introduced today (limit left, within what is unseen)."""
    plans: tuple[Plan, ...] = ()

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


def weakest(domains: tuple[DomainStats, ...]) -> DomainStats | None:
    with_retention = [d for d in domains if d.retention is not None]
    if with_retention:
        return min(with_retention, key=lambda d: (d.retention, d.domain))
    if domains:
        return min(domains, key=lambda d: (d.seen / d.cards if d.cards else 1.0, d.domain))
    return None


def readiness(domain: DomainStats) -> dict[str, Any]:
    """Seen, mature and recent retention for one domain, as shares (0-1)."""
    return {
        "domain": domain.domain,
        "seen": round(domain.seen / domain.cards, 3) if domain.cards else 0.0,
        "mature": round(domain.mature / domain.cards, 3) if domain.cards else 0.0,
        "retention": None if domain.retention is None else round(domain.retention, 3),
    }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "deck": plan.deck,
        "date": plan.exam_day.isoformat(),
        "days_left": plan.days_left,
        "unseen": plan.unseen,
        "new_per_day": plan.new_per_day,
        "expected_reviews_per_day": plan.expected_reviews_per_day,
        "all_seen_by": plan.all_seen_by.isoformat() if plan.all_seen_by else None,
    }


def report_json(report: Report) -> dict[str, Any]:
    """The `stats --json` shape."""
    s = report.stats
    weakest_domain = report.weakest
    correct = report.correct_today
    return {
        "today": {
            "due": s.due,
            "new": report.new_today,
            "reviewed": s.reviewed_today,
            "correct": None if correct is None else round(correct, 1),
        },
        "streak": report.streak,
        "retention": {"last_30_days": _pct(s.retention_30), "all_time": _pct(s.retention_all)},
        "domains": [
            {
                "domain": d.domain,
                "cards": d.cards,
                "seen": d.seen,
                "mature": d.mature,
                "retention": _pct(d.retention),
            }
            for d in s.domains
        ],
        "weakest_domain": weakest_domain.domain if weakest_domain else None,
        "forecast": [{"day": day.isoformat(), "due": due} for day, due in s.forecast],
        "calendar": [{"day": day.isoformat(), "reviews": n} for day, n in s.calendar],
        "hardest": [{"id": i, "ef": ef / 100, "lapses": lapses} for i, ef, lapses in s.hardest],
        "exams": [plan_json(p) for p in report.plans],
        "readiness": [readiness(d) for d in s.domains] if report.plans else [],
    }
