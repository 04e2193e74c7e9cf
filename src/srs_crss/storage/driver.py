"""An answer's write transaction, and a session's content batches, on the pool's DBAPI
connection (issue 30).

Through SQLAlchemy a write transaction costs about 90 µs before its first statement
(the `Connection`, its `begin`, events, the execution context of each statement); on
the driver it costs what the driver does. `write_as` keeps everything
`Database.write_as` promises: the connection comes from the engine's pool (pinged
there on a server; on SQLite one is kept between transactions, `_KEPT`), SQLite's
write lock is taken up front (BEGIN IMMEDIATE), a server transaction first says whom
it acts for (row security's SET LOCAL, the same statement as `rowsecurity.begin`) and
takes the learner's advisory lock; the commit is one durable commit (the connection's
`synchronous = FULL`), anything raised rolls back, and a driver error becomes the same
plain error (`Database.write_failure`) after SQLAlchemy's own mapping of driver
errors. The statements are `Prepared` ones, rendered once per dialect by SQLAlchemy:
the database receives what `execute` sends.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, event, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect

from srs_crss.errors import StorageFailure
from srs_crss.storage import rowsecurity
from srs_crss.storage.engine import LEARNER_LOCK_SPACE, Database
from srs_crss.storage.prepared import Prepared

_SET_ACTING = Prepared(rowsecurity.SET_ACTING)
_LOCK_LEARNER = Prepared(
    select(func.pg_advisory_xact_lock(bindparam("space"), bindparam("learner")).label("held"))
)


class DriverWrite:
    """One write transaction's DBAPI cursor, running `Prepared` statements."""

    __slots__ = ("cursor", "dialect")

    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self.cursor = cursor
        self.dialect = dialect

    def run(self, statement: Prepared, values: Mapping[str, Any]) -> Any:
        """Run an INSERT or UPDATE: the cursor (`rowcount`, `fetchone()` of RETURNING)."""
        return statement.run(self.cursor, self.dialect, values)

    def first(self, statement: Prepared, values: Mapping[str, Any]) -> Any:
        """A SELECT's first row (its columns by name), or None."""
        return statement.read(self.cursor, self.dialect, values)

    def all(self, statement: Prepared, values: Mapping[str, Any]) -> list[Any]:
        """A SELECT's rows (their columns by name)."""
        return statement.read_all(self.cursor, self.dialect, values)


IN_BATCH = 16
"""Values a `Prepared` IN list takes (`in_list`, `in_values`): it is rendered once."""


def in_list(column: Any) -> Any:
    """`column IN (:in_0, ... :in_15)`, a condition a `Prepared` statement can hold."""
    return column.in_([bindparam(f"in_{n}") for n in range(IN_BATCH)])


