"""Reading a package exported by Anki (.apkg or .colpkg): notes, cards and the review log.

A package is a zip file holding one SQLite collection, in one of three
formats; when several are present the newest is the real one (Anki puts a
stub "please update Anki" collection.anki2 beside collection.anki21b):

- `collection.anki21b`: current Anki (2.1.50 on), zstd-compressed;
- `collection.anki21`: the legacy export option of Anki 2.1;
- `collection.anki2`: Anki 2.0 and the oldest clients.

A package is untrusted input from anywhere (issue 24), so reading one is
bounded in every direction:

- disk: the collection is unpacked as a stream into a private temporary
  folder, checked and bounded (anki/unpack.py);
- time: the collection is opened read-only, `notes`, `cards` and `revlog` must
  be real tables (a view can be an endless query), and every query runs under
  a progress handler with a budget proportional to the file, through which
  Ctrl-C and SIGTERM stop it at once;
- memory: only the notes and review rows of cards the caller names are read
  (filtered in SQL), the log streamed in id order;
- values: a row Anki could never have written (an id that is not a whole
  number of milliseconds, text in a number column) is an error naming the
  package, before anything is written anywhere; rows Anki could have written
  but that cannot be true (dated before 2006 or after tomorrow, an id another
  row has) are skipped and counted, as are notes that share one guid.

Anything unreadable raises PackageError (exit 2); the package is never modified.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from srs_crss.anki.mapping import RevlogRow
from srs_crss.anki.unpack import plain_errors, unpacked
from srs_crss.errors import PackageError

STEPS_PER_CHECK = 1000
"""SQLite virtual-machine steps between two calls of the progress handler."""
STEPS_FLOOR = 20_000_000
STEPS_PER_BYTE = 8
"""The query budget: a full read of a real collection takes about one step per byte."""
FIRST_MS = int(dt.datetime(2006, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
"""Nothing was answered in Anki before 2006 (its first release)."""
LAST_VALID_MS = 253_402_300_799_999
"""The end of year 9999: a larger revlog id is not a time at all."""
_REVLOG = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog"
_INTEGERS = ("id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type")


class Skip:
    """Why rows or notes of a package were left out (the import report's words)."""

    DATE = "dated before 2006 or after tomorrow"
    DUPLICATE = "the same id as another row"
    SHARED = "from notes that share one id (guid) with another note"


class Package:
    """An open, checked collection: what an import reads from it."""

    def __init__(self, path: Path, name: str, con: sqlite3.Connection, guard: _Guard) -> None:
        self.path = path
        self.format = name
        """The collection file read, e.g. "collection.anki21b"."""
        self._con = con
        self._guard = guard
        self.skipped: Counter[str] = Counter()
        """Rows (and notes' rows) left out, by reason (`Skip`)."""
        self.notes = self._one("SELECT count(*) FROM notes")
        """How many notes the collection holds."""
        self.shared_notes = 0
        """Notes left out by `cards` because another note has their guid."""

    def cards(self, guids: Collection[str]) -> dict[str, list[int]]:
        """Note guid -> the ids of its cards, for the notes with one of these guids.

        Notes that share a guid are left out (which one would be the card's?) and their
        review rows counted as skipped."""
        wanted = json.dumps(sorted(guids))
        matched = "SELECT value FROM json_each(?)"
        shared: set[str] = set()
        for guid, notes in self._query(
            f"SELECT guid, count(*) FROM notes WHERE guid IN ({matched})"
            " GROUP BY guid HAVING count(*) > 1",
            (wanted,),
        ):
            shared.add(guid)
            self.shared_notes += notes
        found: dict[str, list[int]] = {}
        lost: list[int] = []
        for guid, cid in self._query(
            "SELECT n.guid, c.id FROM notes AS n JOIN cards AS c ON c.nid = n.id"
            f" WHERE n.guid IN ({matched}) AND typeof(c.id) = 'integer' ORDER BY c.id",
            (wanted,),
        ):
            if guid in shared:
                lost.append(cid)
            else:
                found.setdefault(guid, []).append(cid)
        if lost:
            (rows,) = next(
                self._query(
                    "SELECT count(*) FROM revlog WHERE cid IN (SELECT value FROM json_each(?))",
                    (json.dumps(lost),),
                )
            )
            self.skipped[Skip.SHARED] += rows
        return found

    def revlog(self, cids: Collection[int], now_ms: int) -> Iterator[RevlogRow]:
        """The review rows of these cards, oldest first; rows dated before 2006 or after
        a day past `now_ms`, and any row whose id an earlier one has, skipped and counted."""
        last = now_ms + 86_400_000
        previous = None
        for row in self._query(
            f"{_REVLOG} WHERE cid IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(sorted(cids)),),
        ):
            ms = row[0]
            if ms == previous:
                self.skipped[Skip.DUPLICATE] += 1
            elif not FIRST_MS <= ms <= last:
                self.skipped[Skip.DATE] += 1
            else:
                yield RevlogRow._make(row)
            previous = ms

    def _one(self, sql: str) -> int:
        (value,) = next(self._query(sql))
        return int(value)

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a query on the collection, under the budget and stoppable (`_Guard`)."""
        with self._guard.watching(self.path):
            cursor = self._con.execute(sql, args)
            while batch := cursor.fetchmany(1000):
                yield from batch


@contextmanager
def open_package(path: Path) -> Iterator[Package]:
    """Unpack and check the package at `path`; its collection, open read-only, until the
    block ends (then the temporary copy is gone)."""
    with unpacked(path) as (name, file):
        guard = _Guard(STEPS_FLOOR + STEPS_PER_BYTE * file.stat().st_size)
        with guard.noting_signals():
            with plain_errors(path):
                con = _opened(path, file, guard)
            try:
                yield Package(path, name, con, guard)
            finally:
                con.close()


class _Guard:
    """The progress handler: a budget of steps, and signals noticed at once.

    Python runs a signal's handler only between its own bytecodes, so a long SQLite
    query would hold Ctrl-C back; the progress handler runs Python every
    STEPS_PER_CHECK steps, so the KeyboardInterrupt (or the SystemExit of SIGTERM)
    happens there, and stops the query. SQLite swallows an exception raised in the
    handler, so the signal is noted as it arrives and raised again once SQLite has
    stopped."""

    def __init__(self, budget: int) -> None:
        self.left = budget // STEPS_PER_CHECK
        self.signalled: int | None = None
        self.over = False

    def __call__(self) -> int:
        self.left -= 1
        if self.left < 0:
            self.over = True
            return 1
        return 0

    def _stop(self, signum: int) -> NoReturn:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    @contextmanager
    def noting_signals(self) -> Iterator[None]:
        """Ctrl-C and SIGTERM noted, then raised as usual (KeyboardInterrupt, SystemExit)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def note(signum: int, _frame: FrameType | None) -> None:
            self.signalled = signum
            self._stop(signum)

        previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextmanager
    def watching(self, path: Path) -> Iterator[None]:
        """A query on the collection: stopped by a signal, over budget, or failing."""
        try:
            with plain_errors(path):
                yield
        except PackageError:
            if self.signalled is not None:
                self._stop(self.signalled)
            if self.over:
                raise PackageError(
                    path,
                    "reading its collection takes far more work than any Anki collection "
                    "needs; stopped, nothing was imported",
                ) from None
            raise


def _opened(path: Path, file: Path, guard: _Guard) -> sqlite3.Connection:
    """The unpacked collection, read-only, checked: real tables, values Anki writes."""
    con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    con.set_progress_handler(guard, STEPS_PER_CHECK)
    # Anki's current schema declares a case-insensitive collation of its own.
    con.create_collation("unicase", _unicase)
    try:
        with guard.watching(path):
            con.execute("PRAGMA trusted_schema = OFF")  # no function a schema names runs
            con.execute("PRAGMA query_only = ON")
            _check_tables(path, con)
            if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the collection database fails its integrity check")
            _check_values(path, con)
    except BaseException:
        con.close()
        raise
    return con


def _check_tables(path: Path, con: sqlite3.Connection) -> None:
    """notes, cards and revlog must be ordinary tables: a view can run forever."""
    kinds = {
        name: (kind, sql or "")
        for name, kind, sql in con.execute(
            "SELECT name, type, sql FROM sqlite_schema WHERE name IN ('notes', 'cards', 'revlog')"
        )
    }
    for name in ("notes", "cards", "revlog"):
        kind, sql = kinds.get(name, (None, ""))
        if kind is None:
            raise PackageError(path, f"not an Anki collection: it has no {name} table")
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL"):
            raise PackageError(path, f"not an Anki collection: its {name} is a {kind}, not a table")


def _check_values(path: Path, con: sqlite3.Connection) -> None:
    """Every review row holds whole numbers, its id a time Anki could have written."""
    whole = " AND ".join(f"typeof({column}) = 'integer'" for column in _INTEGERS)
    bad = con.execute(
        f"SELECT count(*) FROM revlog WHERE NOT ({whole} AND id BETWEEN 0 AND ?)",
        (LAST_VALID_MS,),
    ).fetchone()[0]
    if bad:
        raise PackageError(
            path,
            f"damaged: {bad:,} of its review log rows hold values Anki never writes "
            "(an id that is not a time, or text where a number belongs); nothing was imported",
        )


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)
