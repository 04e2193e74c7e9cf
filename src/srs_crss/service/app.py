"""The service's API: one `App` per command run, one method per command.

A front end builds an `App` from its options and calls one method; the methods
return plain records. Opening the database, finding the learner and loading
the bundled decks into an empty database are the Context's (context.py), done
once, lazily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from srs_crss.errors import NotFound
from srs_crss.exams import tasks
from srs_crss.model import (
    Cram,
    DeckSummary,
    Info,
    QueueOptions,
    Scope,
    Topics,
)
from srs_crss.service.context import Context
from srs_crss.service.exam_dates import ExamDates
from srs_crss.service.marks import Marks
from srs_crss.service.preferences import Preferences
from srs_crss.settings.run import NO_LEARNER
from srs_crss.study.policy import LEECH_LAPSES
from srs_crss.study.stats import Report

if TYPE_CHECKING:
    from srs_crss.anki.export import ExportResult
    from srs_crss.decks.quality import QualityWarning
    from srs_crss.decks.spec import DeckSpec
    from srs_crss.forecast.plan import DayPlan
    from srs_crss.service.accounts import Accounts
    from srs_crss.service.cohort import Cohort
    from srs_crss.service.forecasting import Forecasting
    from srs_crss.service.practice import Practice
    from srs_crss.study.session import Session


class App(Context):
    """Everything one command run does, behind plain methods (one per command).

    The settings, clock, store and learner are the Context's; the areas with
    several commands hang off the App as helpers built over that Context.
    """

    @cached_property
    def accounts(self) -> Accounts:
        """`srs-crss users` and sign-in to a cohort server (argon2 loads on first use)."""
        from srs_crss.service.accounts import Accounts

        return Accounts(self)

    @cached_property
    def cohort(self) -> Cohort:
        """The instructor's side of a cohort server, and setting its database up."""
        from srs_crss.service.cohort import Cohort

        return Cohort(self)

    @cached_property
    def preferences(self) -> Preferences:
        """`srs-crss config`: setting, showing and unsetting this learner's settings."""
        return Preferences(self)

    # ---- commands ----------------------------------------------------------------

    def check(
        self, paths: Sequence[Path] | None = None
    ) -> tuple[list[DeckSpec], list[QualityWarning]]:
        """Load deck files (default: the bundled decks) and their quality warnings.

        Never opens the database.
        """
        from srs_crss.decks import (
            deckfile,  # reading TOML: only when a file is parsed
            quality,
        )

        decks = deckfile.load_decks(paths or [deckfile.bundled_deck_dir()])
        return decks, quality.check_decks(decks)

    def decks(self) -> list[DeckSummary]:
        self.ensure_decks()
        return self.store.decks.summaries(self.reader_id, self.today())

    @cached_property
    def exam_dates(self) -> ExamDates:
        """`srs-crss exam set` and `exam clear`."""
        return ExamDates(self)

    @cached_property
    def practice(self) -> Practice:
        """Practice exams: `srs-crss mock`."""
        from srs_crss.service.practice import Practice  # drawing exams: only for `mock` and `stats`

        return Practice(self)

    @cached_property
    def forecasting(self) -> Forecasting:
        """The exam-day forecast: `srs-crss readiness` (and `today`)."""
        from srs_crss.service.forecasting import Forecasting  # FSRS: only for the forecast

        return Forecasting(self)

    def todays_plan(self, profile_id: str) -> DayPlan | None:
        """Today's plan for the top of a review and the web's Today page: only with an
        exam date ahead (the forecast is not even loaded without one), and a log it
        reads quickly."""
        day = self.exam_dates.exam_day()
        if day is None or day < self.today():
            return None
        return self.forecasting.today_if_quick(profile_id)

    @cached_property
    def marks(self) -> Marks:
        """Flags and suspensions: the marks this learner puts on cards."""
        return Marks(self)

    def review_session(
        self,
        options: QueueOptions | None = None,
        *,
        decks: Sequence[str] = (),
        tag: str | None = None,
        domain: str | None = None,
        new: int | None = None,
        limit: int | None = None,
        cram: bool = False,
        mistakes: int | None = None,
        ahead: int | None = None,
    ) -> Session:
        """A review session with its queue built, ready for srs_crss.cli.ui.run.

        Either `options`, or the scope and limits one by one.
        """
        if options is None:
            scope = Scope(decks=tuple(decks), tag=tag, domain=domain)
            crammed = Cram(mistakes=mistakes, ahead=ahead) if cram else None
            options = QueueOptions(scope=scope, new=new, limit=limit, cram=crammed)
        self.ensure_decks()
        scope = options.scope
        scope = scope._replace(decks=self.review_decks(scope.decks))
        self.check_filters(scope)
        scope = scope._replace(decks=self.studied(scope.decks))
        leech = int(self.stored_settings.get((None, "leech-lapses"), LEECH_LAPSES))
        options = options._replace(
            scope=scope, new_per_day=self.new_per_day(scope.decks), leech_lapses=leech
        )
        from srs_crss.study.session import Session  # the review queue: only to review

        session = Session(
            store=self.store,
            learner_id=self.learner_id,
            now=self.now,
            rollover_hour=self.rollover_hour,
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
        # genanki is imported here, on first use: only an export needs it.
        from srs_crss.anki import export

        self.ensure_decks()
        self.check_scope(decks)
        learner = self.reader_id
        data = self.store.export.decks(learner, self.studied(tuple(decks)))
        if not data:
            raise NotFound("nothing to export: no deck has active cards")
        path = export.check_out_path(out or export.default_path([d.id for d in data]))
        if on_start is not None:
            on_start(sum(len(d.cards) for d in data))
        log = None
        if with_scheduling:
            log = export.ReviewHistory(
                learner_id=learner,
                read=lambda pks: self.store.export.history(learner, pks),
                sqlite_file=self.store.sqlite_file,
            )
        return export.export(
            data,
            path,
            now=self.now(),
            rollover_hour=self.rollover_hour,
            log=log,
            progress=progress,
        )

    # ---- stats and exams ---------------------------------------------------------

    def stats(self, deck: str | None) -> Report:
        """Progress figures for one deck or all, with the plan for any exam that applies."""
        self.ensure_decks()
        decks = (deck,) if deck else ()
        self.check_scope(decks)
        scope = Scope(decks=self.studied(decks))
        today = self.today()
        data = self.store.stats.figures(self.reader_id, today, scope)
        exams = self.store.exams.all(self.reader_id)
        left = self.new_today(scope, exams, today).left
        plans = tuple(
            self.plan(d, day, today) for d, day in sorted(exams.items(), key=_exam_order)
            if deck is None or d in (None, deck)
        )  # fmt: skip
        answers = self.store.tasks.answers(self.reader_id, scope)
        return Report(
            stats=data,
            today=today,
            new_today=min(left, data.unseen),
            plans=plans,
            mocks=self.practice.recent(),
            tasks=tasks.from_answers(answers, self.store.tasks.listed(scope)),
        )

    def info(self) -> Info:
        """Where the data lives, who is studying, and what the database holds."""
        from srs_crss import __version__

        store = self.store
        known = self.reader_id != NO_LEARNER
        summaries = store.decks.summaries(self.reader_id, self.today())
        return Info(
            version=__version__,
            database=str(store.sqlite_file) if store.sqlite_file else store.location.display(),
            is_file=store.sqlite_file is not None,
            schema=store.schema_version(),
            learner=self.settings.learner,
            learner_known=known,
            learners=store.learners.count(),
            decks=len(summaries),
            cards=sum(s.cards for s in summaries),
            reviews=store.queue.review_total(self.reader_id) if known else 0,
        )

    def exam_reports(self) -> list[Report]:
        """One report per exam set: its plan and per-domain readiness."""
        exams = self.store.exams.all(self.reader_id)
        reports = []
        for deck, day in sorted(exams.items(), key=_exam_order):
            report = self.stats(deck)
            mine = tuple(p for p in report.plans if p.deck == deck and p.exam_day == day)
            reports.append(report._replace(plans=mine))
        return reports

    def topics(self, deck: str | None) -> Topics:
        """The exam domains and tags of active cards, with counts: one deck, or the decks
        `review` studies when none is named (the optional ones left out, as there)."""
        self.ensure_decks()
        decks = (deck,) if deck else ()
        self.check_scope(decks)
        return self.store.decks.topics(self.studied(decks))


def _exam_order(item: tuple[str | None, dt.date]) -> tuple[dt.date, str]:
    return item[1], item[0] or ""
