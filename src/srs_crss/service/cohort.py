"""A cohort server's instructor side (App.cohort): setting the database up so it
keeps learners apart itself, and what an instructor reads about the class.

Every read here acts for an instructor (`store.act_for_instructor`): with row
security (PostgreSQL set up by `setup_database`) the database lets those
transactions read every learner's rows and change none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from srs_crss.cohort.accounts import Account, Role
from srs_crss.cohort.classview import AtRisk, LearnerRow, at_risk
from srs_crss.cohort.items import ItemStats, item_stats
from srs_crss.errors import SrsError
from srs_crss.exams.planning import exam_day
from srs_crss.model import Flag
from srs_crss.service.context import Context
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.forecasting import Readiness
    from srs_crss.storage import Store


class NotAllowed(SrsError):
    """Someone signed in asked for what their role does not give them."""

    exit_code = 2


class Cohort:
    """The instructor's side. The command line (run by whoever runs the server) uses
    it as is; a web page first calls `check(account)` with the signed-in account."""

    def __init__(self, context: Context) -> None:
        self.ctx = context

    @staticmethod
    def check(account: Account) -> None:
        """Only an instructor sees the class; a learner sees only themselves."""
        if account.role is not Role.INSTRUCTOR:
            raise NotAllowed("only an instructor can see the class")

    def setup_database(self, app_role: str) -> list[str]:
        """Upgrade the schema, load the bundled decks (or bring them up to date), and put
        every learner table under row security for the server's role `app_role` (run by
        the tables' owner; again after each upgrade). The learner tables secured."""
        self.ctx.ensure_decks()
        return self.ctx.store.secure_rows(app_role)

    def class_table(self) -> tuple[list[LearnerRow], list[AtRisk]]:
        """Every learner's line (progress by domain, last study day, latest practice
        scores, exam date) and the ones at risk, with why."""
        store = self._reading()
        today = self.ctx.today()
        rows = store.cohort.class_rows(today)
        return rows, [risk for row in rows if (risk := at_risk(row, today)) is not None]

    def forecasts(self, names: Sequence[str], profile_id: str) -> dict[str, Readiness | None]:
        """Each learner's exam-day forecast (#20) as their own progress page shows it
        (None where their log is too long to read quickly), read as an instructor:
        each over a store sharing this one's engine, reading only."""
        from srs_crss.service.forecasting import Forecasting  # FSRS: only when asked

        found: dict[str, Readiness | None] = {}
        for name in names:
            with Context(replace(self.ctx.settings, learner=name), share=self.ctx) as ctx:
                if ctx.reader_id == NO_LEARNER:
                    found[name] = None
                    continue
                ctx.store.act_for_instructor()
                found[name] = Forecasting(ctx).readiness_if_quick(profile_id)
        return found

    def items(self) -> list[ItemStats]:
        """How each practice-exam item fared across the class (srs_crss.cohort.items)."""
        return item_stats(self._reading().cohort.responses())

    def flags(self) -> list[Flag]:
        """Every flag learners raised, with the card's source (for the deck's authors)."""
        self.ctx.ensure_decks()
        return self._reading().flags.all()

    def exam_dates(self) -> dict[str | None, dt.date]:
        return self._reading().cohort.exams()

    def set_exam(self, text: str, deck: str | None) -> dt.date:
        """The class's exam date (YYYY-MM-DD, today or later), for one deck or all: it
        applies to every learner who has not set their own."""
        day = exam_day(text, self.ctx.today())
        self.ctx.ensure_decks()
        self.ctx.check_scope([deck] if deck else [])
        self._reading().cohort.set_exam(deck, day, self.ctx.now())
        return day

    def clear_exam(self, deck: str | None) -> bool:
        self.ctx.ensure_decks()
        self.ctx.check_scope([deck] if deck else [])
        return self._reading().cohort.clear_exam(deck)

    def _reading(self) -> Store:
        """The store, acting for an instructor: every learner's rows, read-only."""
        store = self.ctx.store
        store.act_for_instructor()
        return store
