"""`srs-crss serve --cohort` in headless Chromium at phone width: signing in and choosing
a password with the keyboard only, and the sign-in, password and instructor pages
passing axe without scrolling sideways."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import web
from tests.browser.test_web_pages import RULES, SMALL_TARGETS

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def cohort(tmp_path: Path, deck_db: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A cohort server over the small deck: its address and one-time passwords."""
    db = tmp_path / "cohort.db"
    shutil.copyfile(deck_db, db)
    passwords = {}
    for name, extra in (("jordan", []), ("Ms Lee", ["--instructor"])):
        done = web.run(db, "users", "add", name, "--json", *extra)
        assert done.returncode == 0, done.stderr
        passwords[name] = json.loads(done.stdout)["password"]
    with web.served(db, "--cohort") as (url, _):
        yield url, passwords


def _tab_to(page: Any, element_id: str) -> None:
    """Press Tab until the element has the focus (as a keyboard user would)."""
    for _ in range(20):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def _check(page: Any) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    results = axe.run(page, options={"runOnly": RULES})
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TARGETS) == []


def _sign_in_by_keyboard(
    page: Any, url: str, path: str, name: str, password: str, new: str
) -> None:
    page.goto(url + path)
    page.get_by_role("heading", name="Sign in").wait_for()
    assert f"/signin?next={path}" in page.url
    _check(page)
    _tab_to(page, "username")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Choose your own password").wait_for()
    _tab_to(page, "current")
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    page.get_by_text("There is a problem").wait_for()
    _check(page)
    _tab_to(page, "current")
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    page.keyboard.type(new)
    page.keyboard.press("Tab")
    page.keyboard.type(new)
    page.keyboard.press("Enter")


def test_a_learner_signs_in_on_a_phone_with_the_keyboard_only(
    browser: Any, cohort: tuple[str, dict[str, str]]
) -> None:
    url, passwords = cohort
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in_by_keyboard(page, url, "/progress", "jordan", passwords["jordan"], "purple otter lamp")
    page.get_by_role("heading", name="Progress").wait_for()
    assert page.url.endswith("/progress")
    assert page.get_by_text("Signed in as jordan").is_visible()
    _tab_to(page, "signout")
    page.keyboard.press("Enter")
    page.get_by_text("You have signed out.").wait_for()
    page.goto(url + "/progress")
    page.get_by_role("heading", name="Sign in").wait_for()
    context.close()


def test_the_instructors_pages_fit_a_phone_and_pass_axe(
    browser: Any, cohort: tuple[str, dict[str, str]]
) -> None:
    url, passwords = cohort
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in_by_keyboard(page, url, "/class", "Ms Lee", passwords["Ms Lee"], "teacher desk apple")
    page.get_by_role("heading", name="The class at a glance").wait_for()
    for path, heading in (
        ("/class", "The class at a glance"),
        ("/items", "Practice-exam items across the class"),
        ("/flags", "Cards learners flagged"),
    ):
        page.goto(url + path)
        page.get_by_role("heading", name=heading).wait_for()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            _check(page)
    context.close()
