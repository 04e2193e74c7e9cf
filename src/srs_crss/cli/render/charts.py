"""The charts of `srs-crss stats`: a year of reviews as a heat map, and the cards due
on each of the next days as columns.

Each is a list of runs, (characters, style), that views.py draws as rich Text with one
span a run: rich renders every span apart, and a year's heat map drawn a span a day
is 371 of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter

Runs = list[tuple[str, str]]
"""Characters and their style ("": none)."""

SHADES = " ░▒▓█"
VBLOCKS = " ▁▂▃▄▅▆▇█"


def calendar(days: Sequence[tuple[dt.date, int]], today: dt.date, width: int = 80) -> Runs:
    """Up to 52 weeks of reviews per day as a heat map: one column a week, Monday on top;
    in a narrow window, the latest weeks that fit (a row never wraps)."""
    counts = dict(days)
    weeks = max(1, min(53, width - 2))  # "M " then one character a week
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(days=7 * (weeks - 1))
    start = max(start, today - dt.timedelta(days=7 * 52 - 1) - dt.timedelta(days=6))
    start -= dt.timedelta(days=start.weekday())
    weeks = (today - start).days // 7 + 1
    peak = max((n for day, n in counts.items() if start <= day <= today), default=0)
    shown = "52 weeks" if weeks >= 53 else f"{weeks} weeks"
    runs: Runs = []
    runs.append((f"Reviews per day, last {shown} (darkest = {peak})\n", "bold"))
    for weekday in range(7):
        runs.append(("MTWTFSS"[weekday] + " ", "dim"))
        cells: Runs = []
        for week in range(weeks):
            day = start + dt.timedelta(days=7 * week + weekday)
            if day > today:
                cells.append((" ", ""))
                continue
            n = counts.get(day, 0)
            level = 0 if n == 0 else 1 + min(3, (4 * n - 1) // peak) if peak else 0
            cells.append((SHADES[level], "green") if n else ("·", "dim"))
        runs += _runs(cells)
        runs.append(("\n", ""))
    return runs


def columns(
    days: Sequence[tuple[dt.date, int]], today: dt.date, width: int = 80, height: int = 6
) -> Runs:
    """A column chart of cards due per day: one column a day, today first; two characters
    a day where the terminal is wide enough, one where it is not (a label a week)."""
    peak = max((n for _, n in days), default=0)
    step = 2 if 6 + 2 * len(days) <= width else 1
    runs: Runs = []
    runs.append(
        (f"Due in the next {len(days)} days (today includes overdue; peak {peak})\n", "bold")
    )
    for row in range(height, 0, -1):
        runs.append((f"{peak if row == height else '':>5} ", "dim"))
        cells = []
        for _, n in days:
            level = n * height * 8 // peak if peak else 0
            cells.append((VBLOCKS[min(8, max(0, level - (row - 1) * 8))] * step, "cyan"))
        runs += _runs(cells)
        runs.append(("\n", ""))
    runs.append(("      ", ""))
    week = 7 * step
    for index, (day, _) in enumerate(days):
        if index % 7 == 0:
            # the arrow sits under the day's own column: the label is read from there
            label = "↑today" if day == today else day.strftime("↑%d %b")
            if len(label) >= week:  # one character a day: "↑11Dec", a space to the next
                label = label.replace(" ", "")
            last = index + 7 >= len(days)  # may run past the chart, not past the window
            room = min(len(label) if last else week, width - (6 + step * index))
            runs.append((label.ljust(week)[: max(0, room)], "dim"))
    runs.append(("\n", ""))
    return runs


def _runs(cells: Iterable[tuple[str, str]]) -> Runs:
    """(characters, style) cells joined into one run for each stretch of one style."""
    return [
        ("".join(characters for characters, _ in run), style)
        for style, run in groupby(cells, key=itemgetter(1))
    ]
