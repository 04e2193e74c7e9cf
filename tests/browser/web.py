"""The real program serving the web app, and real headless Chromium through Playwright.

`Served` starts `srs-crss serve --port 0 --no-browser` in its own process over
a fresh SQLite file holding a small deck, and reads the port it printed.
`launch` starts Debian's chromium (no browser download); without it the tests
skip, unless SRS_CRSS_TEST_BROWSER is set (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

BROWSER_ENV = "SRS_CRSS_TEST_BROWSER"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROGRAM = [sys.executable, "-m", "srs_crss"]
DECK = """\
[deck]
id = "web"
name = "Web deck"

[[cards]]
id = "one"
front = "What does a peer specialist share? <b>bold</b>"
back = "Lived experience"
domain = "Mentoring"

[[cards]]
id = "pick"
type = "mcq"
front = "Which quality matters most?"
choices = ["Charisma", "Empathy", "Assertiveness", "Expertise"]
answer = "Empathy"
explanation = "Empathy builds trust."
source = "Peer guide, page 3"
domain = "Advocacy"

[[cards]]
id = "two"
front = "What is recovery capital?"
back = "The resources a person draws on to start and keep recovery"
domain = "Mentoring"
"""


def expect(locator: Any) -> Any:
    """Playwright's retrying assertions (its own script world: the page's CSP allows no eval)."""
    return pytest.importorskip("playwright.sync_api").expect(locator)


def script_ready(page: Any) -> None:
    """Wait until the page's script listens for keys (a key typed before is lost)."""
    page.locator("html[data-script=ready]").wait_for(state="attached")


def chromium_path() -> str:
    """Debian's chromium, or a skip (a failure where the run expects a browser)."""
    found = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if found:
        return found
    if os.environ.get(BROWSER_ENV):
        pytest.fail("chromium is not installed, yet the test run expects it")
    pytest.skip("chromium is not installed (scripts/ci-chromium.sh installs Debian's package)")


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, as a user runs it, over the same database."""
    return subprocess.run(
        [*PROGRAM, "--db", str(db), "--learner", "tester", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=_env(),
    )


def stats(db: Path) -> dict[str, Any]:
    done = run(db, "stats", "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SRS_CRSS_NOW", None)
    return env


def deck_database(tmp: Path) -> Path:
    """A new database holding the bundled decks (for practice exams) and DECK, studied by
    default (made once per run by a fixture, then copied)."""
    db = tmp / "study.db"
    deck = tmp / "web.toml"
    deck.write_text(DECK, encoding="utf-8")
    for step in (["sync"], ["sync", str(deck)], ["config", "set", "default-deck", "web"]):
        done = run(db, *step)
        assert done.returncode == 0, done.stderr
    return db


@contextmanager
def served(db: Path, *extra: str, printed: list[str] | None = None) -> Iterator[tuple[str, Path]]:
    """`srs-crss serve` over the database `db`: (its address, the database). With
    --lan, the lines it printed (the private link, its QR code) go into `printed`."""
    process = subprocess.Popen(
        [*PROGRAM, "--db", str(db), "--learner", "tester", "serve", "--port", "0"]
        + ["--no-browser", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    if printed is not None:
        printed.append(first)
        while "Keep this window open" not in printed[-1] and printed[-1]:
            printed.append(process.stdout.readline())
    try:
        assert found, f"serve printed {first!r}"
        yield f"http://127.0.0.1:{found.group(1)}", db
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@contextmanager
def launch() -> Iterator[Any]:
    """Headless chromium through Playwright (a Browser)."""
    path = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
