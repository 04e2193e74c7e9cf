"""Exam dates (App.exam_dates): `srs-crss exam set` and `exam clear`.

The rules (cap, new cards per day) are srs_crss.exams.planning's; the plan is App.plan's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from srs_crss.errors import UsageError
from srs_crss.exams import planning
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service import App


class ExamDates:
    def __init__(self, app: App) -> None:
        self.app = app

    def set(self, text: str, deck: str | None) -> tuple[planning.Plan, int]:
        """Set (or move) an exam date (YYYY-MM-DD, today or later) for a deck or all decks.

        Returns the plan and how many cards due after the exam's eve were pulled in.
        """
        app = self.app
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"not a date: {text!r} (use YYYY-MM-DD, e.g. 2027-03-15)") from None
        today = app.today()
        if day < today:
            raise UsageError(f"the exam date {day} is in the past (today is {today})")
        app.ensure_decks()
        app.check_scope([deck] if deck else [])
        moved = app.store.exams.set(app.learner_id, deck, day, app.now(), today)
        return app.plan(deck, day, today), moved

    def clear(self, deck: str | None) -> bool:
        app = self.app
        app.ensure_decks()
        app.check_scope([deck] if deck else [])
        if app.reader_id == NO_LEARNER:
            return False
        return app.store.exams.clear(app.reader_id, deck, app.now())
