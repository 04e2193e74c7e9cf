"""Opening a database: where it is, the engine, the schema version, transactions.

The `--db` value is resolved here and only here (`Location.of`): a path is an
SQLite file, anything with "://" is a SQLAlchemy URL. SQLite is tuned for a
desktop learner: WAL, foreign keys on, a busy timeout, and write
transactions that take the write lock up front (BEGIN IMMEDIATE) so two
processes never deadlock on a lock upgrade. Driver errors become the
project's errors (srs_crss.errors) with a plain message.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, inspect, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from srs_crss.errors import DatabaseError, StorageFailure
from srs_crss.storage import rowsecurity
from srs_crss.storage.checkpoint import Checkpointer
from srs_crss.storage.schema import KNOWN_REVISIONS, SCHEMA_HEAD, alembic_version_t, metadata
from srs_crss.untrusted.files import not_regular
from srs_crss.untrusted.text import hide_password

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000


class Location(NamedTuple):
    """Where a database lives: its SQLAlchemy URL and, for an SQLite file, its path."""

    url: str
    path: Path | None = None
    """The SQLite file (None for a server or an in-memory database)."""

    @classmethod
    def of(cls, target: str) -> Location:
        """Resolve a `--db` value: a URL as is, a path as an SQLite file.

        Mistakes are plain errors that never show a password: a blank value, a home
        folder that does not exist (~nouser/x.db), a URL that does not parse or has a
        port that is not a number or out of range, and a path that is a pipe, a device or a folder
        (SQLite would wait on a pipe for ever).
        """
        if not target.strip():
            raise DatabaseError(
                "the database is blank: give a file path or a URL with --db (or SRS_CRSS_DB)"
            )
        if "://" not in target:
            try:
                path = Path(target).expanduser().resolve()
            except RuntimeError:  # "~name" where there is no such user
                raise DatabaseError(
                    f"cannot use --db {target!r}: no home folder for {target.split('/')[0]!r}"
                ) from None
            return cls(url=f"sqlite:///{path}", path=_regular_or_new(path))
        try:
            parsed = make_url(target)
            if parsed.port is not None and not 0 < parsed.port < 65536:  # (not a number: here)
                raise ValueError("port out of range")
        except (sa_exc.ArgumentError, ValueError):
            raise DatabaseError(
                f"bad database URL {hide_password(target)!r}: expected "
                "DIALECT://USER:PASSWORD@HOST:PORT/NAME, e.g. postgresql://srs@localhost/srs"
            ) from None
        database = parsed.database or ""
        if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
            return cls(url=target, path=_regular_or_new(Path(database)))
        return cls(url=target)

    def display(self) -> str:
        """The URL safe to print (password hidden)."""
        try:
            return hide_password(make_url(self.url).render_as_string(hide_password=True))
        except (sa_exc.ArgumentError, ValueError):
            return hide_password(self.url)


def _regular_or_new(path: Path) -> Path:
    """`path` if it is a file or not there yet; a pipe, a device or a folder is refused."""
    kind = not_regular(path)
    if kind is not None:
        raise DatabaseError(f"{path} is {kind}, not a database file")
    return path


class WriteConflict(StorageFailure):
    """Another session wrote the same row first (e.g. two first answers to one card)."""


class Database:
    """An engine over one database, with read and write transactions."""

    def __init__(self, engine: Engine, location: Location) -> None:
        self.engine = engine
        self._writer = engine.execution_options(srs_write=True)  # once, not per transaction
        self.location = location
        self.created = False
        """Whether opening it created the schema (a new, empty database)."""
        self.checkpointer = (
            Checkpointer(engine, location.path) if location.path is not None else None
        )
        """Copies an SQLite log into the file off the answer's path (storage/checkpoint.py)."""
        self.row_security = False
        """A PostgreSQL database set up by `cohort setup-db`: every transaction says who
        is acting (storage/rowsecurity.py), or it sees no learner's rows."""
        self._file: tuple[int, int] | None = None
        """The SQLite file's (device, inode) while open here (see _OPEN_HERE)."""
        self.acting: rowsecurity.Acting | None = None
        """Whom this store's transactions act for (a server keeps one store per learner)."""
        self.shared = False  # over another Database's engine (Store.sibling): close leaves it

    @classmethod
    def open(cls, location: Location, *, migrate: bool = True) -> Database:
        """Open (creating if needed) and bring the schema up to date.

        A database written by a newer srs-crss, or one that is not srs-crss's,
        is refused and never modified.
        """
        try:
            engine = _make_engine(location)
        except sa_exc.NoSuchModuleError:
            kind = location.url.partition("://")[0]
            raise DatabaseError(
                f"unknown kind of database {kind!r} in {location.display()!r}: use a file "
                "path, sqlite:///FILE or postgresql://USER@HOST/NAME"
            ) from None
        except (sa_exc.ArgumentError, ValueError):
            raise DatabaseError(f"bad database URL {location.display()!r}") from None
        except ModuleNotFoundError as exc:
            raise DatabaseError(
                f"the database driver for {location.display()} is not installed ({exc.name})"
            ) from None
        database = cls(engine, location)
        try:
            database._ensure_schema(migrate)
        except sa_exc.DatabaseError as exc:
            engine.dispose()
            if "file is not a database" in str(exc.orig):
                raise DatabaseError(
                    f"{location.display()} is not an SQLite database; it was left untouched"
                ) from None
            refused = not any(
                sign in str(exc.orig) for sign in ("authentication failed", "does not exist")
            )
            if location.path is None and isinstance(exc, sa_exc.OperationalError) and refused:
                # a server that refuses or does not answer: a failure at run time (exit 1),
                # not a bad --db (the same command works once the server is back)
                raise StorageFailure(
                    f"cannot reach the database server {database.friendly(exc)}"
                ) from None
            raise DatabaseError(f"cannot open database {database.friendly(exc)}") from None
        except BaseException:
            engine.dispose()
            raise
        database._file = _file_key(location.path) if location.path is not None else None
        if database._file is not None:
            _OPEN_HERE[database._file] += 1
        return database

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if self.checkpointer is not None and not self.shared:
            self.checkpointer.close()
        if not self.shared:
            self.engine.dispose()
        if self._file is not None:
            _OPEN_HERE[self._file] -= 1
            if _OPEN_HERE[self._file] <= 0:
                del _OPEN_HERE[self._file]
            self._file = None

    def schema_version(self) -> str | None:
        """The Alembic revision stored in the database, or None if unversioned."""
        with self.engine.connect() as conn:
            return _read_version(conn)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (the SQLite write lock taken at once); errors made plain."""
        try:
            with self._writer.connect() as conn, conn.begin():
                if self.row_security:
                    rowsecurity.begin(conn, self.acting)
                yield conn
            if self.checkpointer is not None:
                self.checkpointer.after_commit()
        except sa_exc.DBAPIError as exc:
            raise self.write_failure(exc) from None

    def write_failure(self, exc: sa_exc.DBAPIError) -> StorageFailure:
        """A driver error in a write transaction as the plain error to raise."""
        if isinstance(exc, sa_exc.IntegrityError):
            return WriteConflict(f"database write conflicted: {self.friendly(exc)}")
        problem = disk_problem(exc)
        if problem:
            return StorageFailure(
                f"{problem} ({self.location.display()}): the last change was not saved; "
                "everything saved before it is intact."
            )
        return StorageFailure(f"database write failed: {self.friendly(exc)}")

    @contextmanager
    def write_as(self, learner_id: int) -> Iterator[Connection]:
        """A write transaction that holds this learner's write lock until it ends.

        Whatever reads a learner's log or states to decide what to write (an
        import's merge, an answer) takes it, so two of them never decide from
        the same stale read: SQLite has one writer at a time anyway (BEGIN
        IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock keyed
        by the learner, released by the commit or the rollback.
        """
        with self.write() as conn:
            lock_learner(conn, learner_id)
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot."""
        try:
            with self.engine.connect() as conn, conn.begin():
                if self.row_security:
                    rowsecurity.begin(conn, self.acting)
                yield conn
        except sa_exc.DBAPIError as exc:
            raise StorageFailure(f"database read failed: {self.friendly(exc)}") from None

    def friendly(self, exc: sa_exc.DBAPIError) -> str:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        return f"{self.location.display()}: {first}"

    def _ensure_schema(self, migrate: bool) -> None:
        with self.engine.connect() as conn:
            version = _read_version(conn)
            foreign = version is None and bool(inspect(conn).get_table_names())
            if version is not None and self.dialect == "postgresql":
                self.row_security = rowsecurity.is_enforced(conn)
        if version == SCHEMA_HEAD:
            _use_wal(self.engine)
            return
        if version is not None and version not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"{self.location.display()} was written by a newer srs-crss "
                f"(schema {version}; this version knows up to {SCHEMA_HEAD}). "
                "Upgrade srs-crss; the database was not modified."
            )
        if foreign:
            raise DatabaseError(
                f"{self.location.display()} holds tables that are not srs-crss's; "
                "it was left untouched"
            )
        if not migrate:
            return
        _use_wal(self.engine)
        with self.engine.connect() as conn:
            conn = conn.execution_options(srs_write=True)
            if version is None:
                self.created = _create_fresh(conn)
            else:
                # Alembic is slow to import: only a database behind the head pays for it.
                from srs_crss.storage.migrations import upgrade

                upgrade(conn)


