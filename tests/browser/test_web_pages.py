"""Every page of `srs-crss serve` passes axe (WCAG 2.2 AA rules) in light and dark mode,
and none scrolls sideways on a 360 px wide phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Step = Callable[[Any], None]


def _click(name: str) -> Step:
    return lambda page: page.get_by_role("button", name=name).first.click()


def _start(page: Any) -> None:
    page.get_by_role("button", name="Start today's review").click()
    page.get_by_text("Card id: web/one").wait_for()


def _reach_choices(page: Any) -> None:
    _start(page)
    _click("Show answer")(page)
    _click("Perfect recall")(page)
    page.get_by_role("group", name="Choose your answer").wait_for()


def _after_pick(page: Any) -> None:
    _reach_choices(page)
    page.get_by_label("Empathy").check()
    _click("Check my answer")(page)
    page.locator("[data-verdict]").wait_for()


def _answer(page: Any) -> None:
    _start(page)
    _click("Show answer")(page)


def _flag_open(page: Any) -> None:
    _start(page)
    page.keyboard.press("f")


def _session_over(page: Any) -> None:
    _start(page)
    _click("End session")(page)
    page.get_by_role("heading", name="Session over").wait_for()


def _bad_exam_date(page: Any) -> None:
    page.goto(page.url.rsplit("/", 1)[0] + "/progress")
    page.locator("#exam_day").fill("2001-01-01")
    _click("Save the exam date")(page)
    page.get_by_text("There is a problem").wait_for()


def _bad_start(page: Any) -> None:
    page.goto(page.url.rsplit("/", 1)[0] + "/review")
    page.get_by_label("At most this many cards").fill("0")
    _click("Start")(page)
    page.get_by_text("There is a problem").wait_for()


def _progress_with_data(page: Any) -> None:
    _after_pick(page)  # one answer (web/one, 5) and a pick
    _click("Right, after hesitation")(page)
    page.get_by_role("link", name="Progress").click()
    page.locator("#exam_day").fill("2099-01-01")
    _click("Save the exam date")(page)
    page.get_by_text("Your exam is on 2099-01-01").wait_for()


def _today_with_a_plan(page: Any) -> None:
    _progress_with_data(page)
    page.get_by_role("link", name="Today").click()
    page.get_by_role("heading", name="Your plan for today").wait_for()


def _exam_question(page: Any) -> None:
    page.goto(page.url.rsplit("/", 1)[0] + "/exam")
    page.get_by_label("Illinois CRSS").check()
    page.get_by_label("How many questions").fill("2")
    _click("Start the practice exam")(page)
    page.get_by_role("heading", name="Question 1 of 2").wait_for()


def _exam_submit(page: Any) -> None:
    _exam_question(page)
    _click("Submit the exam…")(page)
    page.get_by_role("heading", name="Submit the exam?").wait_for()


def _exam_result(page: Any) -> None:
    _exam_submit(page)
    _click("Yes, submit and see my score")(page)
    page.get_by_role("heading", name="Your score").wait_for()


def _exam_history(page: Any) -> None:
    _exam_result(page)
    page.get_by_role("link", name="Practice exams").click()
    page.get_by_role("heading", name="Your practice exams").wait_for()


PAGES: dict[str, tuple[str, Step | None]] = {
    "today": ("/", None),
    "choose what to study": ("/review", None),
    "a question": ("/", _start),
    "an answer": ("/", _answer),
    "a multiple-choice question": ("/", _reach_choices),
    "a verdict": ("/", _after_pick),
    "a flag being written": ("/", _flag_open),
    "the session summary": ("/", _session_over),
    "progress": ("/progress", None),
    "progress with answers and an exam date": ("/", _progress_with_data),
    "today with a plan (an exam date set)": ("/", _today_with_a_plan),
    "a form error": ("/", _bad_exam_date),
    "a start error": ("/", _bad_start),
    "no such page": ("/nowhere", None),
    "a practice exam question": ("/", _exam_question),
    "a practice exam's submit page": ("/", _exam_submit),
    "a practice exam's result": ("/", _exam_result),
    "practice exams with a history": ("/", _exam_history),
}


def _open(browser: Any, url: str, name: str, **options: Any) -> tuple[Any, Any]:
    context = browser.new_context(**options)
    page = context.new_page()
    path, step = PAGES[name]
    page.goto(url + path)
    if step is not None:
        step(page)
    return context, page


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_passes_axe_and_fits_a_phone(
    browser: Any, server: tuple[str, Path], name: str
) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    context, page = _open(browser, server[0], name)
    reports = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        results = axe.run(page, options={"runOnly": RULES})
        reports[scheme] = results.generate_report() if results.violations_count else ""
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    small = page.evaluate(SMALL_TARGETS)
    context.close()
    assert reports == {"light": "", "dark": ""}
    assert width <= 360
    assert small == []


RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SMALL_TARGETS = """
Array.from(document.querySelectorAll('button, a, input, select, summary, textarea'))
  .filter(e => e.checkVisibility() && e.type !== 'hidden')
  .filter(e => !(e.tagName === 'A' && e.closest('p') && e.closest('p').textContent.trim()
                 !== e.textContent.trim()))
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 24 || r.width < 24; })
  .map(e => e.outerHTML.slice(0, 80))
"""
"""Controls smaller than 24 px either way (WCAG 2.5.8), links inside a sentence excepted."""
