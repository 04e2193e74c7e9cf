"""A cohort server's instructor side (App.cohort): setting the database up so it
keeps learners apart itself, and what an instructor reads about the class.

Every read here acts for an instructor (`store.act_for_instructor`): with row
security (PostgreSQL set up by `setup_database`) the database lets those
transactions read every learner's rows and change none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srs_crss.service.context import Context


class Cohort:
    def __init__(self, context: Context) -> None:
        self.ctx = context

    def setup_database(self, app_role: str) -> list[str]:
        """Upgrade the schema, load the bundled decks if empty, and put every learner
        table under row security for the server's role `app_role` (run by the tables'
        owner; again after each upgrade). The learner tables secured."""
        self.ctx.ensure_decks()
        return self.ctx.store.secure_rows(app_role)