LEARNER_LOCK_SPACE = 0x5352_5331
"""The first key of srs-crss's PostgreSQL advisory locks ("SRS1"); the learner id is the second."""


def lock_learner(conn: Connection, learner_id: int) -> None:
    """Wait for, then hold until the transaction ends, this learner's write lock (see
    `Database.write_as`); a no-op on SQLite, whose write transactions hold the file's."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(LEARNER_LOCK_SPACE, learner_id)))


def disk_problem(exc: sa_exc.DBAPIError) -> str | None:
    """A plain description of a full disk or a failed disk write, if that is what this is."""
    text = str(exc.orig).lower()
    if any(sign in text for sign in ("database or disk is full", "no space left")):
        return "the disk is full"
    if "disk i/o error" in text:
        return "the disk refused a write (full, over quota, or failing)"
    return None


_OPEN_HERE: Counter[tuple[int, int]] = Counter()
"""SQLite files this process has open, by (device, inode). Python's own open() must not
touch them again: closing any descriptor of a file drops every POSIX lock the process
holds on it, SQLite's included, so another process could then take the file for its
own, checkpoint and delete the write-ahead log under a connection still writing to it,
and that connection's later commits would be lost (two stores over one file in one
process, as a server keeps, met this)."""


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _check_sqlite_file(path: Path) -> None:
    """Refuse files that are not SQLite databases, and places we cannot write."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if path.exists():
        if _file_key(path) not in _OPEN_HERE:  # (one already open here was checked then)
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
        # FULL: every committed answer is on disk before the next card shows, so a
        # power cut or an OS crash cannot take back an answer confirmed on screen
        # (NORMAL in WAL mode only survives the program being killed).
        cursor.execute("PRAGMA synchronous = FULL")
        # Checkpoints run in a background thread instead (storage/checkpoint.py).
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None), so
    # we say BEGIN ourselves: IMMEDIATE for writers, plain for readers.
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("srs_write") else "BEGIN"
    conn.exec_driver_sql(mode)


def _make_engine(location: Location) -> Engine:
    """An engine for `location`, with SQLite tuned for a desktop learner."""
    if not location.url.startswith("sqlite"):
        return create_engine(location.url, pool_pre_ping=True)
    if location.path is not None:
        _check_sqlite_file(location.path)
    engine = create_engine(
        location.url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _read_version(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    version = conn.scalar(select(func.max(alembic_version_t.c.version_num)))
    return None if version is None else str(version)


def _create_fresh(conn: Connection) -> bool:
    """Create the current schema on an empty database and stamp it with the head.

    What Alembic's docs advise for new databases (create_all, then stamp): it
    avoids importing Alembic and replaying history. A test checks that the
    migrations build exactly the same schema.
    """
    with conn.begin():
        if _read_version(conn) is not None:  # another process got there first
            return False
        metadata.create_all(conn)
        alembic_version_t.create(conn)
        conn.execute(insert(alembic_version_t).values(version_num=SCHEMA_HEAD))
    return True


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
