"""Practice exams in the browser: keyboard only, resumed after the tab closed, and run out
by a one-minute clock; each finished exam is what `srs-crss mock --history` lists.

These serve the bundled decks (a new database loads them), which have questions in
every domain of the exam profiles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser import web


@pytest.fixture
def bundled(tmp_path: Path) -> Any:
    with web.served(tmp_path / "study.db") as found:
        yield found


def _start(page: Any, url: str, questions: str, timing: str = "As in the real exam") -> None:
    page.goto(url + "/exam")
    page.get_by_label("Illinois CRSS").check()
    page.get_by_label("How many questions").fill(questions)
    page.get_by_label(timing).check()
    page.get_by_role("button", name="Start the practice exam").click()
    page.get_by_role("heading", name=f"Question 1 of {questions}").wait_for()


def _history(db: Path) -> list[dict[str, Any]]:
    done = web.run(db, "mock", "--history", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return list(found if isinstance(found, list) else found["exams"])


def test_a_keyboard_only_exam_from_start_to_result(browser: Any, bundled: Any) -> None:
    url, db = bundled
    page = browser.new_page()
    _start(page, url, "3")
    assert page.get_by_text("Time left:").count() == 1
    web.script_ready(page)
    page.locator("[data-focus]").focus()
    page.keyboard.press("a")  # pick A: saved at once
    web.expect(page.get_by_role("radio").first).to_be_checked()
    page.keyboard.press("n")
    page.get_by_role("heading", name="Question 2 of 3").wait_for()
    page.keyboard.press("f")
    web.expect(page.locator(".progress")).to_contain_text("flagged")
    page.keyboard.press("g")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Question 3 of 3").wait_for()
    page.locator("[data-focus]").focus()
    page.keyboard.press("p")
    page.get_by_role("heading", name="Question 2 of 3").wait_for()
    page.keyboard.press("s")
    page.get_by_role("heading", name="Submit the exam?").wait_for()
    web.expect(page.locator("main")).to_contain_text("2 of 3 questions are unanswered: 2, 3")
    web.expect(page.locator("main")).to_contain_text("Flagged for review: 2")
    page.get_by_role("button", name="Yes, submit and see my score").click()
    page.get_by_role("heading", name="Your score").wait_for()
    web.expect(page.locator("main")).to_contain_text("By domain")
    web.expect(page.locator("main")).to_contain_text("Your answer: none")
    (latest,) = _history(db)
    assert latest["asked"] == 3 and latest["status"] == "submitted"


def test_an_exam_resumes_after_the_tab_is_closed(browser: Any, bundled: Any) -> None:
    url, db = bundled
    context = browser.new_context()
    page = context.new_page()
    _start(page, url, "2", "Untimed (not like the real exam)")
    assert page.get_by_text("Untimed (not like the real exam)").count() == 1
    page.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Save and next").click()
    page.get_by_role("heading", name="Question 2 of 2").wait_for()
    context.close()  # the tab and the browser's session go

    page = browser.new_page()
    page.goto(url + "/exam")
    page.get_by_role("button", name="Resume it").click()
    page.get_by_role("heading", name="Question 1 of 2").wait_for()
    web.expect(page.get_by_role("radio").nth(1)).to_be_checked()
    page.get_by_role("button", name="Submit the exam…").click()
    page.get_by_role("button", name="Yes, submit and see my score").click()
    page.get_by_role("heading", name="Your score").wait_for()
    page.goto(url + "/exam")
    web.expect(page.locator("main")).to_contain_text("with more time than the real exam")
    assert _history(db)[0]["status"] == "submitted"


def test_a_one_minute_exam_is_handed_in_when_time_runs_out(browser: Any, bundled: Any) -> None:
    url, db = bundled
    page = browser.new_page()
    _start(page, url, "1")  # one question of a 100-question, 120-minute exam: one minute
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Save").click()
    # no click: the page's clock hands the exam in at zero
    page.get_by_text("Time is up").wait_for(timeout=180_000)
    page.get_by_role("heading", name="Your score").wait_for()
    (latest,) = _history(db)
    assert latest["status"] == "timeout"
