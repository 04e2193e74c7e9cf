"""Exam dates (App.exam_dates): `srs-crss exam set` and `exam clear`.

The rules (cap, new cards per day) are srs_crss.exam's; `plan` fills them in with the
learner's figures (the same day's new-card limit as `review` and `stats`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from srs_crss import exam
from srs_crss.errors import UsageError
from srs_crss.model import Scope
from srs_crss.settings import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service import App


class ExamDates:
    def __init__(self, app: App) -> None:
        self.app = app

    def set(self, text: str, deck: str | None) -> tuple[exam.Plan, int]:
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
        return self.plan(deck, day, today), moved

    def clear(self, deck: str | None) -> bool:
        app = self.app
        app.ensure_decks()
        app.check_scope([deck] if deck else [])
        if app.reader_id == NO_LEARNER:
            return False
        return app.store.exams.clear(app.reader_id, deck, app.now())

    def plan(self, deck: str | None, day: dt.date, today: dt.date) -> exam.Plan:
        """The plan for one exam, over the decks `review` studies for it (the optional
        decks left out unless the exam is theirs), with the day's new-card limit
        `review` and `stats` use."""
        app = self.app
        scope = Scope(decks=app.studied((deck,) if deck else ()))
        unseen = app.store.queue.count_new_available(app.reader_id, scope)
        due_before = app.store.queue.count_due_on(app.reader_id, day - dt.timedelta(days=1), scope)
        usual = app.new_per_day(scope.decks)
        new = app.new_today(scope, {deck: day}, today)
        return exam.plan(
            deck, day, today, unseen, usual, due_before, per_day=new.limit, left_today=new.left
        )
