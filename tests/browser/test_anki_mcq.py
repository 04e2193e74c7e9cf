"""The multiple-choice card in Anki, in a real browser.

The card's question and answer HTML are rendered by Anki's own library from an
exported package, then shown in headless Chromium (Debian's `chromium` and
`chromium-driver`, driven by Selenium) the two ways Anki clients show a card:
the desktop and AnkiMobile swap the HTML inside one page (scripts re-run, as
Anki's reviewer does), AnkiDroid loads each side as its own page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest

anki_collection = pytest.importorskip("anki.collection")
webdriver = pytest.importorskip("selenium.webdriver")
By = pytest.importorskip("selenium.webdriver.common.by").By

BROWSER_ENV = "SRS_CRSS_TEST_BROWSER"
DECK = """\
[deck]
id = "mcq"
name = "MCQ deck"

[[cards]]
id = "quality"
type = "mcq"
front = "Which quality matters most?"
choices = ["Charisma", "Empathy", "Assertiveness", "Expertise"]
answer = "Empathy"
explanation = "Empathy builds trust."
domain = "Advocacy"

[[cards]]
id = "tricky"
type = "mcq"
front = "Which one is <b>text</b>?"
choices = [
  "<img src=x onerror=\\"document.title='owned'\\">", "Tom & \\"Jerry\\"", "a < b", "plain",
]
answer = "Tom & \\"Jerry\\""
explanation = "Markup in a field is shown as text."
domain = "Advocacy"
"""

READER = """<!doctype html><html><head><meta charset="utf-8"></head>
<body class="card"><div id="qa"></div>
<script>
// As Anki's reviewer does: put the side's HTML in the page, then run its scripts.
function srsShow(html) {
  var qa = document.getElementById("qa");
  qa.innerHTML = html;
  Array.prototype.slice.call(qa.querySelectorAll("script")).forEach(function (old) {
    var s = document.createElement("script");
    s.textContent = old.textContent;
    old.parentNode.replaceChild(s, old);
  });
}
</script></body></html>"""


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    if os.environ.get(BROWSER_ENV):
        pytest.fail("chromium and chromedriver are not installed, yet the test run expects them")
    pytest.skip("chromium/chromedriver are not installed (.ci/run installs Debian's packages)")


def _driver(javascript: bool = True) -> Any:
    browser, driver = _binaries()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=options, service=Service(driver))


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Question and answer HTML of each card, as Anki renders them after an import."""
    from typer.testing import CliRunner

    from srs_crss.cli import app

    tmp = tmp_path_factory.mktemp("mcq")
    deck = tmp / "mcq.toml"
    deck.write_text(DECK, encoding="utf-8")
    env = {"SRS_CRSS_DB": str(tmp / "db.sqlite"), "SRS_CRSS_LEARNER": "alex"}
    runner = CliRunner()
    for args in (
        ["sync", str(deck)],
        ["export-anki", "--deck", "mcq", "--out", str(tmp / "m.apkg")],
    ):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    col = anki_collection.Collection(str(tmp / "collection.anki2"))
    try:
        col.import_anki_package(
            anki_collection.ImportAnkiPackageRequest(
                package_path=str(tmp / "m.apkg"),
                options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        found = {}
        for name in ("quality", "tricky"):
            (cid,) = col.find_cards(f'"CardId:mcq/{name}"')
            card = col.get_card(cid)
            found[name] = (card.question(), card.answer())
        return found
    finally:
        col.close()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, sides: dict[str, tuple[str, str]]
) -> Iterator[str]:
    """The pages on a local web server (sessionStorage needs a real origin)."""
    root = tmp_path_factory.mktemp("site")
    (root / "reader.html").write_text(READER, encoding="utf-8")
    page = (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body class="card">{}</body></html>'
    )
    for name, (question, answer) in sides.items():
        (root / f"{name}-q.html").write_text(page.format(question), encoding="utf-8")
        (root / f"{name}-a.html").write_text(page.format(answer), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _driver()
    yield driver
    driver.quit()


def _choices(driver: Any) -> list[Any]:
    return list(driver.find_elements(By.CSS_SELECTOR, "ol.choices li"))


def _texts(driver: Any) -> list[str]:
    return [li.text for li in _choices(driver)]


def _verdict(driver: Any) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, ".srs-verdict").text)


def _classes(driver: Any, text: str) -> set[str]:
    (li,) = [li for li in _choices(driver) if li.text == text]
    return set((li.get_attribute("class") or "").split())


