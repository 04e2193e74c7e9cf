"""Two stores over one SQLite file in one process (a server keeps one per request, a
test or a script may open a second): closing one never costs the other its answers.

Before the fix, opening the second store read the file's header with Python's own
open(); closing that descriptor dropped every POSIX lock the process held on the file,
so another process closing its connection took the file for its own, checkpointed and
deleted the write-ahead log, and the first store's later commits went to a deleted file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import Grade
from tests.conftest import NOW


def test_a_second_store_closing_never_loses_the_firsts_answers(db: Path, mini: Path) -> None:
    env = {**os.environ, "SRS_CRSS_NOW": NOW}
    settings = Settings(database=str(db), learner="alex", environ=env)
    with App(settings) as loader:
        loader.sync([mini])
    first = App(settings)
    session = first.review_session()
    assert session.current() is not None
    with App(settings) as second:  # opened and closed while the first holds the file
        second.stats(None)
    # another process reads the file and closes: the last one out, were the locks gone
    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", "--db", str(db), "--learner", "alex", "stats"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    session.answer(Grade(4), 1000, None)
    with sqlite3.connect(db) as fresh:  # before: "disk I/O error", the answer gone
        assert fresh.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    first.close()
    with sqlite3.connect(db) as fresh:
        assert fresh.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