def in_values(values: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """The values of `in_list`, IN_BATCH at a time (the last batch repeats its last)."""
    for start in range(0, len(values), IN_BATCH):
        batch = list(values[start : start + IN_BATCH])
        batch += batch[-1:] * (IN_BATCH - len(batch))
        yield {f"in_{n}": value for n, value in enumerate(batch)}


def write_as(db: Database, learner_id: int) -> _Transaction:
    """`db.write_as(learner_id)` on the driver: see the module's docstring."""
    return _Transaction(db, learner_id)


def read(db: Database) -> _Transaction:
    """`db.read()` on the driver: one snapshot (a plain BEGIN on SQLite), row security's
    acting learner said first on a server; a driver error is the same plain error."""
    return _Transaction(db, None)


class _Transaction:
    """A write holding `learner_id`'s lock, or (None) a read: a context manager written
    out (not a generator's), as an answer enters and leaves one per answer."""

    __slots__ = ("db", "learner_id", "raw", "cursor")

    def __init__(self, db: Database, learner_id: int | None) -> None:
        self.db = db
        self.learner_id = learner_id
        self.raw: Any = None
        self.cursor: Any = None

    def __enter__(self) -> DriverWrite:
        db, learner_id = self.db, self.learner_id
        dialect = db.engine.dialect
        try:
            self.raw = _connect(db)
        except sa_exc.DBAPIError as exc:
            raise _failure(db, exc, learner_id) from None
        try:
            self.cursor = self.raw.cursor()
            write = DriverWrite(self.cursor, dialect)
            if dialect.name == "sqlite":
                self.cursor.execute("BEGIN" if learner_id is None else "BEGIN IMMEDIATE")
            if db.row_security:
                write.run(_SET_ACTING, rowsecurity.acting_values(db.acting))
            if dialect.name == "postgresql" and learner_id is not None:
                write.run(_LOCK_LEARNER, {"space": LEARNER_LOCK_SPACE, "learner": learner_id})
        except BaseException as exc:
            plain = self._abandon(exc)
            if plain is not None:
                raise plain from None
            raise
        return write

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        if exc is None:
            try:
                self.raw.commit()
            except BaseException as error:
                plain = self._abandon(error)
                if plain is not None:
                    raise plain from None
                raise
            self._close(keep=True)
            if self.learner_id is not None and self.db.checkpointer is not None:
                self.db.checkpointer.after_commit()
            return
        plain = self._abandon(exc)
        if plain is not None:
            raise plain from None

    def _abandon(self, exc: BaseException) -> StorageFailure | None:
        """Roll back and close after `exc`: the plain error to raise if it (or the rollback)
        was the driver's, None to let `exc` go on."""
        dialect = self.db.engine.dialect
        try:
            try:
                self.raw.rollback()
            except dialect.loaded_dbapi.Error as failed:
                exc = failed
            if not isinstance(exc, dialect.loaded_dbapi.Error):
                return None
            gone = dialect.is_disconnect(exc, self.raw.dbapi_connection, self.cursor)
            if gone:
                self.raw.invalidate(exc)
            mapped = sa_exc.DBAPIError.instance(
                None, None, exc, dialect.loaded_dbapi.Error,
                connection_invalidated=gone, dialect=dialect,
            )  # fmt: skip
            assert isinstance(mapped, sa_exc.DBAPIError)  # (the driver's own errors are)
            return _failure(self.db, mapped, self.learner_id)
        finally:
            self._close(keep=False)

    def _close(self, keep: bool) -> None:
        if self.cursor is not None:
            try:
                self.cursor.close()
            except self.db.engine.dialect.loaded_dbapi.Error:
                pass
        _release(self.db, self.raw, keep)


_KEPT: weakref.WeakKeyDictionary[Engine, list[Any]] = weakref.WeakKeyDictionary()
"""An SQLite engine's pool connection kept checked out between driver transactions: taking
one from the pool and giving it back (its events, its queue's lock, its reset) cost about
30 µs an answer. Kept only after a commit (the connection idle, no transaction open), at
most one at a time (another thread's is given back), closed when the engine is disposed
(`Database.close`: the last connection's close still checkpoints the log). Not on a
server, whose pool pings a connection each time it hands it out."""


def _connect(db: Database) -> Any:
    kept = _KEPT.get(db.engine)
    if kept:
        try:
            return kept.pop()
        except IndexError:  # another thread took it
            pass
    return db.engine.raw_connection()


def _release(db: Database, raw: Any, keep: bool) -> None:
    engine = db.engine
    if keep and engine.dialect.name == "sqlite":
        with _KEEPING:  # threads of a server: one kept, one listener
            kept = _KEPT.get(engine)
            if kept is None:
                kept = _KEPT[engine] = []
                event.listen(engine, "engine_disposed", _close_kept)
            if not kept:
                kept.append(raw)
                return
    raw.close()


_KEEPING = threading.Lock()


def _close_kept(engine: Engine) -> None:
    """Close the kept connection for good (out of the disposed pool, which keeps no more)."""
    kept = _KEPT.get(engine, [])
    while kept:
        raw = kept.pop()
        raw.detach()
        raw.close()


def _failure(db: Database, exc: sa_exc.DBAPIError, learner_id: int | None) -> StorageFailure:
    if learner_id is None:
        return StorageFailure(f"database read failed: {db.friendly(exc)}")
    return db.write_failure(exc)