def _desktop(driver: Any, site: str, sides: tuple[str, str], pick: str | None) -> list[str]:
    """Front, a tap on `pick`, then back, in one page (desktop and AnkiMobile)."""
    driver.get(f"{site}/reader.html")
    driver.execute_script("srsShow(arguments[0])", sides[0])
    front = _texts(driver)
    if pick is not None:
        (li,) = [li for li in _choices(driver) if li.text == pick]
        li.click()
        assert "srs-picked" in _classes(driver, pick)
    driver.execute_script("srsShow(arguments[0])", sides[1])
    return front


def _android(driver: Any, site: str, name: str, pick: str | None) -> list[str]:
    """Front and back as two pages of one tab (AnkiDroid)."""
    driver.get(f"{site}/{name}-q.html")
    front = _texts(driver)
    if pick is not None:
        (li,) = [li for li in _choices(driver) if li.text == pick]
        li.click()
    driver.get(f"{site}/{name}-a.html")
    return front


@pytest.mark.parametrize("client", ["desktop", "android"])
def test_a_right_pick_is_marked_right(browser: Any, site: str, sides: Any, client: str) -> None:
    if client == "desktop":
        front = _desktop(browser, site, sides["quality"], "Empathy")
    else:
        front = _android(browser, site, "quality", "Empathy")
    assert _texts(browser) == front  # the back keeps the order shown on the front
    assert {"srs-right", "srs-picked"} <= _classes(browser, "Empathy")
    letter = "ABCD"[front.index("Empathy")]
    assert _verdict(browser) == f"Right: you picked {letter}."
    assert browser.find_element(By.CSS_SELECTOR, ".srs-answer").text == f"{letter}. Empathy"


@pytest.mark.parametrize("client", ["desktop", "android"])
def test_a_wrong_pick_is_marked_wrong_next_to_the_answer(
    browser: Any, site: str, sides: Any, client: str
) -> None:
    if client == "desktop":
        front = _desktop(browser, site, sides["quality"], "Charisma")
    else:
        front = _android(browser, site, "quality", "Charisma")
    assert _texts(browser) == front
    assert "srs-wrong" in _classes(browser, "Charisma")
    assert "srs-right" in _classes(browser, "Empathy")
    assert _verdict(browser) == f"Not this time: you picked {'ABCD'[front.index('Charisma')]}."
    assert "Empathy builds trust." in browser.find_element(By.CSS_SELECTOR, ".explanation").text


def test_no_pick_says_so(browser: Any, site: str, sides: Any) -> None:
    _desktop(browser, site, sides["quality"], None)
    assert _verdict(browser) == "No choice picked."
    assert "srs-right" in _classes(browser, "Empathy")


def test_choices_are_shuffled_each_time_the_card_is_shown(
    browser: Any, site: str, sides: Any
) -> None:
    browser.get(f"{site}/reader.html")
    orders = set()
    for _ in range(20):
        browser.execute_script("srsShow(arguments[0])", sides["quality"][0])
        orders.add(tuple(_texts(browser)))
    assert len(orders) >= 2
    assert all(
        sorted(order) == sorted(["Charisma", "Empathy", "Assertiveness", "Expertise"])
        for order in orders
    )


def test_field_text_stays_text(browser: Any, site: str, sides: Any) -> None:
    front = _desktop(browser, site, sides["tricky"], 'Tom & "Jerry"')
    assert sorted(front) == sorted(
        ["<img src=x onerror=\"document.title='owned'\">", 'Tom & "Jerry"', "a < b", "plain"]
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "#qa img")
    assert browser.title != "owned"
    assert "srs-right" in _classes(browser, 'Tom & "Jerry"')
    assert browser.find_element(By.CSS_SELECTOR, ".question").text == "Which one is <b>text</b>?"


def test_without_javascript_the_static_list_is_shown(site: str) -> None:
    driver = _driver(javascript=False)
    try:
        driver.get(f"{site}/quality-q.html")
        assert _texts(driver) and sorted(_texts(driver)) == sorted(
            ["Charisma", "Empathy", "Assertiveness", "Expertise"]
        )
        live = driver.find_element(By.CSS_SELECTOR, "ol.choices").get_attribute("class")
        assert "srs-live" not in (live or "")
        driver.get(f"{site}/quality-a.html")
        assert not driver.find_elements(By.CSS_SELECTOR, ".srs-verdict")
        assert driver.find_element(By.CSS_SELECTOR, ".srs-answer").text.endswith(". Empathy")
    finally:
        driver.quit()
