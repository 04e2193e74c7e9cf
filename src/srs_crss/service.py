"""The service layer: one object per command run, owning settings and the store.

The CLI builds an `App` from its options and calls one method; the methods
return plain records. Opening the database, finding the learner and loading
the bundled decks into an empty database all happen here, once, lazily.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from srs_crss import clock
from srs_crss.errors import UsageError

if TYPE_CHECKING:
    from srs_crss.anki_export import ExportResult
    from srs_crss.exam import Plan
    from srs_crss.model import CardView, DeckSummary, ExportReview
    from srs_crss.session import QueueOptions, Session
    from srs_crss.stats import Report
    from srs_crss.store import Store
    from srs_crss.sync import SyncReport

DB_FILENAME = "srs-crss.db"


def default_database(app_dir: str) -> str:
    """The embedded default: an SQLite file in the per-user app directory."""
    return str(Path(app_dir) / DB_FILENAME)


def default_learner() -> str:
    """The OS user name, or "learner" where there is none."""
    try:
        return getpass.getuser() or "learner"
    except (KeyError, OSError):
        return "learner"


@dataclass
class Settings:
    """What every command needs to know, resolved from options and environment."""

    database: str
    learner: str
    rollover_hour: int = clock.DEFAULT_ROLLOVER_HOUR
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def __post_init__(self) -> None:
        clock.check_rollover(self.rollover_hour)
        if not self.learner.strip():
            raise UsageError("learner name must not be empty")
        self.learner = self.learner.strip()

    @property
    def url(self) -> str:
        from srs_crss.store import database_url

        return database_url(self.database)


class App:
    """Everything one command run does, behind plain methods."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._now = clock.now(settings.environ)

    # ---- time ----------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current moment (SRS_CRSS_NOW if set), fixed at start for stable output."""
        override = self.settings.environ.get(clock.NOW_ENV)
        return self._now if override else clock.now(self.settings.environ)

    def today(self) -> dt.date:
        """The study day of now, with the configured rollover hour."""
        return clock.study_day(self.now(), self.settings.rollover_hour)

    # ---- storage ---------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        from srs_crss.store import Store

        return Store.open(self.settings.url)

    @cached_property
    def learner_id(self) -> int:
        return self.store.learner(self.settings.learner, self.now())

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def ensure_decks(self) -> SyncReport | None:
        """Load the bundled decks into an empty database, so first commands just work."""
        if self.store.has_decks():
            return None
        from srs_crss.deckfile import bundled_deck_dir

        return self.sync([bundled_deck_dir()])

    # ---- commands ----------------------------------------------------------------

    def sync(self, paths: Sequence[Path]) -> SyncReport:
        """Validate every file, then apply all of them in one transaction."""
        from srs_crss import deckfile
        from srs_crss.sync import DeckPlan, SyncReport, plan_deck, unchanged_plan

        files = deckfile.expand_paths(paths)
        raw = {path: deckfile.read_deck_bytes(path) for path in files}
        same = self.store.decks_with_fingerprints(
            {str(path.resolve()): deckfile.fingerprint(raw[path]) for path in files}
        )
        # Files byte-identical to their last sync need no parsing at all.
        specs = {
            path: deckfile.decode_deck(raw[path], path)
            for path in files
            if str(path.resolve()) not in same
        }
        deck_ids = [
            (specs[path].id if path in specs else same[str(path.resolve())].id, path)
            for path in files
        ]
        deckfile.check_unique_ids(deck_ids)
        existing = self.store.existing_decks([spec.id for spec in specs.values()])
        plans: list[DeckPlan] = [
            plan_deck(specs[path], existing.get(specs[path].id))
            if path in specs
            else unchanged_plan(same[str(path.resolve())], path)
            for path in files
        ]
        report = SyncReport(plans=tuple(plans))
        if report.changed:
            self.store.apply_sync(report.plans, self.now())
        return report

    def decks(self) -> list[DeckSummary]:
        self.ensure_decks()
        return self.store.deck_summaries(self.learner_id, self.today())

    def show(self, qualified_id: str) -> CardView:
        deck, card = split_qualified(qualified_id)
        self.ensure_decks()
        return self.store.card_view(self.learner_id, deck, card)

    def review_session(self, options: QueueOptions) -> Session:
        """A review session with its queue built, ready for srs_crss.ui.run."""
        from srs_crss.session import Session

        self.ensure_decks()
        self.check_scope(options.scope.decks)
        session = Session(
            store=self.store,
            learner_id=self.learner_id,
            now=self.now,
            rollover_hour=self.settings.rollover_hour,
            options=options,
        )
        session.build()
        return session

    def export_anki(
        self,
        decks: Sequence[str],
        out: Path | None,
        with_scheduling: bool,
        progress: Callable[[int], None] | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> ExportResult:
        """Write an .apkg of these decks (default: every deck with active cards)."""
        from srs_crss import anki_export
        from srs_crss.errors import NotFound

        self.ensure_decks()
        self.check_scope(decks)
        data = self.store.export_decks(self.learner_id, decks)
        if not data:
            raise NotFound("nothing to export: no deck has active cards")
        path = anki_export.check_out_path(out or anki_export.default_path([d.id for d in data]))
        if on_start is not None:
            on_start(sum(len(d.cards) for d in data))
        return anki_export.export(
            data,
            path,
            now=self.now(),
            rollover_hour=self.settings.rollover_hour,
            log=_LearnerLog(self.store, self.learner_id) if with_scheduling else None,
            progress=progress,
        )

    # ---- stats and exams ---------------------------------------------------------

    def stats(self, deck: str | None) -> Report:
        """Progress figures for one deck or all, with the plan for any exam that applies."""
        from srs_crss.model import Scope
        from srs_crss.session import new_limit
        from srs_crss.stats import Report

        self.ensure_decks()
        decks = (deck,) if deck else ()
        self.check_scope(decks)
        scope = Scope(decks=decks)
        today = self.today()
        data = self.store.stats(self.learner_id, today, scope)
        exams = self.store.exams(self.learner_id)
        limit = new_limit(self.store, self.learner_id, today, scope, exams)
        left = max(0, limit - self.store.new_introduced(self.learner_id, today))
        plans = tuple(
            self._plan(d, day, today) for d, day in sorted(exams.items(), key=_exam_order)
            if deck is None or d in (None, deck)
        )  # fmt: skip
        return Report(stats=data, today=today, new_today=min(left, data.unseen), plans=plans)

    def exam_set(self, text: str, deck: str | None) -> Plan:
        """Set an exam date (YYYY-MM-DD, today or later) for a deck or all decks."""
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"not a date: {text!r} (use YYYY-MM-DD, e.g. 2027-03-15)") from None
        today = self.today()
        if day < today:
            raise UsageError(f"the exam date {day} is in the past (today is {today})")
        self.ensure_decks()
        self.store.set_exam(self.learner_id, deck, day, self.now())
        return self._plan(deck, day, today)

    def exam_clear(self, deck: str | None) -> bool:
        self.ensure_decks()
        return self.store.clear_exam(self.learner_id, deck)

    def exam_reports(self) -> list[Report]:
        """One report per exam set: its plan and per-domain readiness."""
        from dataclasses import replace

        exams = self.store.exams(self.learner_id)
        reports = []
        for deck, day in sorted(exams.items(), key=_exam_order):
            report = self.stats(deck)
            mine = tuple(p for p in report.plans if p.deck == deck and p.exam_day == day)
            reports.append(replace(report, plans=mine))
        return reports

    def _plan(self, deck: str | None, day: dt.date, today: dt.date) -> Plan:
        from srs_crss import exam
        from srs_crss.model import Scope
        from srs_crss.session import DEFAULT_NEW_PER_DAY

        scope = Scope(decks=(deck,) if deck else ())
        unseen = self.store.count_new_available(self.learner_id, scope)
        due_before = self.store.count_due_on(self.learner_id, day - dt.timedelta(days=1), scope)
        return exam.plan(deck, day, today, unseen, DEFAULT_NEW_PER_DAY, due_before)

    def check_scope(self, decks: Sequence[str]) -> None:
        """Unknown deck ids are an error, not an empty result."""
        from srs_crss.errors import NotFound

        for deck in decks:
            if not self.store.deck_exists(deck):
                known = ", ".join(self.store.deck_slugs()) or "none"
                raise NotFound(f"no deck {deck!r} (decks: {known})")


class _LearnerLog:
    """One learner's review log, as the Anki export reads it."""

    def __init__(self, store: Store, learner_id: int) -> None:
        self.store = store
        self.learner_id = learner_id

    def copy(
        self,
        target: sqlite3.Connection,
        card_ids: dict[int, int],
        button_for_grade: Sequence[int],
        type_for: dict[tuple[str, bool], int],
    ) -> int | None:
        return self.store.copy_revlog(target, self.learner_id, card_ids, button_for_grade, type_for)

    def history(self, card_pks: Iterable[int]) -> dict[int, list[ExportReview]]:
        return self.store.export_history(self.learner_id, card_pks)


def _exam_order(item: tuple[str | None, dt.date]) -> tuple[dt.date, str]:
    return item[1], item[0] or ""


def split_qualified(qualified_id: str) -> tuple[str, str]:
    """Split "deck/card" into its two slugs."""
    deck, sep, card = qualified_id.strip().partition("/")
    if not sep or not deck or not card or "/" in card:
        raise UsageError(
            f"expected DECK/CARD (e.g. crss/empathy-core-quality), not {qualified_id!r}"
        )
    return deck, card
