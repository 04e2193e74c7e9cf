"""Statements rendered once per dialect and run at the driver level: an answer's statements.

`Connection.execute` builds a cache key from the statement on every call to find its
compiled form, then binds every value through its type: about 50 µs a statement
here, against 20-25 µs for the same SQL through `exec_driver_sql` (issue 30). The SQL
is still SQLAlchemy's, rendered for the connection's dialect (SQLite's `?` or
PostgreSQL's `%(name)s` placeholders), and each value still goes through its column
type's bind processor (dates as SQLite stores them, datetimes made naive UTC), so the
database receives what `execute` would have sent, and a row read goes through each
column type's result processor; events, driver errors and the result (rowcount,
RETURNING) are SQLAlchemy's as before.
"""

from __future__ import annotations

import weakref
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, CursorResult, Select, TextClause
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import UpdateBase

Statement = UpdateBase | Select[Any] | TextClause


class _Rendered(NamedTuple):
    sql: str
    given: frozenset[str]
    """The keys of the values it was rendered for (an INSERT or UPDATE sets those columns)."""
    names: tuple[str, ...]
    """The placeholders: in order where they are positional, else by name."""
    take: Callable[[Mapping[str, Any]], list[Any]]
    """The value of each placeholder, in order: the one of its name, or its constant."""
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]
    """(placeholder, its type's bind processor), for the placeholders whose type has one."""
    positional: bool
    row: Callable[[Any], Any] | None
    """A SELECT's row as read: each column through its type's result processor."""

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        if values.keys() != self.given:
            raise ValueError(f"values for {sorted(values)}, not {sorted(self.given)}")
        bound = self.take(values)
        for n, process in self.processors:
            bound[n] = process(bound[n])
        return tuple(bound) if self.positional else dict(zip(self.names, bound, strict=True))


def _taker(
    keys: list[str | None], constants: list[Any]
) -> Callable[[Mapping[str, Any]], list[Any]]:
    """`_Rendered.take`: one C-level lookup of every value when no placeholder is a constant
    (an answer's statements: this runs for each of their statements)."""
    named = [key for key in keys if key is not None]
    if named and len(named) == len(keys):
        if len(named) == 1:
            key = named[0]
            return lambda values: [values[key]]
        pick = itemgetter(*named)
        return lambda values: list(pick(values))
    pairs = list(zip(keys, constants, strict=True))
    return lambda values: [constant if key is None else values[key] for key, constant in pairs]


def _render(statement: Statement, values: Mapping[str, Any], dialect: Dialect) -> _Rendered:
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(values))
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("a statement with expanding parameters cannot be rendered once")
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    names = tuple(compiled.positiontup if compiled.positional else by_name)
    binds = [by_name[name] for name in names]
    escaped = compiled.escaped_bind_names or {}  # names a driver could not take as they are
    processors = [bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds]
    return _Rendered(
        sql=compiled.string,
        given=frozenset(values),
        names=tuple(escaped.get(name, name) for name in names),
        take=_taker(
            [bind.key if bind.key in values else None for bind in binds],
            [None if bind.key in values else bind.effective_value for bind in binds],
        ),
        processors=tuple((n, p) for n, p in enumerate(processors) if p is not None),
        positional=bool(compiled.positional),
        row=_reader(statement, dialect) if isinstance(statement, Select) else None,
    )


def _reader(statement: Select[Any], dialect: Dialect) -> Callable[[Any], Any]:
    columns = list(statement.selected_columns)
    record = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]

    active = [(n, process) for n, process in enumerate(processors) if process is not None]
    if not active:
        return record._make

    def read(row: Any) -> Any:
        values = list(row)
        for n, process in active:
            values[n] = process(values[n])
        return record._make(values)

    return read


class Prepared:
    """An INSERT, UPDATE or SELECT (or a text statement) rendered at its first run for
    each dialect (with the columns its values name), then run with `exec_driver_sql`, or
    on a DBAPI cursor (`run`, `read`: storage/driver.py's transactions)."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        self._rendered: weakref.WeakKeyDictionary[Dialect, _Rendered] = weakref.WeakKeyDictionary()

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        return conn.exec_driver_sql(*self._bound(conn, values)[:2])

    def first(self, conn: Connection, values: Mapping[str, Any]) -> Any:
        """A SELECT's first row (its columns by name, as a Row), or None."""
        sql, parameters, rendered = self._bound(conn, values)
        assert rendered.row is not None, "first() reads a SELECT"
        row = conn.exec_driver_sql(sql, parameters).first()
        return None if row is None else rendered.row(row)

    def prepare(self, dialect: Dialect, keys: Iterable[str]) -> None:
        """Render it now for values with these keys (ahead of its first run)."""
        if dialect not in self._rendered:
            self._rendered[dialect] = _render(self.statement, dict.fromkeys(keys), dialect)

    def run(self, cursor: Any, dialect: Dialect, values: Mapping[str, Any]) -> Any:
        """Run on a DBAPI cursor (what `exec_driver_sql` hands the driver); the cursor."""
        sql, parameters, _ = self._bound(dialect, values)
        cursor.execute(sql, parameters)
        return cursor

    def read(self, cursor: Any, dialect: Dialect, values: Mapping[str, Any]) -> Any:
        """`first` on a DBAPI cursor."""
        read = self._select(cursor, dialect, values)
        row = cursor.fetchone()
        return None if row is None else read(row)

    def read_all(self, cursor: Any, dialect: Dialect, values: Mapping[str, Any]) -> list[Any]:
        """Every row of a SELECT on a DBAPI cursor (its columns by name)."""
        read = self._select(cursor, dialect, values)
        return [read(row) for row in cursor.fetchall()]

    def _select(
        self, cursor: Any, dialect: Dialect, values: Mapping[str, Any]
    ) -> Callable[[Any], Any]:
        sql, parameters, rendered = self._bound(dialect, values)
        assert rendered.row is not None, "reads a SELECT"
        cursor.execute(sql, parameters)
        return rendered.row

    def _bound(
        self, on: Connection | Dialect, values: Mapping[str, Any]
    ) -> tuple[str, Any, _Rendered]:
        dialect = on.dialect if isinstance(on, Connection) else on
        rendered = self._rendered.get(dialect)
        if rendered is None:
            rendered = self._rendered[dialect] = _render(self.statement, values, dialect)
        return rendered.sql, rendered.parameters(values), rendered
