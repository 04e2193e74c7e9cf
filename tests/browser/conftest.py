"""The browser for the web front end's tests (tests/browser/web.py does the work; the
server fixtures, shared with tests/program/test_serve.py, are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import web


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with web.launch() as found:
        yield found
