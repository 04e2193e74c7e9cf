"""Fixtures for the web front end's browser tests (tests/browser/web.py does the work)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import web


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with web.launch() as found:
        yield found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with web.served(tmp_path) as found:
        yield found
