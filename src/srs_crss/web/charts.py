"""The progress page's two charts as plain records the template draws as SVG.

A year of answers as a calendar heat map (weeks across, Monday to Sunday
down) and the next 30 days' due cards as bars. Each chart also gets a one
sentence text alternative, and the template lists the forecast's numbers in a
table, so nothing is only a picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

CELL = 12
"""Pixels per heat-map day (the SVG scales to the page's width)."""
WEEKS = 53


@dataclass(frozen=True, slots=True)
class Day:
    x: int
    y: int
    level: int
    """0 (no answers) to 4 (the busiest quarter of the year's days)."""


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    height: int
    day: dt.date
    count: int


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    summary: str


def heat_map(calendar: Sequence[tuple[dt.date, int]], today: dt.date) -> tuple[Chart, list[Day]]:
    """The last 53 weeks up to today, one square a day, darker for more answers."""
    counts = dict(calendar)
    first = today - dt.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    busiest = max(counts.values(), default=0)
    days = []
    for offset in range((today - first).days + 1):
        day = first + dt.timedelta(days=offset)
        count = counts.get(day, 0)
        level = 0 if not count else min(4, 1 + (4 * (count - 1)) // max(busiest, 1))
        days.append(Day(offset // 7 * CELL, day.weekday() * CELL, level))
    total = sum(count for day, count in counts.items() if day >= first)
    studied = sum(1 for day, count in counts.items() if day >= first and count)
    summary = f"In the last year you answered {_count(total, 'card')} on {_count(studied, 'day')}."
    if busiest:
        top = max((c, d) for d, c in counts.items() if d >= first)
        summary += f" The busiest day was {top[1]}, with {_count(top[0], 'answer')}."
    return Chart(WEEKS * CELL, 7 * CELL, summary), days


BAR = 10
BAR_GAP = 2
BAR_HEIGHT = 80


def forecast(days: Sequence[tuple[dt.date, int]]) -> tuple[Chart, list[Bar]]:
    """Cards due on each of the coming days, as bars scaled to the busiest day."""
    most = max((count for _, count in days), default=0)
    bars = []
    for index, (day, count) in enumerate(days):
        height = round(BAR_HEIGHT * count / most) if most else 0
        if count and height < 2:
            height = 2
        bars.append(Bar(index * (BAR + BAR_GAP), BAR_HEIGHT - height, height, day, count))
    total = sum(count for _, count in days)
    summary = f"{_count(total, 'card')} come due in the next {len(days)} days"
    if most:
        top = max((c, d) for d, c in days)
        summary += f", the most on {top[1]} ({top[0]})."
    else:
        summary += "."
    return Chart(len(days) * (BAR + BAR_GAP), BAR_HEIGHT, summary), bars


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
