"""The `Store` facade: one database, one object per area (as Anki's Collection
composes its managers). Callers say `store.queue.due_page(...)`,
`store.reviews.apply(...)`, `store.decks.summaries(...)`."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from srs_crss.errors import UsageError
from srs_crss.storage import rowsecurity
from srs_crss.storage.cram import Cram
from srs_crss.storage.decks import Decks
from srs_crss.storage.engine import Database, Location
from srs_crss.storage.exams import Exams
from srs_crss.storage.flags import Flags
from srs_crss.storage.learners import Learners
from srs_crss.storage.queue import Queue
from srs_crss.storage.reviews import Reviews
from srs_crss.storage.rowsecurity import Acting
from srs_crss.storage.settings import Settings
from srs_crss.storage.stats import Stats
from srs_crss.storage.suspensions import Suspensions
from srs_crss.storage.tasks import Tasks

if TYPE_CHECKING:
    from srs_crss.storage.accounts import Accounts
    from srs_crss.storage.cohort import Cohort
    from srs_crss.storage.export import Export
    from srs_crss.storage.forecasts import Forecasts
    from srs_crss.storage.merges import Merges
    from srs_crss.storage.mocks import Mocks


class Store:
    """Everything srs-crss keeps, behind one object per area."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.learners = Learners(db)
        self.decks = Decks(db)
        self.queue = Queue(db)
        self.reviews = Reviews(db)
        self.exams = Exams(db)
        self.stats = Stats(db, self.queue)
        self.settings = Settings(db)
        self.flags = Flags(db)
        self.suspensions = Suspensions(db)
        self.cram = Cram(db)
        self.tasks = Tasks(db)

    # The areas only some commands use are imported when first used: every
    # command pays for the modules it loads, and a review needs none of these.
    @cached_property
    def export(self) -> Export:
        from srs_crss.storage.export import Export

        return Export(self.db)

    @cached_property
    def accounts(self) -> Accounts:
        from srs_crss.storage.accounts import Accounts

        return Accounts(self.db)

    @cached_property
    def cohort(self) -> Cohort:
        from srs_crss.storage.cohort import Cohort

        return Cohort(self.db)

    @cached_property
    def mocks(self) -> Mocks:
        from srs_crss.storage.mocks import Mocks

        return Mocks(self.db)

    @cached_property
    def forecasts(self) -> Forecasts:
        from srs_crss.storage.forecasts import Forecasts

        return Forecasts(self.db)

    @cached_property
    def merges(self) -> Merges:
        from srs_crss.storage.merges import Merges

        return Merges(self.db)

    @classmethod
    def open(cls, target: str, *, migrate: bool = True) -> Store:
        """Open the database at `target` (a path or a SQLAlchemy URL), upgrading its schema.

        A database written by a newer srs-crss, or that is not srs-crss's, is
        refused and left untouched.
        """
        return cls(Database.open(Location.of(target), migrate=migrate))

    def sibling(self) -> Store:
        """Another Store over this one's engine (its pool, its checkpointer), acting for
        nobody until told: a cohort server keeps one per signed-in learner, so whom a
        transaction acts for is never shared, and the connections are. Closing it
        leaves the engine open; closing this one ends both."""
        twin = Database(self.db.engine, self.db.location)
        twin.checkpointer = self.db.checkpointer
        twin.row_security = self.db.row_security
        twin.shared = True
        return Store(twin)

    def act_for_learner(self, name: str, learner_id: int | None = None) -> None:
        """From now on this store's transactions act for learner `name` (and, once
        known, their id): with row security (PostgreSQL set up by `cohort setup-db`)
        the database shows and changes that learner's rows only."""
        self.db.acting = Acting(learner=name, learner_id=learner_id)

    def act_for_instructor(self) -> None:
        """From now on this store reads every learner's rows, and changes none of them
        (with row security; without it, the queries themselves are what keep to reads)."""
        self.db.acting = Acting(instructor=True)

    def secure_rows(self, app_role: str) -> list[str]:
        """Put every learner table under row security for the server's role
        `app_role` (storage/rowsecurity.py); the learner tables secured."""
        if self.db.dialect != "postgresql":
            raise UsageError(
                "keeping learners apart in the database needs PostgreSQL; an SQLite file "
                "is kept apart by the server alone (give --db a postgresql:// URL)"
            )
        with self.db.write() as conn:
            database = str(conn.exec_driver_sql("SELECT current_database()").scalar_one())
            secured = rowsecurity.setup(conn, app_role, database)
        self.db.row_security = True
        return secured

    @property
    def row_security(self) -> bool:
        """Whether the database itself keeps learners apart (see act_for_learner)."""
        return self.db.row_security

    @property
    def location(self) -> Location:
        return self.db.location

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file behind this store (None for a server or in-memory database)."""
        return self.db.location.path if self.db.dialect == "sqlite" else None

    def reading(self) -> None:
        """The learner is reading a card: storage's upkeep runs now rather than in the
        next answer (an SQLite file's checkpoint, storage/checkpoint.py)."""
        if self.db.checkpointer is not None:
            self.db.checkpointer.reading()

    def schema_version(self) -> str | None:
        return self.db.schema_version()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
