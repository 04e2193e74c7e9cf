"""What the service's parts share for one command run: settings, clock, store, learner.

`Context` opens the store lazily, finds (or creates) the learner, loads the bundled
decks into an empty database and checks deck, domain and tag names. `App` (app.py)
is a Context with one method per command; the helpers (`preferences`, `marks`,
`exam_dates`, `practice`, `anki_import`) take a Context, so none of them needs, or
imports, the App.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from srs_crss import clock
from srs_crss.errors import NotFound
from srs_crss.exams import planning
from srs_crss.model import CardView, Scope
from srs_crss.names import split_qualified, unknown_name
from srs_crss.settings import keys
from srs_crss.settings.run import NO_LEARNER, Settings
from srs_crss.study.newlimit import NewToday, new_today

if TYPE_CHECKING:
    from srs_crss.decks.sync import SyncReport
    from srs_crss.storage import Store


class Context:
    """The settings, clock, store and learner of one command run.

    `notify` receives one-line notes for the user that are not the command's
    output (a new database, a new learner); the CLI prints them on stderr.
    """

    def __init__(
        self,
        settings: Settings,
        notify: Callable[[str], None] | None = None,
        *,
        share: Context | None = None,
    ) -> None:
        self.settings = settings
        self.notify = notify or (lambda _message: None)
        self.share = share
        """A cohort server's own Context: this one's store is a sibling of its store (one
        engine, one pool), acting for this one's learner only (Store.sibling)."""
        self._now = clock.now(settings.environ)

    def now(self) -> dt.datetime:
        """The current moment (SRS_CRSS_NOW if set), fixed at start for stable output."""
        override = self.settings.environ.get(clock.NOW_ENV)
        return self._now if override else clock.now(self.settings.environ)

    def today(self) -> dt.date:
        """The study day of now, with the configured rollover hour."""
        return clock.study_day(self.now(), self.rollover_hour)

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
            self.stored_settings.get((None, "rollover-hour"), keys.KEYS["rollover-hour"].default)
        )

    def new_per_day(self, decks: Sequence[str]) -> int:
        """The daily new-card number for a session over `decks`: a one-deck setting,
        else the learner's setting, else the default."""
        default = self.stored_settings.get((None, "new-per-day"), keys.KEYS["new-per-day"].default)
        if len(decks) == 1:
            return int(self.stored_settings.get((decks[0], "new-per-day"), default))
        return int(default)

    @cached_property
    def store(self) -> Store:
        # SQLAlchemy is imported here, on first use, and nowhere else outside
        # srs_crss.storage: `--help`, `check` and `--version` never pay for it.
        from srs_crss.storage import Store

        store = self.share.store.sibling() if self.share else Store.open(self.settings.database)
        # On a cohort server's PostgreSQL the database shows only this learner's rows
        # (storage/rowsecurity.py): say who, before the first read.
        store.act_for_learner(self.settings.learner)
        if store.row_security:  # and by id, for the commands that never look the learner up
            found = store.learners.find(self.settings.learner)
            if found is not None:
                store.act_for_learner(self.settings.learner, found)
        if store.db.created:
            self.notify(f"Created a new database: {store.sqlite_file or store.location.display()}")
        return store

    @cached_property
    def learner_id(self) -> int:
        """This learner's id, for commands that record progress (created on first use)."""
        name = self.settings.learner
        learner_id, created = self.store.learners.ensure(name, self.now())
        self.store.act_for_learner(name, learner_id)
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
            self.store.act_for_learner(self.settings.learner, found)
            self.__dict__["learner_id"] = found
        return self.learner_id

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def ensure_decks(self) -> SyncReport | None:
        """Load the bundled decks into an empty database, so first commands just work;
        after an upgrade of srs-crss, sync again the bundled decks this database holds
        whose files changed, so new and corrected cards arrive without `srs-crss sync`
        (a quick check: a fingerprint of two files' bytes, one query)."""
        sources = self.store.decks.sources()
        if not sources:
            return self.sync()
        from srs_crss.decks import bundled

        files = {str(path.resolve()): path for path in bundled.bundled_deck_files()}
        stale = [
            files[name]
            for name, digest in sources
            if name in files and bundled.deck_fingerprint(_read(files[name]), files[name]) != digest
        ]
        return self.sync(stale) if stale else None

    def sync(self, paths: Sequence[Path] | None = None) -> SyncReport:
        """Validate every file (default: the bundled decks), then apply all of them in
        one transaction. Files byte-identical to their last sync are not parsed at all.
        """
        # reading, checking and planning deck files: only when decks are synced
        from srs_crss.decks import deckfile, tasklist
        from srs_crss.decks.spec import DeckSpec
        from srs_crss.decks.sync import UnchangedFile, plan_sync

        files = deckfile.expand_paths(paths or [deckfile.bundled_deck_dir()])
        raw = {path: deckfile.read_deck_bytes(path) for path in files}
        if "store" not in self.__dict__ and not _exists(self.settings.database):
            for path in files:  # a bad file must not leave a new, empty database behind
                deckfile.decode_deck(raw[path], path)
        same = self.store.decks.with_fingerprints(
            {str(path.resolve()): tasklist.deck_fingerprint(raw[path], path) for path in files}
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

    def show(self, qualified_id: str) -> CardView:
        deck, card = split_qualified(qualified_id)
        self.ensure_decks()
        self.check_scope([deck])
        view = self.store.decks.card_view(self.reader_id, deck, card)
        return view._replace(
            moved_from=self.store.exams.moved_from(self.reader_id, view.card.pk),
            suspended=self.store.suspensions.reason(self.reader_id, view.card.pk),
        )

    def plan(self, deck: str | None, day: dt.date, today: dt.date) -> planning.Plan:
        """The plan for one exam, over the decks `review` studies for it (the optional
        decks left out unless the exam is theirs), with the day's new-card limit
        `review` and `stats` use."""
        scope = Scope(decks=self.studied((deck,) if deck else ()))
        unseen = self.store.queue.count_new_available(self.reader_id, scope)
        due_before = self.store.queue.count_due_on(
            self.reader_id, day - dt.timedelta(days=1), scope
        )
        usual = self.new_per_day(scope.decks)
        new = self.new_today(scope, {deck: day}, today)
        return planning.plan(
            deck, day, today, unseen, usual, due_before, per_day=new.limit, left_today=new.left
        )

    def new_today(self, scope: Scope, exams: dict[str | None, dt.date], today: dt.date) -> NewToday:
        """The day's new-card limit and what is left of it, as a review session of
        `scope` works them out (srs_crss.study.newlimit)."""
        return new_today(
            self.store, self.reader_id, today, scope, exams, self.new_per_day(scope.decks)
        )

    def studied(self, decks: tuple[str, ...]) -> tuple[str, ...]:
        """The decks named, or when none is, the decks studied by default (all but the
        optional ones; () when none is optional, meaning every deck)."""
        if decks:
            return decks
        return tuple(self.store.decks.studied_by_default() or ())

    def review_decks(self, decks: tuple[str, ...]) -> tuple[str, ...]:
        """The decks a review of `decks` studies: those named, else the default deck if
        one is set (`config set default-deck`), else the decks studied by default."""
        default_deck = self.stored_settings.get((None, "default-deck"))
        if not decks and default_deck and self.store.decks.exists(default_deck):
            decks = (default_deck,)
        return decks

    def check_scope(self, decks: Sequence[str]) -> None:
        """Unknown deck ids are an error, not an empty result."""
        for deck in decks:
            if not self.store.decks.exists(deck):
                raise NotFound(unknown_name("deck", deck, self.store.decks.slugs()))

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

    def forget_stored_settings(self) -> None:
        """Read the learner's settings afresh on next use (after `config` changed one)."""
        self.__dict__.pop("stored_settings", None)


def _read(path: Path) -> bytes:
    """A bundled deck file's bytes (b"" if it cannot be read: sync then says why)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _exists(database: str) -> bool:
    """Whether a database is already there (a server's always counts as there)."""
    return "://" in database or os.path.exists(os.path.expanduser(database))  # ~nouser: no


def _others(n: int) -> str:
    """How many other learners, never who: on a shared server names are private."""
    uses = "learners use" if n != 1 else "learner uses"
    return f" ({n} other {uses} this database: check --learner if you meant one)" if n else ""
