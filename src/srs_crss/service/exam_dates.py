"""Exam dates (App.exam_dates): `srs-crss exam set` and `exam clear`.

The rules (cap, new cards per day) are srs_crss.exams.planning's; `Context.plan`
fills them in with the learner's figures (the same day's new-card limit as `review` and `stats`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from srs_crss.exams import planning
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context


class ExamDates:
    def __init__(self, context: Context) -> None:
        self.ctx = context

    def exam_day(self) -> dt.date | None:
        """The exam date set for all decks, else the earliest set for one, if any (the
        day the forecast and today's plan are for)."""
        if self.ctx.reader_id == NO_LEARNER:
            return None
        days = self.ctx.store.exams.all(self.ctx.reader_id)
        if None in days:
            return days[None]
        return min(days.values(), default=None)

    def set(self, text: str, deck: str | None) -> tuple[planning.Plan, int]:
        """Set (or move) an exam date (YYYY-MM-DD, today or later) for a deck or all decks.

        Returns the plan and how many cards due after the exam's eve were pulled in.
        """
        context = self.ctx
        today = context.today()
        day = planning.exam_day(text, today)
        context.ensure_decks()
        context.check_scope([deck] if deck else [])
        moved = context.store.exams.set(context.learner_id, deck, day, context.now(), today)
        return context.plan(deck, day, today), moved

    def clear(self, deck: str | None) -> bool:
        context = self.ctx
        context.ensure_decks()
        context.check_scope([deck] if deck else [])
        if context.reader_id == NO_LEARNER:
            return False
        return context.store.exams.clear(context.reader_id, deck, context.now())
