"""Shared fixtures: a real SQLite file per test and a CLI runner bound to it."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from srs_crss.cli import app
from tests.browser import web as serving

NOW = "2026-11-22T10:00:00+00:00"

MINI_DECK = """\
[deck]
id = "mini"
name = "Mini deck"
description = "Two cards for tests"

[[cards]]
id = "empathy-basics"
front = "What is empathy?"
back = "Feeling with someone."
domain = "Advocacy"
tags = ["empathy"]
source = "test"

[[cards]]
id = "quality"
type = "mcq"
front = "Which quality matters most?"
choices = ["Charisma", "Empathy", "Assertiveness", "Expertise"]
answer = "Empathy"
explanation = "Empathy builds trust."
domain = "Ethical Responsibility"
"""

Invoke = Callable[..., Result]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "learner.db"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(MINI_DECK, encoding="utf-8")
    return path


@pytest.fixture
def cli(db: Path) -> Invoke:
    """Run `srs-crss ARGS` in-process against the test database at a fixed time."""
    runner = CliRunner()

    def invoke(
        *args: str, now: str = NOW, env: dict[str, str] | None = None, input: str | None = None
    ) -> Result:
        full_env = {
            "SRS_CRSS_DB": str(db),
            "SRS_CRSS_NOW": now,
            "SRS_CRSS_LEARNER": "alex",
            "NO_COLOR": "1",
            "COLUMNS": "120",
        }
        full_env.update(env or {})
        return runner.invoke(app, list(args), env=full_env, input=input)

    return invoke


def digest(path: Path) -> str:
    """Content hash of a file (and its WAL, if any), to prove nothing was written."""
    h = hashlib.sha256()
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def write_basic_deck(
    path: Path, count: int, deck_id: str = "many", domain: str = "Advocacy"
) -> Path:
    """A deck of `count` basic cards c00, c01, ... (tag "odd" on odd ones)."""
    parts = [f'[deck]\nid = "{deck_id}"\nname = "Deck {deck_id}"\n']
    for i in range(count):
        tags = '["odd"]' if i % 2 else "[]"
        parts.append(
            f'[[cards]]\nid = "c{i:02d}"\nfront = "Front {i}"\nback = "Back {i}"\n'
            f'domain = "{domain}"\ntags = {tags}\n'
        )
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def three(cli: Invoke, tmp_path: Path) -> Path:
    """A synced deck "many" of three basic cards, c00 to c02."""
    deck = write_basic_deck(tmp_path / "many.toml", 3)
    cli("sync", str(deck))
    return deck


PG_ENV = "SRS_CRSS_TEST_PG_URL"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (SRS_CRSS_TEST_PG_URL names the server)."""
    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(
            f"{PG_ENV} is not set: no PostgreSQL server to test against (.ci/run starts one)"
        )
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"srs_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# ---- `srs-crss serve` (tests/browser and tests/program/test_serve.py) ----


@pytest.fixture(scope="session")
def deck_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small deck synced once; each test serves its own copy."""
    return serving.deck_database(tmp_path_factory.mktemp("deck"))


@pytest.fixture
def server(tmp_path: Path, deck_db: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "study.db"
    shutil.copyfile(deck_db, db)
    with serving.served(db) as found:
        yield found
