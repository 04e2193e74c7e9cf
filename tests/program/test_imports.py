"""A review session loads only what it uses (docs/architecture.md, "Heavy imports").

The real command runs in its own process, so what it imported is exactly what
`sys.modules` holds when it exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW

_RUN_AND_LIST = """
import atexit, json, sys
atexit.register(lambda: print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr))
from srs_crss.cli import main
sys.argv = ["srs-crss", *sys.argv[1:]]
main()
"""

DEFERRED = (
    "alembic",  # the schema is current
    "genanki",
    "zstandard",
    "rich.progress",
    "tomllib",
    "srs_crss.decks.deckfile",
    "srs_crss.decks.quality",
    "srs_crss.service.practice",
    "srs_crss.exams.mock",
    "srs_crss.exams.run",
    "srs_crss.storage.export",
    "srs_crss.storage.mocks",
    "srs_crss.storage.merges",
    # SQLAlchemy's unconditional imports, held back by storage/deferred.py (the names
    # themselves stand in sys.modules: these are what the real ones bring)
    "asyncio.base_events",
    "importlib.metadata._meta",
    "ssl",
    "email.message",
    "fsrs_rs_python",  # the forecast's model: readiness and mock only
    "srs_crss.service.forecasting",
    "srs_crss.storage.forecasts",
    "sqlalchemy.dialects.postgresql",  # on SQLite (storage/schema.py's on_postgresql)
    "srs_crss.decks.spec",  # deck files: read only when decks are synced
    "srs_crss.decks.sync",
)


def _modules(db: Path, *args: str, stdin: str = "") -> set[str]:
    env = {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "alex"}
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST, *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.fixture
def studied(db: Path, mini: Path) -> Path:
    """A database with the mini deck loaded (loading deck files is not a review's cost)."""
    _modules(db, "sync", str(mini))
    return db


def test_a_piped_review_session_leaves_the_deferred_modules_alone(studied: Path) -> None:
    loaded = _modules(studied, "review", stdin="\n4\nb\n\nq\n")
    assert "srs_crss.study.session" in loaded and "sqlalchemy" in loaded  # it did run a session
    assert sorted(loaded & set(DEFERRED)) == []


def test_a_practice_exam_loads_what_the_review_did_not(studied: Path) -> None:
    """The other side: the same check would see these modules when they are used."""
    loaded = _modules(studied, "mock", "--json", "--seed", "1", stdin="")
    assert {"srs_crss.exams.mock", "srs_crss.storage.mocks", "tomllib"} <= loaded
    assert {"fsrs_rs_python", "srs_crss.storage.forecasts"} <= loaded  # the frozen forecast
