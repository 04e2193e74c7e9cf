"""The database: tables, engine, schema versions and every query.

This is the only module that imports SQLAlchemy (with its Alembic
migrations in srs_crss/migrations). Everything else talks to `Store` and
gets plain records from srs_crss.model back.

SQLite is the default (WAL, foreign keys on, a busy timeout, and write
transactions that take the write lock up front with BEGIN IMMEDIATE so two
processes never deadlock on a lock upgrade). Any SQLAlchemy URL works, e.g.
PostgreSQL for a cohort.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from srs_crss import model
from srs_crss.errors import DatabaseError, NotFound, StorageFailure
from srs_crss.sm2 import CardState, Grade, Review, ReviewKind
from srs_crss.sync import DeckPlan

SCHEMA_HEAD = "0002"
"""The newest Alembic revision this version knows; a test keeps it honest."""

KNOWN_REVISIONS = frozenset({"0001", "0002"})

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes stored as naive UTC, read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


Id = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit ids on servers; SQLite needs INTEGER for its rowid alias."""


class Base(DeclarativeBase):
    """Declarative base for srs-crss tables."""


class DeckRow(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    source_path: Mapped[str | None] = mapped_column(Text)
    source_hash: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("deck_id", "slug", name="uq_cards_deck_slug"),
        Index("ix_cards_deck_position", "deck_id", "retired", "position"),
        Index("ix_cards_retired", "retired"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(10))
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str | None] = mapped_column(Text)
    choices: Mapped[str] = mapped_column(Text)  # JSON list, encoded once by deckfile
    answer: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text)  # JSON list of slugs
    source: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    content_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LearnerRow(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CardStateRow(Base):
    """One learner's current SM-2 state of one card; no row means new."""

    __tablename__ = "card_states"
    # Covers the due counts (no table lookups for the header of a session).
    __table_args__ = (
        Index("ix_card_states_due", "learner_id", "due", "extra", "repetitions", "card_id"),
        Index("ix_card_states_ef", "learner_id", "ef", "lapses"),  # hardest cards first
    )

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    repetitions: Mapped[int] = mapped_column(Integer)
    ef: Mapped[int] = mapped_column(SmallInteger)  # hundredths: 250 = 2.50
    interval: Mapped[int] = mapped_column(Integer)
    due: Mapped[dt.date] = mapped_column(Date)
    extra: Mapped[bool] = mapped_column(Boolean)
    lapses: Mapped[int] = mapped_column(Integer)
    last_review_id: Mapped[int] = mapped_column(Id)


class ReviewRow(Base):
    """The append-only review log: one row per answer, with state before and after."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_learner_card", "learner_id", "card_id", "id"),
        # covers the per-day counts and retention of `stats` (no table reads)
        Index("ix_reviews_learner_day", "learner_id", "day", "repetitions_before", "grade"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(10))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    repetitions_before: Mapped[int] = mapped_column(Integer)
    ef_before: Mapped[int] = mapped_column(SmallInteger)
    interval_before: Mapped[int] = mapped_column(Integer)
    due_before: Mapped[dt.date | None] = mapped_column(Date)
    extra_before: Mapped[bool] = mapped_column(Boolean)
    lapses_before: Mapped[int] = mapped_column(Integer)
    repetitions: Mapped[int] = mapped_column(Integer)
    ef: Mapped[int] = mapped_column(SmallInteger)
    interval: Mapped[int] = mapped_column(Integer)
    due: Mapped[dt.date] = mapped_column(Date)
    extra: Mapped[bool] = mapped_column(Boolean)
    lapses: Mapped[int] = mapped_column(Integer)
    capped_from: Mapped[dt.date | None] = mapped_column(Date)
    """The SM-2 due day when an exam date moved it earlier (the state keeps SM-2's interval)."""


class ExamRow(Base):
    """A learner's exam date, for one deck or (deck_id NULL) for all decks."""

    __tablename__ = "exams"
    __table_args__ = (UniqueConstraint("learner_id", "deck_id", name="uq_exams_learner_deck"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    exam_day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


decks_t = cast(Table, DeckRow.__table__)
cards_t = cast(Table, CardRow.__table__)
learners_t = cast(Table, LearnerRow.__table__)
states_t = cast(Table, CardStateRow.__table__)
reviews_t = cast(Table, ReviewRow.__table__)
exams_t = cast(Table, ExamRow.__table__)

# --------------------------------------------------------------------------
# Opening a database
# --------------------------------------------------------------------------


def database_url(target: str) -> str:
    """A SQLAlchemy URL for a `--db` value: a URL as is, a path as an SQLite file."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def describe(url: str) -> str:
    """A URL safe to print (password hidden)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return url


def _check_sqlite_file(path: Path) -> None:
    """Refuse files that are not SQLite databases, and places we cannot write."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseError(f"cannot read database {path}: {exc.strerror}") from None
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not an SQLite database; it was left untouched")
        # The mode bits count even for root, who os.access says may write anything.
        no_write_bits = not path.stat().st_mode & 0o222
        if no_write_bits or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"database {path} is read-only (srs-crss needs to write the file and its "
                "folder); nothing was changed"
            )
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create a database at {path}: {exc.strerror} ({path.parent})"
        ) from None
    if not os.access(path.parent, os.W_OK) or not path.parent.stat().st_mode & 0o222:
        raise DatabaseError(f"cannot create a database at {path}: folder is not writable")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None), so
    # we say BEGIN ourselves: IMMEDIATE for writers, plain for readers.
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("srs_write") else "BEGIN"
    conn.exec_driver_sql(mode)


def make_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite tuned for a desktop learner."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:":
        _check_sqlite_file(Path(database))
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


class WriteConflict(StorageFailure):
    """Another session wrote the same row first (e.g. two first answers to one card)."""


def _disk_problem(exc: sa_exc.DBAPIError) -> str | None:
    """A plain description of a full disk or a failed disk write, if that is what this is."""
    text = str(exc.orig).lower()
    if any(sign in text for sign in ("database or disk is full", "no space left")):
        return "the disk is full"
    if "disk i/o error" in text:
        return "the disk refused a write (full, over quota, or failing)"
    return None


def _friendly(exc: sa_exc.DBAPIError, url: str) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"{describe(url)}: {first}"


class Store:
    """A learner-aware repository over one database."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    # ---- lifecycle -------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Open (creating if needed) and bring the schema up to date.

        A database written by a newer srs-crss is refused, never modified.
        """
        try:
            engine = make_engine(url)
        except sa_exc.ArgumentError as exc:
            raise DatabaseError(f"bad database URL {url!r}: {exc}") from None
        except ModuleNotFoundError as exc:
            raise DatabaseError(
                f"the database driver for {describe(url)} is not installed ({exc.name})"
            ) from None
        store = cls(engine, url)
        try:
            store._ensure_schema(migrate)
        except sa_exc.DatabaseError as exc:
            engine.dispose()
            if "file is not a database" in str(exc.orig):
                raise DatabaseError(
                    f"{describe(url)} is not an SQLite database; it was left untouched"
                ) from None
            raise DatabaseError(f"cannot open database {_friendly(exc, url)}") from None
        except sa_exc.OperationalError as exc:
            engine.dispose()
            raise DatabaseError(f"cannot open database {_friendly(exc, url)}") from None
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def schema_version(self) -> str | None:
        """The Alembic revision stored in the database, or None if unversioned."""
        with self.engine.connect() as conn:
            return _read_version(conn)

    def _ensure_schema(self, migrate: bool) -> None:
        with self.engine.connect() as conn:
            version = _read_version(conn)
            foreign = version is None and _has_foreign_tables(conn)
        if version == SCHEMA_HEAD:
            _use_wal(self.engine)
            return
        if version is not None and version not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"{describe(self.url)} was written by a newer srs-crss "
                f"(schema {version}; this version knows up to {SCHEMA_HEAD}). "
                "Upgrade srs-crss; the database was not modified."
            )
        if foreign:
            raise DatabaseError(
                f"{describe(self.url)} holds tables that are not srs-crss's; it was left untouched"
            )
        if not migrate:
            return
        _use_wal(self.engine)
        with self.engine.connect() as conn:
            conn = conn.execution_options(srs_write=True)
            if version is None:
                _create_fresh(conn)
            else:
                from srs_crss.migrations import upgrade

                upgrade(conn)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(srs_write=True)
                with conn.begin():
                    yield conn
        except sa_exc.IntegrityError as exc:
            raise WriteConflict(f"database write conflicted: {_friendly(exc, self.url)}") from None
        except sa_exc.DBAPIError as exc:
            problem = _disk_problem(exc)
            if problem:
                raise StorageFailure(
                    f"{problem} ({describe(self.url)}): the last change was not saved; "
                    "everything saved before it is intact."
                ) from None
            raise StorageFailure(f"database write failed: {_friendly(exc, self.url)}") from None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa_exc.DBAPIError as exc:
            raise StorageFailure(f"database read failed: {_friendly(exc, self.url)}") from None

    # ---- learners and decks ------------------------------------------------

    def learner(self, name: str, now: dt.datetime) -> int:
        """The id of learner `name`, created on first use."""
        with self._read() as conn:
            found = conn.scalar(select(learners_t.c.id).where(learners_t.c.name == name))
        if found is not None:
            return int(found)
        with self._write() as conn:
            found = conn.scalar(select(learners_t.c.id).where(learners_t.c.name == name))
            if found is None:
                found = conn.scalar(
                    insert(learners_t).values(name=name, created_at=now).returning(learners_t.c.id)
                )
        assert found is not None
        return int(found)

    def has_decks(self) -> bool:
        with self._read() as conn:
            return conn.scalar(select(decks_t.c.id).limit(1)) is not None

    def deck_slugs(self) -> list[str]:
        with self._read() as conn:
            return list(conn.scalars(select(decks_t.c.slug).order_by(decks_t.c.slug)))

    def existing_decks(self, slugs: Sequence[str]) -> dict[str, model.ExistingDeck]:
        """What sync needs to plan changes for these decks."""
        result: dict[str, model.ExistingDeck] = {}
        with self._read() as conn:
            rows = conn.execute(
                select(
                    decks_t.c.id,
                    decks_t.c.slug,
                    decks_t.c.name,
                    decks_t.c.description,
                    decks_t.c.source_path,
                    decks_t.c.source_hash,
                ).where(decks_t.c.slug.in_(list(slugs)))
            ).all()
            ids = {row.id: row.slug for row in rows}
            for row in rows:
                result[row.slug] = model.ExistingDeck(
                    name=row.name,
                    description=row.description,
                    source_path=row.source_path,
                    fingerprint=row.source_hash,
                )
            if ids:
                cards = conn.execute(
                    select(
                        cards_t.c.deck_id,
                        cards_t.c.slug,
                        cards_t.c.content_hash,
                        cards_t.c.position,
                        cards_t.c.retired,
                    ).where(cards_t.c.deck_id.in_(list(ids)))
                )
                for deck_id, slug, content_hash, position, retired in cards:
                    result[ids[deck_id]].cards[slug] = model.ExistingCard(
                        content_hash=content_hash, position=position, retired=bool(retired)
                    )
        return result

    def decks_with_fingerprints(
        self, fingerprints: dict[str, str]
    ) -> dict[str, model.UnchangedDeck]:
        """Decks last synced from exactly these files (path -> fingerprint of its bytes).

        A file whose bytes match what was last applied needs no parsing: the
        database already holds exactly its content.
        """
        if not fingerprints:
            return {}
        active = (
            select(func.count())
            .where(cards_t.c.deck_id == decks_t.c.id, cards_t.c.retired.is_(False))
            .scalar_subquery()
        )
        query = select(
            decks_t.c.slug, decks_t.c.name, decks_t.c.source_path, decks_t.c.source_hash, active
        ).where(decks_t.c.source_path.in_(list(fingerprints)))
        with self._read() as conn:
            return {
                path: model.UnchangedDeck(id=slug, name=name, cards=count)
                for slug, name, path, digest, count in conn.execute(query)
                if fingerprints.get(path) == digest
            }

    def apply_sync(self, plans: Sequence[DeckPlan], now: dt.datetime) -> None:
        """Apply sync plans in one transaction: all of them or none."""
        with self._write() as conn:
            for plan in plans:
                if plan.changes_anything:
                    _apply_plan(conn, plan, now)

    def deck_summaries(self, learner_id: int, today: dt.date) -> list[model.DeckSummary]:
        """Per deck: active cards, new, due today (or overdue), retired. One grouped query."""
        active = cards_t.c.retired.is_(False)
        seen = and_(active, states_t.c.card_id.is_not(None))
        due = and_(active, states_t.c.due <= today)
        query = (
            select(
                decks_t.c.slug,
                decks_t.c.name,
                func.count(cards_t.c.id),
                func.coalesce(func.sum(case((active, 1), else_=0)), 0),
                func.coalesce(func.sum(case((seen, 1), else_=0)), 0),
                func.coalesce(func.sum(case((due, 1), else_=0)), 0),
            )
            .select_from(
                decks_t.outerjoin(cards_t, cards_t.c.deck_id == decks_t.c.id).outerjoin(
                    states_t,
                    and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
                )
            )
            .group_by(decks_t.c.id, decks_t.c.slug, decks_t.c.name)
            .order_by(decks_t.c.slug)
        )
        with self._read() as conn:
            return [
                model.DeckSummary(
                    id=slug,
                    name=name,
                    cards=int(live),
                    new=int(live) - int(seen),
                    due=int(due),
                    retired=int(every) - int(live),
                )
                for slug, name, every, live, seen, due in conn.execute(query)
            ]

    # ---- cards -------------------------------------------------------------

    def card_view(self, learner_id: int, deck: str, card: str) -> model.CardView:
        """A card with this learner's state and full history."""
        with self._read() as conn:
            row = conn.execute(
                _card_select().where(decks_t.c.slug == deck, cards_t.c.slug == card)
            ).first()
            if row is None:
                known = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
                if known is None:
                    raise NotFound(f"no deck {deck!r} (see `srs-crss decks`)")
                raise NotFound(f"no card {card!r} in deck {deck!r}")
            found = _card_from_row(row)
            state = _state_for(conn, learner_id, found.pk)
            history = conn.execute(
                select(reviews_t)
                .where(reviews_t.c.learner_id == learner_id, reviews_t.c.card_id == found.pk)
                .order_by(reviews_t.c.id)
            ).all()
        return model.CardView(
            card=found, state=state, history=tuple(_history_from_row(h) for h in history)
        )

    # ---- the review queue ---------------------------------------------------

    def due_counts(
        self, learner_id: int, today: dt.date, scope: model.Scope, limit: int | None = None
    ) -> tuple[int, int, int]:
        """The first `limit` (or all) active cards due by `today`, in queue order:
        (how many, how many await an extra review, how many failed last time).

        Without a scope or limit this reads only an index: all due states,
        less the (few) retired cards among them.
        """
        if limit is None and scope == model.Scope():
            every = self._due_kind_counts(
                select(states_t.c.extra, states_t.c.repetitions).where(
                    states_t.c.learner_id == learner_id, states_t.c.due <= today
                )
            )
            retired = self._due_kind_counts(
                select(states_t.c.extra, states_t.c.repetitions)
                .select_from(cards_t.join(states_t, states_t.c.card_id == cards_t.c.id))
                .where(
                    cards_t.c.retired.is_(True),
                    states_t.c.learner_id == learner_id,
                    states_t.c.due <= today,
                )
            )
            total, extra, relearn = (a - b for a, b in zip(every, retired, strict=True))
            return total, extra, relearn
        due = (
            select(states_t.c.extra, states_t.c.repetitions)
            .select_from(_states_cards_decks())
            .where(*_due_filters(learner_id, today, scope))
        )
        if limit is not None:
            due = due.order_by(*_due_key()).limit(limit)
        return self._due_kind_counts(due)

    def _due_kind_counts(self, due: Any) -> tuple[int, int, int]:
        sub = due.subquery()
        relearn = and_(sub.c.extra.is_(False), sub.c.repetitions == 0)
        query = select(
            func.count(),
            func.coalesce(func.sum(case((sub.c.extra.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((relearn, 1), else_=0)), 0),
        )
        with self._read() as conn:
            row = conn.execute(query).one()
        return int(row[0]), int(row[1]), int(row[2])

    def due_page(
        self,
        learner_id: int,
        today: dt.date,
        scope: model.Scope,
        after: tuple[Any, ...] | None,
        size: int,
    ) -> list[tuple[int, CardState, tuple[Any, ...]]]:
        """The next `size` due cards after the key `after`: oldest due first, then file order.

        Keyset pagination on (due, deck, position, id); each row carries its key.
        """
        key = _due_key()
        query = (
            select(states_t.c.card_id, *_STATE_COLUMNS, decks_t.c.slug, cards_t.c.position)
            .select_from(_states_cards_decks())
            .where(*_due_filters(learner_id, today, scope))
            .order_by(*key)
            .limit(size)
        )
        if after is not None:
            query = query.where(tuple_(*key) > tuple_(*after))
        with self._read() as conn:
            return [
                (row.card_id, _state_from_row(row), (row.due, row.slug, row.position, row.card_id))
                for row in conn.execute(query)
            ]

    def new_card_ids(self, learner_id: int, scope: model.Scope, limit: int) -> list[int]:
        """Active cards this learner has never reviewed, in deck-file order."""
        if limit <= 0:
            return []
        seen = select(states_t.c.card_id).where(
            states_t.c.learner_id == learner_id, states_t.c.card_id == cards_t.c.id
        )
        query = (
            select(cards_t.c.id)
            .select_from(cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id))
            .where(cards_t.c.retired.is_(False), ~seen.exists(), *_scope_filters(scope))
            .order_by(decks_t.c.slug, cards_t.c.position)
            .limit(limit)
        )
        with self._read() as conn:
            return list(conn.scalars(query))

    def cards_by_pk(self, pks: Sequence[int]) -> dict[int, model.Card]:
        """Card content for these ids."""
        if not pks:
            return {}
        with self._read() as conn:
            rows = conn.execute(_card_select().where(cards_t.c.id.in_(list(pks))))
            return {row.id: _card_from_row(row) for row in rows}

    def count_new_available(self, learner_id: int, scope: model.Scope) -> int:
        seen = select(states_t.c.card_id).where(
            states_t.c.learner_id == learner_id, states_t.c.card_id == cards_t.c.id
        )
        query = (
            select(func.count())
            .select_from(cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id))
            .where(cards_t.c.retired.is_(False), ~seen.exists(), *_scope_filters(scope))
        )
        with self._read() as conn:
            return int(conn.scalar(query) or 0)

    def new_introduced(self, learner_id: int, day: dt.date) -> int:
        """How many new cards this learner first saw on `day` (from the log)."""
        query = select(func.count()).where(
            reviews_t.c.learner_id == learner_id,
            reviews_t.c.day == day,
            reviews_t.c.kind == ReviewKind.NEW.value,
        )
        with self._read() as conn:
            return int(conn.scalar(query) or 0)

    def next_due(self, learner_id: int, after: dt.date, scope: model.Scope) -> dt.date | None:
        """The first day after `after` on which an active card falls due."""
        query = (
            select(func.min(states_t.c.due))
            .select_from(
                states_t.join(cards_t, cards_t.c.id == states_t.c.card_id).join(
                    decks_t, decks_t.c.id == cards_t.c.deck_id
                )
            )
            .where(
                states_t.c.learner_id == learner_id,
                states_t.c.due > after,
                cards_t.c.retired.is_(False),
                *_scope_filters(scope),
            )
        )
        with self._read() as conn:
            found: dt.date | None = conn.scalar(query)
        return found

    def count_due_on(self, learner_id: int, day: dt.date, scope: model.Scope) -> int:
        """Active cards due on `day` or before it."""
        query = (
            select(func.count())
            .select_from(
                states_t.join(cards_t, cards_t.c.id == states_t.c.card_id).join(
                    decks_t, decks_t.c.id == cards_t.c.deck_id
                )
            )
            .where(
                states_t.c.learner_id == learner_id,
                states_t.c.due <= day,
                cards_t.c.retired.is_(False),
                *_scope_filters(scope),
            )
        )
        with self._read() as conn:
            return int(conn.scalar(query) or 0)

    def study_days(self, learner_id: int, until: dt.date, limit: int = 3660) -> list[dt.date]:
        """Distinct days with at least one review, newest first, up to `until`."""
        query = (
            select(reviews_t.c.day)
            .where(reviews_t.c.learner_id == learner_id, reviews_t.c.day <= until)
            .group_by(reviews_t.c.day)
            .order_by(reviews_t.c.day.desc())
            .limit(limit)
        )
        with self._read() as conn:
            return list(conn.scalars(query))

    def latest_review_day(self, learner_id: int) -> dt.date | None:
        """The newest study day in this learner's log (guards against clocks going back)."""
        query = select(func.max(reviews_t.c.day)).where(reviews_t.c.learner_id == learner_id)
        with self._read() as conn:
            found: dt.date | None = conn.scalar(query)
        return found

    def review_count(self, learner_id: int, card_pk: int) -> int:
        """How many answers this learner has given to this card."""
        query = select(func.count()).where(
            reviews_t.c.learner_id == learner_id, reviews_t.c.card_id == card_pk
        )
        with self._read() as conn:
            return int(conn.scalar(query) or 0)

    def deck_exists(self, slug: str) -> bool:
        with self._read() as conn:
            return conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == slug)) is not None

    # ---- exams ------------------------------------------------------------------

    def exams(self, learner_id: int) -> dict[str | None, dt.date]:
        """This learner's exam dates: deck id -> day, None -> the all-decks exam."""
        query = (
            select(decks_t.c.slug, exams_t.c.exam_day)
            .select_from(exams_t.outerjoin(decks_t, decks_t.c.id == exams_t.c.deck_id))
            .where(exams_t.c.learner_id == learner_id)
        )
        with self._read() as conn:
            found: dict[str | None, dt.date] = {}
            for slug, day in conn.execute(query):
                found[slug] = day
        return found

    def set_exam(self, learner_id: int, deck: str | None, day: dt.date, now: dt.datetime) -> None:
        """Set (or move) the exam date for a deck, or for all decks."""
        with self._write() as conn:
            deck_id = None
            if deck is not None:
                deck_id = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
                if deck_id is None:
                    raise NotFound(f"no deck {deck!r} (see `srs-crss decks`)")
            where = (exams_t.c.learner_id == learner_id, _is(exams_t.c.deck_id, deck_id))
            if conn.scalar(select(exams_t.c.id).where(*where)) is None:
                conn.execute(
                    insert(exams_t).values(
                        learner_id=learner_id, deck_id=deck_id, exam_day=day, created_at=now
                    )
                )
            else:
                conn.execute(update(exams_t).where(*where).values(exam_day=day))

    def clear_exam(self, learner_id: int, deck: str | None) -> bool:
        """Remove an exam date; False if there was none."""
        with self._write() as conn:
            deck_id = None
            if deck is not None:
                deck_id = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
                if deck_id is None:
                    raise NotFound(f"no deck {deck!r} (see `srs-crss decks`)")
            done = conn.execute(
                delete(exams_t).where(
                    exams_t.c.learner_id == learner_id, _is(exams_t.c.deck_id, deck_id)
                )
            )
            return bool(done.rowcount)

    # ---- stats ------------------------------------------------------------------

    def stats(
        self, learner_id: int, today: dt.date, scope: model.Scope, hardest: int = 10
    ) -> model.Stats:
        """Every figure of `srs-crss stats`, aggregated in SQL in one read transaction."""
        month_ago = today - dt.timedelta(days=29)
        year_ago = today - dt.timedelta(days=7 * 52 - 1)
        horizon = today + dt.timedelta(days=29)
        active = and_(cards_t.c.retired.is_(False), *_scope_filters(scope))
        cards_decks = cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id)
        with_states = cards_decks.outerjoin(
            states_t,
            and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
        )
        # The log of every deck needs no join: 1,000,000 rows are read from an index alone.
        log: Any = reviews_t
        if scope != model.Scope():
            log = reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id).join(
                decks_t, decks_t.c.id == cards_t.c.deck_id
            )
        in_scope = and_(reviews_t.c.learner_id == learner_id, *_scope_filters(scope))
        by_domain = reviews_t.join(cards_t, cards_t.c.id == reviews_t.c.card_id).join(
            decks_t, decks_t.c.id == cards_t.c.deck_id
        )
        learned = reviews_t.c.repetitions_before >= 1
        passed = func.sum(case((reviews_t.c.grade >= 3, 1), else_=0))
        due = self.due_counts(learner_id, today, scope)[0]
        with self._read() as conn:
            reviewed, correct = conn.execute(
                select(func.count(), passed)
                .select_from(log)
                .where(in_scope, reviews_t.c.day == today)
            ).one()
            recent = conn.execute(
                select(func.count(), passed)
                .select_from(log)
                .where(in_scope, learned, reviews_t.c.day >= month_ago)
            ).one()
            ever = conn.execute(
                select(func.count(), passed).select_from(log).where(in_scope, learned)
            ).one()
            domain_cards = conn.execute(
                select(
                    cards_t.c.domain,
                    func.count(),
                    func.count(states_t.c.card_id),
                    func.sum(case((states_t.c.interval >= 21, 1), else_=0)),
                )
                .select_from(with_states)
                .where(active)
                .group_by(cards_t.c.domain)
                .order_by(cards_t.c.domain)
            ).all()
            domain_retention = {
                domain: (total, ok)
                for domain, total, ok in conn.execute(
                    select(cards_t.c.domain, func.count(), passed)
                    .select_from(by_domain)
                    .where(in_scope, learned, reviews_t.c.day >= month_ago)
                    .group_by(cards_t.c.domain)
                )
            }
            forecast: dict[dt.date, int] = {}
            for day, count in conn.execute(
                select(states_t.c.due, func.count())
                .select_from(with_states)
                .where(active, states_t.c.due > today, states_t.c.due <= horizon)
                .group_by(states_t.c.due)
            ):
                forecast[day] = int(count)
            calendar = conn.execute(
                select(reviews_t.c.day, func.count())
                .select_from(log)
                .where(in_scope, reviews_t.c.day >= year_ago, reviews_t.c.day <= today)
                .group_by(reviews_t.c.day)
                .order_by(reviews_t.c.day)
            ).all()
            # The streak comes from the year of the calendar; only a learner who
            # studied every day of it needs the older days read too.
            days = [day for day, _ in reversed(calendar)]
            if len(days) >= (today - year_ago).days:  # (today may not be studied yet)
                days += conn.scalars(
                    select(reviews_t.c.day)
                    .select_from(log)
                    .where(in_scope, reviews_t.c.day < year_ago)
                    .group_by(reviews_t.c.day)
                    .order_by(reviews_t.c.day.desc())
                ).all()
            hard = conn.execute(
                select(decks_t.c.slug, cards_t.c.slug, states_t.c.ef, states_t.c.lapses)
                .select_from(_states_cards_decks())  # driven by the ix_card_states_ef index
                .where(active, states_t.c.learner_id == learner_id)
                .order_by(states_t.c.ef, states_t.c.lapses.desc(), decks_t.c.slug, cards_t.c.slug)
                .limit(hardest)
            ).all()
        days_ahead = [today + dt.timedelta(days=n) for n in range(30)]
        return model.Stats(
            due=due,
            unseen=sum(int(cards) - int(seen) for _, cards, seen, _ in domain_cards),
            reviewed_today=int(reviewed or 0),
            correct_today=int(correct or 0),
            study_days=tuple(days),
            retention_30=_share(*recent),
            retention_all=_share(*ever),
            domains=tuple(
                model.DomainStats(
                    domain=domain or "(no domain)",
                    cards=int(cards),
                    seen=int(seen),
                    mature=int(mature or 0),
                    retention=_share(*domain_retention.get(domain, (0, 0))),
                )
                for domain, cards, seen, mature in domain_cards
            ),
            forecast=tuple(
                (day, int(due or 0) if day == today else forecast.get(day, 0)) for day in days_ahead
            ),
            calendar=tuple((day, int(count)) for day, count in calendar),
            hardest=tuple(
                (f"{deck}/{card}", int(ef), int(lapses)) for deck, card, ef, lapses in hard
            ),
        )

    # ---- export ---------------------------------------------------------------

    def export_decks(self, learner_id: int, decks: Sequence[str]) -> list[model.ExportDeck]:
        """Decks (all with active cards if `decks` is empty) with their active cards
        and this learner's state on each, for an export."""
        with self._read() as conn:
            deck_query = select(
                decks_t.c.id, decks_t.c.slug, decks_t.c.name, decks_t.c.description
            ).order_by(decks_t.c.slug)
            if decks:
                deck_query = deck_query.where(decks_t.c.slug.in_(list(decks)))
            deck_rows = conn.execute(deck_query).all()
            cards_query = (
                _card_select()
                .add_columns(cards_t.c.content_changed_at, *_STATE_COLUMNS)
                .outerjoin(
                    states_t,
                    and_(states_t.c.card_id == cards_t.c.id, states_t.c.learner_id == learner_id),
                )
                .where(
                    cards_t.c.retired.is_(False),
                    cards_t.c.deck_id.in_([row.id for row in deck_rows]),
                )
                .order_by(decks_t.c.slug, cards_t.c.position)
            )
            rows = conn.execute(cards_query).all()
        by_deck: dict[str, list[model.ExportCard]] = {}
        for row in rows:
            state = CardState() if row.due is None else _state_from_row(row)
            by_deck.setdefault(row.deck, []).append(
                model.ExportCard(
                    card=_card_from_row(row),
                    content_changed_at=row.content_changed_at,
                    state=state,
                )
            )
        return [
            model.ExportDeck(
                id=row.slug,
                name=row.name,
                description=row.description,
                cards=tuple(by_deck[row.slug]),
            )
            for row in deck_rows
            if row.slug in by_deck
        ]

    def export_history(
        self, learner_id: int, card_pks: Iterable[int]
    ) -> dict[int, list[model.ExportReview]]:
        """This learner's full log for these cards, oldest first, as plain tuples."""
        wanted = set(card_pks)
        log = (
            select(
                reviews_t.c.id,
                reviews_t.c.card_id,
                # naive UTC as stored: converted to epoch ms below, without
                # building an aware datetime for every row
                type_coerce(reviews_t.c.reviewed_at, DateTime()),
                reviews_t.c.grade,
                reviews_t.c.kind,
                reviews_t.c.repetitions_before,
                reviews_t.c.interval_before,
                reviews_t.c.interval,
                reviews_t.c.ef,
                reviews_t.c.duration_ms,
            )
            .where(reviews_t.c.learner_id == learner_id)
            # index order: no sort, no join (other cards are skipped below)
            .order_by(reviews_t.c.card_id, reviews_t.c.id)
        )
        history: dict[int, list[model.ExportReview]] = {}
        epoch, ms = dt.datetime(1970, 1, 1), dt.timedelta(milliseconds=1)
        with self._read() as conn:
            for rid, cid, at, grade, kind, n_before, i_before, i_after, ef, took in conn.execute(
                log
            ).all():
                if cid in wanted:
                    history.setdefault(cid, []).append(
                        model.ExportReview(
                            rid,
                            (at - epoch) // ms,
                            grade,
                            kind,
                            n_before,
                            i_before,
                            i_after,
                            ef,
                            took,
                        )  # fmt: skip
                    )
        return history

    def copy_revlog(
        self,
        target: Any,
        learner_id: int,
        card_ids: dict[int, int],
        button_for_grade: Sequence[int],
        type_for: dict[tuple[str, bool], int],
    ) -> int | None:
        """Copy this learner's log for these cards into an Anki revlog table, in SQL.

        `target` is the sqlite3 connection of the package being written;
        `card_ids` maps card pks to Anki card ids; `type_for` maps (kind, still
        learning: repetitions before <= 1) to Anki's revlog type. Only for an
        SQLite store (the database is attached to the package's connection,
        so 100,000s of rows never pass through Python). Returns the rows
        written, or None if this store cannot (another backend, or answers
        in the same millisecond): then the caller copies the log itself.
        """
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        buttons = " ".join(f"WHEN {g} THEN {b}" for g, b in enumerate(button_for_grade))
        types = " ".join(
            f"WHEN r.kind = '{kind}' AND (r.repetitions_before <= 1) = {int(learning)} THEN {t}"
            for (kind, learning), t in type_for.items()
            if kind.isalpha()
        )
        # reviewed_at is stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): whole
        # seconds from strftime, milliseconds from the text.
        # reviewed_at is stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): whole
        # seconds from SQLite's date functions, milliseconds from the text.
        seconds = (
            "unixepoch(r.reviewed_at)"
            if sqlite3.sqlite_version_info >= (3, 38)
            else "CAST(strftime('%s', r.reviewed_at) AS INTEGER)"
        )
        ms = f"({seconds} * 1000 + CAST(substr(r.reviewed_at, 21, 3) AS INTEGER))"
        rows = (
            f"SELECT {ms}, m.cid, -1, CASE r.grade {buttons} END, r.interval, r.interval_before,"
            " r.ef * 10, MIN(COALESCE(r.duration_ms, 0), 60000), CASE {types} ELSE 1 END "
            "FROM srs.reviews AS r JOIN temp.srs_cards AS m ON m.pk = r.card_id "
            "WHERE r.learner_id = ? ORDER BY 1, r.id"  # by time: appends to the id B-tree
        ).replace("{types}", types)
        columns = "(id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        target.commit()
        target.execute("ATTACH DATABASE ? AS srs", (database,))
        try:
            target.execute("CREATE TEMP TABLE srs_cards (pk INTEGER PRIMARY KEY, cid INTEGER)")
            target.executemany("INSERT INTO temp.srs_cards VALUES (?, ?)", card_ids.items())
            # Indexes are rebuilt once at the end rather than kept up row by row.
            indexes = target.execute(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'revlog' AND sql IS NOT NULL"
            ).fetchall()
            for name, _ in indexes:
                target.execute(f'DROP INDEX main."{name}"')
            # Anki's revlog id is the answer time in ms and must be unique: two
            # answers in one millisecond (never seen in real use) leave the SQL
            # path and go row by row through the caller.
            written = target.execute(
                f"INSERT OR IGNORE INTO main.revlog {columns} {rows}", (learner_id,)
            ).rowcount
            expected = target.execute(
                "SELECT count(*) FROM srs.reviews AS r JOIN temp.srs_cards AS m"
                " ON m.pk = r.card_id WHERE r.learner_id = ?",
                (learner_id,),
            ).fetchone()[0]
            if written != expected:
                target.execute("DELETE FROM main.revlog")
            for _, sql in indexes:
                target.execute(sql)
            target.execute("DROP TABLE temp.srs_cards")
            target.commit()
        finally:
            target.execute("DETACH DATABASE srs")
        return int(written) if written == expected else None

    # ---- reviews -----------------------------------------------------------

    def apply_review(
        self,
        learner_id: int,
        card_pk: int,
        decide: Callable[[CardState], Review],
        reviewed_at: dt.datetime,
        duration_ms: int | None,
    ) -> tuple[int, Review]:
        """Read the card's current state, apply `decide`, write state and log.

        All in one write transaction, so an answer is never applied to stale
        state and state and log always agree. Returns the log row id. SQLite
        serialises writers (BEGIN IMMEDIATE); on a server the state row is
        locked (SELECT ... FOR UPDATE), and two first answers to the same new
        card racing to insert its state are settled by retrying the loser.
        """
        for attempt in range(3):
            try:
                return self._apply_review(learner_id, card_pk, decide, reviewed_at, duration_ms)
            except WriteConflict:
                if attempt == 2 or self.engine.dialect.name == "sqlite":
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _apply_review(
        self,
        learner_id: int,
        card_pk: int,
        decide: Callable[[CardState], Review],
        reviewed_at: dt.datetime,
        duration_ms: int | None,
    ) -> tuple[int, Review]:
        with self._write() as conn:
            before = _state_for(conn, learner_id, card_pk, lock=True)
            outcome = decide(before)
            after = outcome.after
            assert after.due is not None
            review_id = conn.scalar(
                insert(reviews_t)
                .values(
                    learner_id=learner_id,
                    card_id=card_pk,
                    reviewed_at=reviewed_at,
                    day=outcome.day,
                    grade=int(outcome.grade),
                    kind=outcome.kind.value,
                    duration_ms=duration_ms,
                    capped_from=outcome.capped_from,
                    **_state_columns(before, "_before"),
                    **_state_columns(after, ""),
                )
                .returning(reviews_t.c.id)
            )
            assert review_id is not None
            values = {**_state_columns(after, ""), "last_review_id": review_id}
            if before.is_new:
                conn.execute(
                    insert(states_t).values(learner_id=learner_id, card_id=card_pk, **values)
                )
            else:
                conn.execute(
                    update(states_t)
                    .where(states_t.c.learner_id == learner_id, states_t.c.card_id == card_pk)
                    .values(**values)
                )
        return int(review_id), outcome

    def load_history(
        self,
        learner_id: int,
        histories: Iterable[tuple[int, Sequence[tuple[dt.datetime, Review, int | None]]]],
        batch: int = 20_000,
    ) -> int:
        """Bulk-load review histories for cards this learner has never reviewed.

        Each item is (card pk, [(reviewed_at, review, duration_ms), ...]) in
        order; the card's state becomes the last review's `after`. One
        transaction per batch of log rows. Returns the number of rows written.
        Used to build large databases (benchmarks) without one transaction per
        answer.
        """
        written = 0
        log_rows: list[dict[str, Any]] = []
        state_rows: list[dict[str, Any]] = []

        def flush() -> None:
            if not log_rows:
                return
            with self._write() as conn:
                conn.execute(insert(reviews_t), log_rows)
                conn.execute(insert(states_t), state_rows)
            log_rows.clear()
            state_rows.clear()

        for card_pk, reviews in histories:
            if not reviews:
                continue
            for reviewed_at, outcome, duration in reviews:
                log_rows.append(
                    {
                        "learner_id": learner_id,
                        "card_id": card_pk,
                        "reviewed_at": reviewed_at,
                        "day": outcome.day,
                        "grade": int(outcome.grade),
                        "kind": outcome.kind.value,
                        "duration_ms": duration,
                        **_state_columns(outcome.before, "_before"),
                        **_state_columns(outcome.after, ""),
                    }
                )
            state_rows.append(
                {
                    "learner_id": learner_id,
                    "card_id": card_pk,
                    **_state_columns(reviews[-1][1].after, ""),
                    "last_review_id": 0,
                }
            )
            written += len(reviews)
            if len(log_rows) >= batch:
                flush()
        flush()
        with self._write() as conn:  # point states at their newest log row
            newest = (
                select(func.max(reviews_t.c.id))
                .where(
                    reviews_t.c.learner_id == states_t.c.learner_id,
                    reviews_t.c.card_id == states_t.c.card_id,
                )
                .scalar_subquery()
            )
            conn.execute(
                update(states_t)
                .where(states_t.c.learner_id == learner_id, states_t.c.last_review_id == 0)
                .values(last_review_id=newest)
            )
        return written

    def undo_review(self, learner_id: int, review_id: int) -> int:
        """Remove log row `review_id` and restore the state before it.

        Only the newest answer of a card can be undone. Returns the card's pk.
        """
        with self._write() as conn:
            row = conn.execute(
                select(reviews_t).where(
                    reviews_t.c.id == review_id, reviews_t.c.learner_id == learner_id
                )
            ).first()
            if row is None:
                raise NotFound("that answer is no longer in the review log")
            newest = conn.scalar(
                select(func.max(reviews_t.c.id)).where(
                    reviews_t.c.learner_id == learner_id, reviews_t.c.card_id == row.card_id
                )
            )
            if newest != review_id:
                raise StorageFailure("only a card's most recent answer can be undone")
            where = (states_t.c.learner_id == learner_id, states_t.c.card_id == row.card_id)
            if row.due_before is None:
                conn.execute(delete(states_t).where(*where))
            else:
                previous = conn.scalar(
                    select(func.max(reviews_t.c.id)).where(
                        reviews_t.c.learner_id == learner_id,
                        reviews_t.c.card_id == row.card_id,
                        reviews_t.c.id < review_id,
                    )
                )
                conn.execute(
                    update(states_t)
                    .where(*where)
                    .values(
                        repetitions=row.repetitions_before,
                        ef=row.ef_before,
                        interval=row.interval_before,
                        due=row.due_before,
                        extra=row.extra_before,
                        lapses=row.lapses_before,
                        last_review_id=previous or 0,
                    )
                )
            conn.execute(delete(reviews_t).where(reviews_t.c.id == review_id))
            return int(row.card_id)


