"""Copying an SQLite file's write-ahead log back into the file, off the answer's path.

In WAL mode every commit appends to `<file>-wal`; now and then the log must be
copied into the database file (a checkpoint). SQLite does that by itself in
whichever commit crosses 1,000 pages, and that commit then takes 60-90 ms
instead of one: a stall every ~130 answers of a review session (issue 16).

Here SQLite's own checkpoints are off (`wal_autocheckpoint = 0`, set on every
connection in engine.py) and a background thread runs a PASSIVE checkpoint on
its own connection every `EVERY_WRITES` commits, once no commit has come for
`QUIET_SECONDS`: while the learner reads the next card, so its disk writes do not
hold up the next answer's. A passive
checkpoint never blocks a writer or a reader, and it releases the GIL while
SQLite copies pages, so the next answer is not kept waiting. Durability is
unchanged: a commit is durable once its log record is synced (synchronous =
FULL), whether or not it has been copied yet. Closing the engine checkpoints
whatever is left, as before.

A review screen says when the learner is reading (`Session.ready` calls
`Store.reading`): there, every READING_EVERY commits, the checkpoint runs at once in
the caller's thread, no pause needed, and the log is written over from its start
rather than extended (a faster sync).

SQLite starts the log file over only after a checkpoint that caught up with every
commit. Writes with no pause between them (an import, a script piping answers) never
let the background one catch up, so a log past `WAL_LIMIT` is checkpointed in the
writer itself (TRUNCATE), as SQLite would have, but ten times less often.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

EVERY_WRITES = 100
"""Commits between checkpoints: an answer adds about 8 pages to the log, so the log
stays under SQLite's own default of 1,000 pages. (The log file's size cannot tell:
SQLite reuses the file from its start after a checkpoint, without shrinking it.)"""

READING_EVERY = 16
"""Commits between checkpoints in a review session, run while the learner reads
(`reading`). Once a checkpoint has caught up, SQLite writes the log over from its
start, in place, and a commit that overwrites the file syncs faster than one that
extends it (the file system must record the new length too: 0.21-0.28 ms against
0.37-0.48 ms here). So a session's log grows for its first answers only, and stays
small."""

QUIET_SECONDS = 0.1
"""A checkpoint waits for this long without a commit (a learner takes seconds a card)."""

WAL_LIMIT = 16 * 1024 * 1024
"""A log file this large was not started over: checkpointed in the writer."""


class Checkpointer:
    """Checkpoints one SQLite file in a background thread, every so many commits."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.wal = Path(f"{path}-wal")
        self._writes = 0
        self._last_commit = time.monotonic()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_commit(self) -> None:
        """Called after each committed write: every EVERY_WRITES, wakes the thread."""
        self._last_commit = time.monotonic()
        self._writes += 1
        if self._writes < EVERY_WRITES or self._stop.is_set():
            return
        self._writes = 0
        try:
            behind = self.wal.stat().st_size > WAL_LIMIT
        except OSError:
            behind = False
        if behind:
            self._checkpoint("TRUNCATE")
            return
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="srs-crss-checkpoint", daemon=True
            )
            self._thread.start()
        self._wake.set()

    def reading(self) -> None:
        """The learner is reading a card (the review screen's `Session.ready`): after
        READING_EVERY commits, checkpoint now, in this thread, while no answer waits."""
        if self._writes >= READING_EVERY and not self._stop.is_set():
            self._writes = 0
            self._checkpoint("PASSIVE")

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while not self._stop.is_set():  # until the writes pause
                quiet = time.monotonic() - self._last_commit
                if quiet >= QUIET_SECONDS:
                    break
                self._stop.wait(QUIET_SECONDS - quiet)
            if self._stop.is_set():
                return
            self._checkpoint("PASSIVE")

    def _checkpoint(self, mode: str) -> None:
        try:
            # on the driver connection: a checkpoint cannot run inside a transaction
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute(f"PRAGMA wal_checkpoint({mode})").close()
            finally:
                raw.close()
        except (sa_exc.DBAPIError, sqlite3.Error):
            pass  # busy or failing: the next round, or closing, checkpoints instead

    def close(self) -> None:
        """Stop the thread (before the engine closes: closing checkpoints the rest)."""
        self._stop.set()
        if self._thread is not None:
            self._wake.set()
            self._thread.join()
