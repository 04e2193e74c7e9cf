"""Today's plan: what to study today for the largest expected gain on exam day.

Pure. The forecast's score in a domain is the mean chance over its bank, so one
card's recall raised by dR on the exam day moves the overall score by
`points_per_item(domain) * (1 - 1/k) * dR` points: 100 times the domain's weight
share, spread over its bank. A flashcard counts as one fact of its domain, asked
with the bank's usual number of choices. The gains in recall come from
`forecast.memory.review_gains`; this module sums them into lines:

- the due reviews (all of them: SM-2's schedule is kept);
- today's new cards, from the domains where a card is worth the most points;
- a short practice quiz in the weakest domain, when its expected effect (each
  question missed comes first in the next review: the gain of answering that
  card) beats spending the same time on more new cards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

QUIZ_QUESTIONS = 10
"""A short practice quiz: questions from one domain, a few minutes."""


class Step(NamedTuple):
    """One line of the plan."""

    kind: str
    """"due", "new" or "quiz"."""
    cards: int
    points: float | None
    """Expected effect on the exam-day score, in points (None without an exam date)."""
    domains: tuple[tuple[str, int], ...] = ()
    """New cards: (domain, how many) in the order to take them."""
    domain: str | None = None
    """The quiz's domain."""


class DayPlan(NamedTuple):
    """Today's plan, plain records for any front end."""

    today: dt.date
    exam_day: dt.date | None
    steps: tuple[Step, ...]
    expected_percent: float | None
    """The forecast for the exam day before today's study (None without an exam date)."""
    latest_practice: float | None
    """The latest practice exam's score, percent."""

    @property
    def days_left(self) -> int | None:
        return None if self.exam_day is None else (self.exam_day - self.today).days

    @property
    def total_points(self) -> float | None:
        found = [s.points for s in self.steps if s.points is not None]
        return sum(found) if found else None


def points_per_item(
    weights: Sequence[tuple[str, float]], bank: Mapping[str, int]
) -> dict[str, float]:
    """Points on the overall score for one item of each domain known for sure."""
    present = [(name, w) for name, w in weights if bank.get(name, 0)]
    whole = sum(w for _, w in present)
    return {name: 100.0 * w / whole / bank[name] for name, w in present}


def choose_new(
    count: int, unseen: Mapping[str, int], worth: Mapping[str, float]
) -> list[tuple[str, int]]:
    """`count` new cards from the domains where one is worth most (as many as each has)."""
    chosen = []
    left = count
    for name in sorted(worth, key=lambda d: (-worth[d], d)):
        take = min(left, unseen.get(name, 0))
        if take > 0:
            chosen.append((name, take))
            left -= take
    return chosen


def build(
    today: dt.date,
    exam_day: dt.date | None,
    due: Sequence[tuple[str, float]],
    new_count: int,
    unseen: Mapping[str, int],
    new_gain: Mapping[str, float],
    quiz: Mapping[str, float],
    worth: Mapping[str, float],
    expected_percent: float | None,
    latest_practice: float | None,
) -> DayPlan:
    """The plan from its parts (gains already in points per card where an exam day is set).

    `due`: (domain, points) per due card; `new_gain`: points of one new card per domain;
    `quiz`: expected points of one quiz question per domain (the weakest first is
    chosen by the caller: the domain with the lowest expected score); `worth`: the
    order domains are best served in.
    """
    dated = exam_day is not None
    steps = [Step("due", len(due), sum(p for _, p in due) if dated else None)]
    picked = choose_new(new_count, unseen, new_gain if dated else worth)
    taken = sum(n for _, n in picked)
    new_points = sum(new_gain.get(d, 0.0) * n for d, n in picked) if dated else None
    steps.append(Step("new", taken, new_points, tuple(picked)))
    if dated and quiz:
        domain = next(iter(quiz))
        quiz_points = quiz[domain] * QUIZ_QUESTIONS
        left = {d: unseen.get(d, 0) - dict(picked).get(d, 0) for d in unseen}
        instead = sum(
            new_gain.get(d, 0.0) * n for d, n in choose_new(QUIZ_QUESTIONS, left, new_gain)
        )
        if quiz_points > instead:
            steps.append(Step("quiz", QUIZ_QUESTIONS, quiz_points, domain=domain))
    return DayPlan(today, exam_day, tuple(steps), expected_percent, latest_practice)
