"""The service layer: one object per command run, owning settings and the store.

The CLI builds an `App` from its options and calls one method; the methods
return plain records. Opening the database, finding the learner and loading
the bundled decks into an empty database all happen here, once, lazily.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from srs_crss import clock, config, exam
from srs_crss.deckspec import DeckSpec, fingerprint
from srs_crss.errors import NotFound
from srs_crss.examdates import ExamDates
from srs_crss.marks import Marks
from srs_crss.model import (
    CardView,
    Cram,
    DeckSummary,
    Info,
    QueueOptions,
    Scope,
    Topics,
)
from srs_crss.names import split_qualified, unknown_name
from srs_crss.newlimit import new_left_today
from srs_crss.policy import LEECH_LAPSES
from srs_crss.preferences import Preferences
from srs_crss.session import Session
from srs_crss.settings import NO_LEARNER, Settings
from srs_crss.stats import Report
from srs_crss.sync import SyncReport, UnchangedFile, plan_sync

if TYPE_CHECKING:
    from srs_crss.anki.export import ExportResult
    from srs_crss.practice import Practice
    from srs_crss.quality import QualityWarning
    from srs_crss.storage import Store


class App:
    """Everything one command run does, behind plain methods.

    `notify` receives one-line notes for the user that are not the command's
    output (a new database, a new learner); the CLI prints them on stderr.
    """

    def __init__(self, settings: Settings, notify: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.notify = notify or (lambda _message: None)
        self._now = clock.now(settings.environ)

    # ---- time ----------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current moment (SRS_CRSS_NOW if set), fixed at start for stable output."""
        override = self.settings.environ.get(clock.NOW_ENV)
        return self._now if override else clock.now(self.settings.environ)

    def today(self) -> dt.date:
        """The study day of now, with the configured rollover hour."""
        return clock.study_day(self.now(), self.rollover_hour)

    # ---- settings ------------------------------------------------------------------

    @cached_property
    def stored_settings(self) -> dict[tuple[str | None, str], str]:
        """This learner's stored settings: (deck or None, key) -> value."""
        if self.reader_id == NO_LEARNER:
            return {}
        return self.store.settings.all(self.reader_id)

    @property
    def rollover_hour(self) -> int:
        """--rollover-hour if given, else the learner's setting, else the default."""
        if self.settings.rollover_hour is not None:
            return self.settings.rollover_hour
        return int(
            self.stored_settings.get((None, "rollover-hour"), config.KEYS["rollover-hour"].default)
        )

    def new_per_day(self, decks: Sequence[str]) -> int:
        """The daily new-card number for a session over `decks`: a one-deck setting,
        else the learner's setting, else the default."""
        default = self.stored_settings.get(
            (None, "new-per-day"), config.KEYS["new-per-day"].default
        )
        if len(decks) == 1:
            return int(self.stored_settings.get((decks[0], "new-per-day"), default))
        return int(default)

    @cached_property
    def preferences(self) -> Preferences:
        """`srs-crss config`: setting, showing and unsetting this learner's settings."""
        return Preferences(self)

    # ---- storage ---------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        # SQLAlchemy is imported here, on first use, and nowhere else outside
        # srs_crss.storage: `--help`, `check` and `--version` never pay for it.
        from srs_crss.storage import Store

        store = Store.open(self.settings.database)
        if store.db.created:
            self.notify(f"Created a new database: {store.sqlite_file or store.location.display()}")
        return store

    @cached_property
    def learner_id(self) -> int:
        """This learner's id, for commands that record progress (created on first use)."""
        name = self.settings.learner
        learner_id, created = self.store.learners.ensure(name, self.now())
        if created:
            others = _others(self.store.learners.count() - 1)
            self.notify(f"New learner {name!r} started{others}.")
        return learner_id

    @property
    def reader_id(self) -> int:
        """This learner's id for read-only commands, which never create a learner."""
        if "learner_id" not in self.__dict__:
            found = self.store.learners.find(self.settings.learner)
            if found is None:
                return NO_LEARNER
            self.__dict__["learner_id"] = found
        return self.learner_id

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def ensure_decks(self) -> SyncReport | None:
        """Load the bundled decks into an empty database, so first commands just work."""
        if self.store.decks.any():
            return None
        return self.sync()

    # ---- commands ----------------------------------------------------------------

    def check(
        self, paths: Sequence[Path] | None = None
    ) -> tuple[list[DeckSpec], list[QualityWarning]]:
        """Load deck files (default: the bundled decks) and their quality warnings.

        Never opens the database.
        """
        from srs_crss import deckfile, quality  # reading TOML: only when a file is parsed

        decks = deckfile.load_decks(paths or [deckfile.bundled_deck_dir()])
        return decks, quality.check_decks(decks)

    def sync(self, paths: Sequence[Path] | None = None) -> SyncReport:
        """Validate every file (default: the bundled decks), then apply all of them in
        one transaction. Files byte-identical to their last sync are not parsed at all.
        """
        from srs_crss import deckfile  # reading TOML: only when decks are synced

        files = deckfile.expand_paths(paths or [deckfile.bundled_deck_dir()])
        raw = {path: deckfile.read_deck_bytes(path) for path in files}
        if "store" not in self.__dict__ and not _exists(self.settings.database):
            for path in files:  # a bad file must not leave a new, empty database behind
                deckfile.decode_deck(raw[path], path)
        same = self.store.decks.with_fingerprints(
            {str(path.resolve()): fingerprint(raw[path]) for path in files}
        )
        loaded: list[DeckSpec | UnchangedFile] = []
        for path in files:
            unchanged = same.get(str(path.resolve()))
            loaded.append(
                UnchangedFile(path, unchanged)
                if unchanged
                else deckfile.decode_deck(raw[path], path)
            )
        deckfile.check_unique_ids(
            (item.deck.id if isinstance(item, UnchangedFile) else item.id, path)
            for item, path in zip(loaded, files, strict=True)
        )
        parsed = [item.id for item in loaded if isinstance(item, DeckSpec)]
        report = plan_sync(loaded, self.store.decks.existing(parsed))
        if report.changed:
            self.store.decks.apply(report.plans, self.now())
        return report

    def decks(self) -> list[DeckSummary]:
        self.ensure_decks()
        return self.store.decks.summaries(self.reader_id, self.today())

    def show(self, qualified_id: str) -> CardView:
        deck, card = split_qualified(qualified_id)
        self.ensure_decks()
        self.check_scope([deck])
        view = self.store.decks.card_view(self.reader_id, deck, card)
        return replace(view, moved_from=self.store.exams.moved_from(self.reader_id, view.card.pk))

    @cached_property
    def exam_dates(self) -> ExamDates:
        """`srs-crss exam set` and `exam clear`."""
        return ExamDates(self)

    @cached_property
    def practice(self) -> Practice:
        """Practice exams: `srs-crss mock`."""
        from srs_crss.practice import Practice  # drawing exams: only for `mock` and `stats`

        return Practice(self)

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
        default_deck = self.stored_settings.get((None, "default-deck"))
        if not scope.decks and default_deck and self.store.decks.exists(default_deck):
            scope = replace(scope, decks=(default_deck,))
        self.check_filters(scope)
        scope = replace(scope, decks=self.studied(scope.decks))
        leech = int(self.stored_settings.get((None, "leech-lapses"), LEECH_LAPSES))
        options = replace(
            options, scope=scope, new_per_day=self.new_per_day(scope.decks), leech_lapses=leech
        )
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
        left = new_left_today(
            self.store, self.reader_id, today, scope, exams, self.new_per_day(scope.decks)
        )
        plans = tuple(
            self.plan(d, day, today) for d, day in sorted(exams.items(), key=_exam_order)
            if deck is None or d in (None, deck)
        )  # fmt: skip
        return Report(
            stats=data,
            today=today,
            new_today=min(left, data.unseen),
            plans=plans,
            mocks=self.practice.recent(),
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
            reports.append(replace(report, plans=mine))
        return reports

    def plan(self, deck: str | None, day: dt.date, today: dt.date) -> exam.Plan:
        scope = Scope(decks=(deck,) if deck else ())
        unseen = self.store.queue.count_new_available(self.reader_id, scope)
        due_before = self.store.queue.count_due_on(
            self.reader_id, day - dt.timedelta(days=1), scope
        )
        usual = self.new_per_day([deck] if deck else [])
        return exam.plan(deck, day, today, unseen, usual, due_before)

    def studied(self, decks: tuple[str, ...]) -> tuple[str, ...]:
        """The decks named, or when none is, the decks studied by default (all but the
        optional ones; () when none is optional, meaning every deck)."""
        if decks:
            return decks
        return tuple(self.store.decks.studied_by_default() or ())

    def check_scope(self, decks: Sequence[str]) -> None:
        """Unknown deck ids are an error, not an empty result."""
        for deck in decks:
            if not self.store.decks.exists(deck):
                raise NotFound(unknown_name("deck", deck, self.store.decks.slugs()))

    def topics(self, deck: str | None) -> Topics:
        """The exam domains and tags of active cards, with counts (one deck or all)."""
        self.ensure_decks()
        decks = [deck] if deck else []
        self.check_scope(decks)
        return self.store.decks.topics(decks)

    def check_filters(self, scope: Scope) -> None:
        """Unknown decks, domains and tags are errors naming the closest known ones.

        A filter that matches nothing would read as "nothing due: you're done".
        """
        self.check_scope(scope.decks)
        if scope.domain is None and scope.tag is None:
            return
        topics = self.store.decks.topics(scope.decks)
        domains = [name for name, _ in topics.domains]
        if scope.domain is not None and scope.domain.lower() not in map(str.lower, domains):
            raise NotFound(unknown_name("domain", scope.domain, domains))
        tags = [name for name, _ in topics.tags]
        if scope.tag is not None and scope.tag not in tags:
            raise NotFound(unknown_name("tag", scope.tag, tags))


def _exists(database: str) -> bool:
    """Whether a database is already there (a server's always counts as there)."""
    return "://" in database or os.path.exists(os.path.expanduser(database))  # ~nouser: no


def _exam_order(item: tuple[str | None, dt.date]) -> tuple[dt.date, str]:
    return item[1], item[0] or ""


def _others(n: int) -> str:
    """How many other learners, never who: on a shared server names are private."""
    uses = "learners use" if n != 1 else "learner uses"
    return f" ({n} other {uses} this database: check --learner if you meant one)" if n else ""
