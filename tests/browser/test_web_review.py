"""`srs-crss serve`: the review in real headless Chromium, as a learner uses it.

Keyboard only, by touch on a phone-sized page, and with scripts off; every
answer must land in the same database `srs-crss stats` reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.browser import web

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def _letter_of(page: Any, text: str) -> str:
    """The letter the page shows for a choice (the order is shuffled per card)."""
    label = page.locator("label", has_text=text)
    return str(label.get_attribute("for")).rsplit("-", 1)[1].lower()


def _answer_heading(page: Any) -> Any:
    return page.get_by_role("heading", name="Answer", exact=True)


def test_a_keyboard_only_session_lands_in_stats(browser: Any, server: tuple[str, Path]) -> None:
    url, db = server
    page = browser.new_page()
    page.goto(url + "/")
    web.script_ready(page)
    # to the start button with Tab alone: skip link, brand, three nav links, two links
    start = page.get_by_role("button", name="Start today's review")
    for _ in range(20):
        page.keyboard.press("Tab")
        if start.evaluate("b => b === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.get_by_text("Card id: web/one").wait_for()
    assert page.locator("[data-focus]").evaluate("h => h === document.activeElement")
    page.keyboard.press("Space")  # show the answer
    _answer_heading(page).wait_for()
    page.keyboard.press("4")
    page.get_by_role("group", name="Choose your answer").wait_for()
    page.keyboard.press(_letter_of(page, "Empathy"))
    page.locator("[data-verdict]").wait_for()
    assert page.locator("[data-verdict]").inner_text() == "Correct."
    web.expect(page.locator("#announce")).to_have_text("Correct.")  # the live region
    page.keyboard.press("Enter")  # the default grade after a right pick: 4
    page.get_by_text("Card id: web/two").wait_for()
    page.keyboard.press("Enter")
    _answer_heading(page).wait_for()
    page.keyboard.press("1")  # wrong: the card comes back today
    page.get_by_text("Card 4 ·").wait_for()
    page.get_by_text("Card id: web/two").wait_for()
    page.keyboard.press("u")  # take it back: the same card, its answer unrecorded
    page.get_by_text("Took back your answer to web/two").wait_for()
    page.keyboard.press("5")  # graded without looking: as sure as that
    page.get_by_role("heading", name="Session over").wait_for()
    assert "3 answered" in page.inner_text("main")
    today = web.stats(db)["today"]
    assert (today["reviewed"], today["due"]) == (3, 0)
    shown = web.run(db, "show", "web/two", "--json")
    assert [r["grade"] for r in json.loads(shown.stdout)["history"]] == [5]


def test_a_multiple_choice_card_answered_by_tapping_on_a_phone(
    browser: Any, server: tuple[str, Path]
) -> None:
    url, db = server
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url + "/")
    page.get_by_role("button", name="Start today's review").tap()
    page.get_by_role("button", name="Show answer").tap()
    page.get_by_role("button", name="Right, after hesitation").tap()
    page.locator("label", has_text="Charisma").tap()
    assert page.get_by_role("radio", name="Charisma").is_checked()
    page.get_by_role("button", name="Check my answer").tap()
    verdict = page.locator("[data-verdict]")
    verdict.wait_for()
    assert verdict.inner_text() == "Not quite."
    assert "Empathy builds trust." in page.inner_text("main")
    assert "Source: Peer guide, page 3" in page.inner_text("main")
    # after a wrong pick only the grades 0-2 are offered
    assert page.locator(".grades button").count() == 3
    page.get_by_role("button", name="Wrong; remembered on seeing the answer").tap()
    page.get_by_text("Card id: web/two").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
    shown = web.run(db, "show", "web/pick", "--json")
    assert '"grade": 1' in shown.stdout


def test_the_whole_review_works_with_scripts_off(browser: Any, server: tuple[str, Path]) -> None:
    url, db = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/review")
    page.get_by_label("Domain").select_option("Mentoring")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/review/*")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_text("Lived experience").wait_for()
    page.get_by_role("button", name="Perfect recall").click()
    page.get_by_text("Card id: web/two").wait_for()  # the multiple-choice card is not Mentoring
    page.get_by_text("Flag this card as wrong").click()
    page.get_by_label("What looks wrong?").fill("The answer <script>x</script> is too long")
    page.get_by_role("button", name="Send flag").click()
    page.get_by_text("Flagged for the deck's authors").wait_for()
    page.get_by_role("button", name="Suspend this card").click()
    page.get_by_role("heading", name="Session over").wait_for()
    page.reload()  # a reload shows the page again; it does not post twice
    page.get_by_role("heading", name="Session over").wait_for()
    context.close()
    figures = web.stats(db)
    assert (figures["today"]["reviewed"], figures["suspended"]) == (1, 1)
    flags = web.run(db, "flags")
    assert "The answer <script>x</script> is too long" in flags.stdout