# --------------------------------------------------------------------------
# Helpers (module level so they stay out of the Store's public surface)
# --------------------------------------------------------------------------


def _read_version(conn: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    version = conn.scalar(select(func.max(_version_column())))
    return None if version is None else str(version)


def _version_column() -> Any:
    return _alembic_version.c.version_num


_alembic_version = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), primary_key=True),
)


def _create_fresh(conn: Connection) -> None:
    """Create the current schema on an empty database and stamp it with the head.

    What Alembic's docs advise for new databases (create_all, then stamp): it
    avoids importing Alembic and replaying history. A test checks that the
    migrations build exactly the same schema.
    """
    with conn.begin():
        if _read_version(conn) is not None:  # another process got there first
            return
        Base.metadata.create_all(conn)
        _alembic_version.create(conn)
        conn.execute(insert(_alembic_version).values(version_num=SCHEMA_HEAD))


def _use_wal(engine: Engine) -> None:
    """Switch an srs-crss SQLite file to WAL (persistent; only ever done to our own files).

    Done on the driver connection: the mode cannot change inside a transaction.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    finally:
        raw.close()


def _has_foreign_tables(conn: Connection) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(conn).get_table_names())


def _state_columns(state: CardState, suffix: str) -> dict[str, Any]:
    return {
        f"repetitions{suffix}": state.repetitions,
        f"ef{suffix}": state.ef,
        f"interval{suffix}": state.interval,
        f"due{suffix}": state.due,
        f"extra{suffix}": state.extra,
        f"lapses{suffix}": state.lapses,
    }


_STATE_COLUMNS = (
    states_t.c.repetitions,
    states_t.c.ef,
    states_t.c.interval,
    states_t.c.due,
    states_t.c.extra,
    states_t.c.lapses,
)


def _state_from_row(row: Any) -> CardState:
    return CardState(
        repetitions=row.repetitions,
        ef=row.ef,
        interval=row.interval,
        due=row.due,
        extra=bool(row.extra),
        lapses=row.lapses,
    )


def _states_cards_decks() -> Any:
    return states_t.join(cards_t, cards_t.c.id == states_t.c.card_id).join(
        decks_t, decks_t.c.id == cards_t.c.deck_id
    )


def _due_key() -> tuple[Any, ...]:
    """Queue order of due cards: oldest due first, then deck and file order."""
    return (states_t.c.due, decks_t.c.slug, cards_t.c.position, cards_t.c.id)


def _due_filters(learner_id: int, today: dt.date, scope: model.Scope) -> list[Any]:
    return [
        states_t.c.learner_id == learner_id,
        states_t.c.due <= today,
        cards_t.c.retired.is_(False),
        *_scope_filters(scope),
    ]


def _scope_filters(scope: model.Scope) -> list[Any]:
    """WHERE clauses for --deck / --tag / --domain (cards joined with decks)."""
    filters: list[Any] = []
    if scope.decks:
        filters.append(decks_t.c.slug.in_(list(scope.decks)))
    if scope.tag:
        # tags are slugs stored as a JSON list: '"tag"' with its quotes is exact.
        filters.append(cards_t.c.tags.like(f'%"{scope.tag}"%'))
    if scope.domain:
        filters.append(func.lower(cards_t.c.domain) == scope.domain.lower())
    return filters


def _state_for(conn: Connection, learner_id: int, card_pk: int, lock: bool = False) -> CardState:
    query = select(*_STATE_COLUMNS).where(
        states_t.c.learner_id == learner_id, states_t.c.card_id == card_pk
    )
    if lock:
        query = query.with_for_update()  # a row lock on servers; SQLite ignores it
    row = conn.execute(query).first()
    return CardState() if row is None else _state_from_row(row)


def _card_select() -> Any:
    return select(
        cards_t.c.id,
        decks_t.c.slug.label("deck"),
        decks_t.c.name.label("deck_name"),
        cards_t.c.slug,
        cards_t.c.type,
        cards_t.c.front,
        cards_t.c.back,
        cards_t.c.choices,
        cards_t.c.answer,
        cards_t.c.explanation,
        cards_t.c.domain,
        cards_t.c.tags,
        cards_t.c.source,
        cards_t.c.position,
        cards_t.c.retired,
    ).select_from(cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id))


def _card_from_row(row: Any) -> model.Card:
    """A Card from the first columns of a `_card_select()` row (by position: exports read many)."""
    (pk, deck, deck_name, slug, kind, front, back, choices, answer, explanation, domain, tags,
     source, position, retired) = row[:15]  # fmt: skip
    return model.Card(
        pk=pk,
        deck=deck,
        deck_name=deck_name,
        id=slug,
        type=kind,
        front=front,
        back=back,
        choices=_json_tuple(choices),
        answer=answer,
        explanation=explanation,
        domain=domain,
        tags=_json_tuple(tags),
        source=source,
        position=position,
        retired=bool(retired),
    )


def _share(total: int | None, passed: int | None) -> float | None:
    """passed / total, or None when there is nothing to divide."""
    return (passed or 0) / total if total else None


def _is(column: Any, value: Any) -> Any:
    """column = value, or IS NULL for None (SQL's = never matches NULL)."""
    return column.is_(None) if value is None else column == value


def _json_tuple(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))


