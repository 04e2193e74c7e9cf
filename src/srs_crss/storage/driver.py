"""An answer's write transaction, and a session's content batches, on the pool's DBAPI
connection (issue 30).

Through SQLAlchemy a write transaction costs about 90 µs before its first statement
(the `Connection`, its `begin`, events, the execution context of each statement); on
the driver it costs what the driver does. `write_as` keeps everything
`Database.write_as` promises: the connection comes from the engine's pool (pinged
there on a server), SQLite's write lock is taken up front (BEGIN IMMEDIATE), a server
transaction first says whom it acts for (row security's SET LOCAL, the same
statement as `rowsecurity.begin`) and takes the learner's advisory lock; the commit
is one durable commit (the connection's `synchronous = FULL`), anything raised rolls
back, and a driver error becomes the same plain error (`Database.write_failure`)
after SQLAlchemy's own mapping of driver errors. The statements are `Prepared` ones,
rendered once per dialect by SQLAlchemy: the database receives what `execute` sends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, func, select
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


@contextmanager
def write_as(db: Database, learner_id: int) -> Iterator[DriverWrite]:
    """`db.write_as(learner_id)` on the driver: see the module's docstring."""
    with _transaction(db, learner_id) as write:
        yield write
    if db.checkpointer is not None:
        db.checkpointer.after_commit()


@contextmanager
def read(db: Database) -> Iterator[DriverWrite]:
    """`db.read()` on the driver: one snapshot (a plain BEGIN on SQLite), row security's
    acting learner said first on a server; a driver error is the same plain error."""
    with _transaction(db, None) as transaction:
        yield transaction


@contextmanager
def _transaction(db: Database, learner_id: int | None) -> Iterator[DriverWrite]:
    """A write holding `learner_id`'s lock, or (None) a read."""
    dialect = db.engine.dialect
    try:
        raw = db.engine.raw_connection()
    except sa_exc.DBAPIError as exc:
        raise _failure(db, exc, learner_id) from None
    cursor = None
    try:
        cursor = raw.cursor()
        write = DriverWrite(cursor, dialect)
        try:
            if dialect.name == "sqlite":
                cursor.execute("BEGIN" if learner_id is None else "BEGIN IMMEDIATE")
            if db.row_security:
                write.run(_SET_ACTING, rowsecurity.acting_values(db.acting))
            if dialect.name == "postgresql" and learner_id is not None:
                write.run(_LOCK_LEARNER, {"space": LEARNER_LOCK_SPACE, "learner": learner_id})
            yield write
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
    except dialect.loaded_dbapi.Error as exc:
        gone = dialect.is_disconnect(exc, raw.dbapi_connection, cursor)
        if gone:
            raw.invalidate(exc)
        error = sa_exc.DBAPIError.instance(
            None, None, exc, dialect.loaded_dbapi.Error,
            connection_invalidated=gone, dialect=dialect,
        )  # fmt: skip
        assert isinstance(error, sa_exc.DBAPIError)  # (the driver's own errors are)
        raise _failure(db, error, learner_id) from None
    finally:
        if cursor is not None:
            try:
                cursor.close()
            except dialect.loaded_dbapi.Error:
                pass
        raw.close()


def _failure(db: Database, exc: sa_exc.DBAPIError, learner_id: int | None) -> StorageFailure:
    if learner_id is None:
        return StorageFailure(f"database read failed: {db.friendly(exc)}")
    return db.write_failure(exc)
