"""Every text and JSON shape a user sees, in one place.

    shapes.py   the JSON of every `--json` option (scripts rely on these)
    text.py     plain lines: sync reports, the session summary, card choices, grades
    mocktext.py plain lines of the practice exam: intro, piped questions, result, history
    views.py    rich renderables for a terminal: tables, panels, charts
    charts.py   the heat map and the column chart of `stats` (drawn by views.py)
    screen.py   rich renderables of the review screen: header, card, answer, grade keys
    examscreen.py  rich renderables of the practice-exam screen and its result
    cohort.py   a cohort server's commands: users, cohort, class, items
    forecast.py the exam-day forecast: its JSON and its plain lines

The CLI and the review screen (cli/ui.py) both draw through these; rich
honours NO_COLOR and the terminal width.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srs_crss.cli.render import (
        cohort,
        examscreen,
        forecast,
        mocktext,
        screen,
        shapes,
        text,
        views,
    )

__all__ = ["cohort", "examscreen", "forecast", "mocktext", "screen", "shapes", "text", "views"]


def __getattr__(name: str) -> Any:
    """`render.views` and the others are imported on first use, not with the command
    line: --help needs none of them, and views needs rich (a tenth of a second)."""
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(name)
