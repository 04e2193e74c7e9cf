"""The multiple-choice card in Anki, in a real browser.

The card's question and answer HTML are rendered by Anki's own library from an
exported package, then shown in headless Chromium (Debian's `chromium`, driven
by Playwright, as in the web front end's tests: tests/browser/web.py) the two ways
Anki clients show a card: the desktop and AnkiMobile swap the HTML inside one
page (scripts re-run, as Anki's reviewer does), AnkiDroid loads each side as its
own page.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

anki_collection = pytest.importorskip("anki.collection")

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
def page(browser: Any) -> Iterator[Any]:
    """One tab for the module's tests (the browser fixture: tests/browser/conftest.py)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _choices(page: Any) -> list[Any]:
    return list(page.locator("ol.choices li").all())


def _texts(page: Any) -> list[str]:
    return [li.inner_text() for li in _choices(page)]


def _verdict(page: Any) -> str:
    return str(page.locator(".srs-verdict").inner_text())


def _classes(page: Any, text: str) -> set[str]:
    (li,) = [li for li in _choices(page) if li.inner_text() == text]
    return set((li.get_attribute("class") or "").split())


def _show(page: Any, html: str) -> None:
    page.evaluate("html => srsShow(html)", html)


def _desktop(page: Any, site: str, sides: tuple[str, str], pick: str | None) -> list[str]:
    """Front, a tap on `pick`, then back, in one page (desktop and AnkiMobile)."""
    page.goto(f"{site}/reader.html")
    _show(page, sides[0])
    front = _texts(page)
    if pick is not None:
        (li,) = [li for li in _choices(page) if li.inner_text() == pick]
        li.click()
        assert "srs-picked" in _classes(page, pick)
    _show(page, sides[1])
    return front


def _android(page: Any, site: str, name: str, pick: str | None) -> list[str]:
    """Front and back as two pages of one tab (AnkiDroid)."""
    page.goto(f"{site}/{name}-q.html")
    front = _texts(page)
    if pick is not None:
        (li,) = [li for li in _choices(page) if li.inner_text() == pick]
        li.click()
    page.goto(f"{site}/{name}-a.html")
    return front


@pytest.mark.parametrize("client", ["desktop", "android"])
def test_a_right_pick_is_marked_right(page: Any, site: str, sides: Any, client: str) -> None:
    if client == "desktop":
        front = _desktop(page, site, sides["quality"], "Empathy")
    else:
        front = _android(page, site, "quality", "Empathy")
    assert _texts(page) == front  # the back keeps the order shown on the front
    assert {"srs-right", "srs-picked"} <= _classes(page, "Empathy")
    letter = "ABCD"[front.index("Empathy")]
    assert _verdict(page) == f"Right: you picked {letter}."
    assert page.locator(".srs-answer").inner_text() == f"{letter}. Empathy"


@pytest.mark.parametrize("client", ["desktop", "android"])
def test_a_wrong_pick_is_marked_wrong_next_to_the_answer(
    page: Any, site: str, sides: Any, client: str
) -> None:
    if client == "desktop":
        front = _desktop(page, site, sides["quality"], "Charisma")
    else:
        front = _android(page, site, "quality", "Charisma")
    assert _texts(page) == front
    assert "srs-wrong" in _classes(page, "Charisma")
    assert "srs-right" in _classes(page, "Empathy")
    assert _verdict(page) == f"Not this time: you picked {'ABCD'[front.index('Charisma')]}."
    assert "Empathy builds trust." in page.locator(".explanation").inner_text()


def test_no_pick_says_so(page: Any, site: str, sides: Any) -> None:
    _desktop(page, site, sides["quality"], None)
    assert _verdict(page) == "No choice picked."
    assert "srs-right" in _classes(page, "Empathy")


def test_choices_are_shuffled_each_time_the_card_is_shown(page: Any, site: str, sides: Any) -> None:
    page.goto(f"{site}/reader.html")
    orders = set()
    for _ in range(20):
        _show(page, sides["quality"][0])
        orders.add(tuple(_texts(page)))
    assert len(orders) >= 2
    assert all(
        sorted(order) == sorted(["Charisma", "Empathy", "Assertiveness", "Expertise"])
        for order in orders
    )


def test_field_text_stays_text(page: Any, site: str, sides: Any) -> None:
    front = _desktop(page, site, sides["tricky"], 'Tom & "Jerry"')
    assert sorted(front) == sorted(
        ["<img src=x onerror=\"document.title='owned'\">", 'Tom & "Jerry"', "a < b", "plain"]
    )
    assert page.locator("#qa img").count() == 0
    assert page.title() != "owned"
    assert "srs-right" in _classes(page, 'Tom & "Jerry"')
    assert page.locator(".question").inner_text() == "Which one is <b>text</b>?"


def test_without_javascript_the_static_list_is_shown(browser: Any, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/quality-q.html")
        assert _texts(page) and sorted(_texts(page)) == sorted(
            ["Charisma", "Empathy", "Assertiveness", "Expertise"]
        )
        live = page.locator("ol.choices").get_attribute("class")
        assert "srs-live" not in (live or "")
        page.goto(f"{site}/quality-a.html")
        assert page.locator(".srs-verdict").count() == 0
        assert page.locator(".srs-answer").inner_text().endswith(". Empathy")
    finally:
        context.close()
