"""Fixtures for the web front end's browser tests (tests/browser/web.py does the work)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import web


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with web.launch() as found:
        yield found


@pytest.fixture(scope="session")
def deck_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small deck synced once; each test serves its own copy."""
    return web.deck_database(tmp_path_factory.mktemp("deck"))


@pytest.fixture
def server(tmp_path: Path, deck_db: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "study.db"
    shutil.copyfile(deck_db, db)
    with web.served(db) as found:
        yield found
