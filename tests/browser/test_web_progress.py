"""The progress page: the `stats` figures, charts with text alternatives, the exam date
and the settings, each change made there seen by the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.browser import web


def test_progress_shows_the_figures_and_changes_reach_the_command_line(
    browser: Any, server: tuple[str, Path]
) -> None:
    url, db = server
    page = browser.new_page()
    page.goto(url + "/")
    page.get_by_role("button", name="Start today's review").click()
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Perfect recall").click()
    page.get_by_role("group", name="Choose your answer").wait_for()
    page.get_by_role("link", name="Progress").click()
    main = page.locator("main")
    web.expect(main).to_contain_text("1 answered today, 100% right")
    # each chart is an image with a description saying what it shows
    year = page.get_by_role("img", name="Your year of study")
    assert year.get_attribute("aria-labelledby") == "year-title year-desc"
    assert "you answered 1 card on 1 day." in str(page.locator("#year-desc").text_content())
    assert page.get_by_role("img", name="The next 30 days").count() == 1
    page.get_by_text("The numbers, day by day").click()
    assert page.locator("details table tbody tr").count() == 30

    page.locator("#exam_day").fill("2099-01-01")
    page.get_by_role("button", name="Save the exam date").click()
    web.expect(main).to_contain_text("Your exam is on 2099-01-01")
    page.get_by_label("New cards a day").fill("7")
    page.locator("form", has=page.get_by_label("New cards a day")).get_by_role(
        "button", name="Save"
    ).click()
    web.expect(page.get_by_label("New cards a day")).to_have_value("7")
    page.get_by_label("The hour (0-23, local time) a new study day starts").fill("99")
    page.locator("form", has=page.locator("#setting-rollover-hour")).get_by_role(
        "button", name="Save"
    ).click()
    web.expect(page.get_by_role("alert")).to_contain_text("from 0 to 23")

    shown = web.run(db, "config", "show", "--json")
    settings = {row["key"]: row["value"] for row in json.loads(shown.stdout)}
    assert (settings["new-per-day"], settings["rollover-hour"]) == ("7", "4")
    assert "January 2099" in web.run(db, "exam", "show").stdout

    page.get_by_role("button", name="Clear the exam date").click()
    web.expect(main).to_contain_text("No exam date set")
    assert "January 2099" not in web.run(db, "exam", "show").stdout