def _history_from_row(row: Any) -> model.HistoryEntry:
    return model.HistoryEntry(
        id=row.id,
        reviewed_at=row.reviewed_at,
        day=row.day,
        grade=Grade(row.grade),
        kind=ReviewKind(row.kind),
        before=CardState(
            repetitions=row.repetitions_before,
            ef=row.ef_before,
            interval=row.interval_before,
            due=row.due_before,
            extra=bool(row.extra_before),
            lapses=row.lapses_before,
        ),
        after=CardState(
            repetitions=row.repetitions,
            ef=row.ef,
            interval=row.interval,
            due=row.due,
            extra=bool(row.extra),
            lapses=row.lapses,
        ),
        duration_ms=row.duration_ms,
        capped_from=row.capped_from,
    )


def _apply_plan(conn: Connection, plan: DeckPlan, now: dt.datetime) -> None:
    spec = plan.spec
    deck_values = {
        "name": spec.name,
        "description": spec.description,
        "source_path": str(spec.path.resolve()),
        "source_hash": spec.fingerprint,
        "synced_at": now,
    }
    if plan.new_deck:
        deck_id = conn.scalar(
            insert(decks_t).values(slug=spec.id, **deck_values).returning(decks_t.c.id)
        )
    else:
        deck_id = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == spec.id))
        conn.execute(update(decks_t).where(decks_t.c.id == deck_id).values(**deck_values))
    assert deck_id is not None
    if plan.added:
        # The timestamps are the deck's synced_at (just written as `now`): taken
        # from the deck row in SQL rather than converted again for every row.
        stamp = select(decks_t.c.synced_at).where(decks_t.c.id == deck_id).scalar_subquery()
        conn.execute(
            insert(cards_t).values(
                deck_id=deck_id, retired=false(), created_at=stamp, content_changed_at=stamp
            ),
            [
                {"slug": card.id, "position": position, **card.columns()}
                for position, card in plan.added
            ],
        )
    where_card = and_(cards_t.c.deck_id == deck_id, cards_t.c.slug == bindparam("b_slug"))
    if plan.updated:
        conn.execute(
            update(cards_t)
            .where(where_card)
            .values(
                {name: bindparam(f"b_{name}") for name in (*_CONTENT_COLUMNS, "position")}
                | {"content_changed_at": now}
            ),
            [
                {"b_slug": card.id, "b_position": position}
                | {f"b_{k}": v for k, v in card.columns().items()}
                for position, card in plan.updated
            ],
        )
    if plan.moved:
        conn.execute(
            update(cards_t).where(where_card).values(position=bindparam("b_position")),
            [{"b_slug": slug, "b_position": position} for position, slug in plan.moved],
        )
    if plan.restored:
        conn.execute(
            update(cards_t)
            .where(cards_t.c.deck_id == deck_id, cards_t.c.slug.in_(plan.restored))
            .values(retired=False)
        )
    if plan.retired:
        conn.execute(
            update(cards_t)
            .where(cards_t.c.deck_id == deck_id, cards_t.c.slug.in_(plan.retired))
            .values(retired=True)
        )


_CONTENT_COLUMNS = (
    "type", "front", "back", "choices", "answer", "explanation", "domain", "tags", "source",
    "content_hash",
)  # fmt: skip
