"""`serve --cohort` in a browser's place: sign-in, the gate, learners kept apart, the
instructor's pages. The real app under uvicorn (tests/cohort/webclient.py) over a real
SQLite file, and PostgreSQL with row security set up (the server connecting as the
non-owner role) when SRS_CRSS_TEST_PG_URL names a server."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from srs_crss.cohort.accounts import Role
from srs_crss.exams.profiles import DEFAULT_PROFILE
from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.web.instructor import cell
from srs_crss.web.signin import SESSION_COOKIE, safe_next
from tests.cohort.webclient import Answer, Client, serving
from tests.conftest import write_basic_deck
from tests.program.test_mock import write_mcq_deck

START = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
ALICE = "Aurelia Quintessa"
"""Learner A: a name found nowhere else, so a page showing it is a leak."""
BOB = "bob"
TEACHER = "Ms <b>Lee</b>"


@dataclass
class Where:
    """The database the server uses, and the owner's (the same URL on SQLite)."""

    server: str
    owner: str


def _at(later: dt.timedelta = dt.timedelta()) -> dict[str, str]:
    return {"SRS_CRSS_NOW": (START + later).isoformat()}


def _setup(owner: str, tmp_path: Path) -> None:
    with App(Settings(owner, "admin", environ=_at())) as app:
        app.sync(
            [write_basic_deck(tmp_path / "many.toml", 6), write_mcq_deck(tmp_path / "b.toml", 3)]
        )
        for name, role in ((ALICE, Role.LEARNER), (BOB, Role.LEARNER), (TEACHER, Role.INSTRUCTOR)):
            one_time = app.accounts.add(name, role).password
            app.accounts.change_password(name, one_time, PASSWORD)


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Where:
    if request.param == "sqlite":
        db = str(tmp_path / "cohort.db")
        _setup(db, tmp_path)
        return Where(db, db)
    owner = request.getfixturevalue("pg_url")
    from sqlalchemy.engine import make_url

    _setup(owner, tmp_path)
    role = f"srs_app_{uuid.uuid4().hex[:8]}"
    with App(Settings(owner, "admin", environ=_at())) as app:
        app.cohort.setup_database(role)
    return Where(make_url(owner).set(username=role).render_as_string(hide_password=False), owner)


@contextmanager
def _site(
    where: Where, later: dt.timedelta = dt.timedelta(), proxy: bool = False
) -> Iterator[Site]:
    with serving(Settings(where.server, "server", environ=_at(later)), proxy) as port:
        yield Site(port)


@dataclass
class Site:
    port: int

    def client(self) -> Client:
        return Client(self.port)

    def signed_in(self, name: str) -> Client:
        client = self.client()
        assert _sign_in(client, name).status_code == 303
        return client


@pytest.fixture
def site(where: Where) -> Iterator[Site]:
    with _site(where) as served:
        yield served


@pytest.fixture
def server(site: Site) -> Client:
    return site.client()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _step(html: str) -> str:
    """The review page's step: its forms carry it (a click sent twice changes nothing)."""
    found = re.search(r'name="step" value="(\d+)"', html)
    assert found, html
    return found.group(1)


def _post(client: Client, path: str, data: dict[str, str], page: str | None = None) -> Answer:
    """Post a form as its page does: the page's CSRF token, this site's Origin."""
    token = _csrf(client.get(page or path).text)
    return client.post(path, {"csrf": token, **data}, {"Origin": client.site})


def _sign_in(client: Client, name: str, password: str = PASSWORD, next: str = "/") -> Answer:
    return _post(client, "/signin", {"username": name, "password": password, "next": next})


# ---- the gate --------------------------------------------------------------------------


def test_every_page_but_sign_in_and_static_files_needs_sign_in(server: Client) -> None:
    for path in ("/", "/progress", "/review", "/exam", "/class", "/class.csv", "/items", "/flags"):
        response = server.get(path)
        assert response.status_code == 303, path
        expected = "/signin" if path == "/" else f"/signin?next={path}"
        assert response.headers["location"] == expected
    assert server.get("/password").headers["location"].startswith("/signin")
    assert server.get("/static/study.css").status_code == 200
    page = server.get("/signin")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'autocomplete="username"' in page.text
    assert 'name="password"' in page.text and 'autocomplete="current-password"' in page.text
    # a form posted with no session does nothing and goes to sign-in
    refused = server.post("/review", data={"mode": "due"}, headers={"Origin": server.site})
    assert refused.status_code == 303 and refused.headers["location"] == "/signin"


def test_next_is_kept_and_never_leads_off_the_site(server: Client) -> None:
    for bad in (
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "evil",
        "/signout",
        "",
    ):
        assert safe_next(bad) == "/"
    assert safe_next("/review?deck=many") == "/review?deck=many"
    gone = _sign_in(server, ALICE, next="//evil.example/x")
    assert gone.headers["location"] == "/"
    server.cookies.clear()
    back = _sign_in(server, ALICE, next="/progress")
    assert back.headers["location"] == "/progress"


def test_the_session_cookie(where: Where, site: Site) -> None:
    client = site.client()
    signed = _sign_in(client, ALICE)
    (cookie,) = [line for line in signed.cookies if line.startswith(f"{SESSION_COOKIE}=")]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    token = client.cookies[SESSION_COOKIE]
    assert len(token) >= 40 and ALICE not in token
    # a proxy's word that the browser used HTTPS is not taken without --proxy-headers
    https = {"X-Forwarded-Proto": "https"}
    stranger = site.client()
    stranger.get("/signin", headers=https)
    told = _post(stranger, "/signin", {"username": ALICE, "password": PASSWORD})
    assert not any("Secure" in line for line in told.cookies)
    with _site(where, proxy=True) as proxied:
        client = proxied.client()
        token = _csrf(client.get("/signin", headers=https).text)
        signed = client.post(
            "/signin",
            {"csrf": token, "username": ALICE, "password": PASSWORD},
            {"Origin": client.site, **https},
        )
        assert signed.status_code == 303
        assert any("Secure" in line for line in signed.cookies)


def test_a_wrong_password_is_said_plainly_then_the_wait_in_words(server: Client) -> None:
    wrong = _sign_in(server, ALICE, "not the password")
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.text
    assert "The name or the password is not right" in wrong.text
    assert SESSION_COOKIE not in server.cookies
    for _ in range(3):
        assert _sign_in(server, ALICE, "still not it").status_code == 400
    locked = _sign_in(server, ALICE, "still not it")
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Try again in 1 minute." in locked.text
    # while it lasts, even the right password waits
    assert _sign_in(server, ALICE).status_code == 429
    assert SESSION_COOKIE not in server.cookies


def test_the_first_sign_in_asks_for_a_new_password(where: Where, site: Site) -> None:
    with App(Settings(where.owner, "admin", environ=_at())) as app:
        one_time = app.accounts.add("newcomer").password
    client = site.client()
    first = _sign_in(client, "newcomer", one_time, next="/progress")
    assert first.headers["location"] == "/password?next=/progress"
    for path in ("/", "/progress", "/review"):  # nothing else until it is chosen
        assert client.get(path).headers["location"].startswith("/password")
    form = client.get("/password?next=/progress").text
    assert 'autocomplete="new-password"' in form and "Choose your own password" in form
    token = _csrf(form)
    post = {"csrf": token, "current": one_time, "next": "/progress"}
    headers = {"Origin": client.site}
    differ = client.post(
        "/password",
        data={**post, "new": "blue whale song", "again": "blue whale sang"},
        headers=headers,
    )
    assert differ.status_code == 400 and "not the same" in differ.text
    short = client.post(
        "/password", data={**post, "new": "short", "again": "short"}, headers=headers
    )
    assert "at least 10 characters" in short.text
    old_cookie = client.cookies[SESSION_COOKIE]
    done = client.post(
        "/password",
        data={**post, "new": "blue whale song", "again": "blue whale song"},
        headers=headers,
    )
    assert done.status_code == 303 and done.headers["location"] == "/progress"
    assert client.cookies[SESSION_COOKIE] != old_cookie
    assert client.get("/progress").status_code == 200
    client.cookies[SESSION_COOKIE] = old_cookie  # the one-time session ended with it
    assert client.get("/progress").headers["location"].startswith("/signin")
    client.cookies.clear()
    assert _sign_in(client, "newcomer", one_time).status_code == 400
    assert _sign_in(client, "newcomer", "blue whale song").headers["location"] == "/"


def test_sign_out_ends_the_session(server: Client) -> None:
    _sign_in(server, ALICE)
    token = server.cookies[SESSION_COOKIE]
    out = _post(server, "/signout", {}, page="/progress")
    assert out.status_code == 303 and out.headers["location"] == "/signin?signed-out=1"
    assert "You have signed out" in server.get("/signin?signed-out=1").text
    server.cookies[SESSION_COOKIE] = token
    assert server.get("/progress").headers["location"] == "/signin?next=/progress"


def test_sessions_expire_when_idle(where: Where) -> None:
    with _site(where) as site:
        token = site.signed_in(ALICE).cookies[SESSION_COOKIE]
    with _site(where, dt.timedelta(hours=11)) as later:
        client = later.client()
        client.cookies[SESSION_COOKIE] = token
        assert client.get("/progress").status_code == 200  # used: 12 more hours
    with _site(where, dt.timedelta(hours=24)) as next_day:
        client = next_day.client()
        client.cookies[SESSION_COOKIE] = token
        assert client.get("/progress").headers["location"] == "/signin?next=/progress"


# ---- learners kept apart ---------------------------------------------------------------


def _study(client: Client) -> list[str]:
    """Alice's study through the pages (a review with a flag, a practice exam), and every
    address her pages met."""
    met = ["/", "/progress", "/review", "/exam"]
    start = _post(client, "/review", {"mode": "due", "deck": "many"})
    sitting = start.headers["location"]
    met.append(sitting)
    html = client.get(sitting).text
    act = {"csrf": _csrf(html), "step": _step(html)}
    headers = {"Origin": client.site}
    client.post(sitting, data={**act, "action": "show"}, headers=headers)
    client.post(sitting, data={**act, "action": "grade", "grade": "4"}, headers=headers)
    act["step"] = _step(client.get(sitting).text)
    client.post(
        sitting, data={**act, "action": "flag", "note": f"{ALICE} says c01 is off"}, headers=headers
    )
    _post(client, "/progress", {"action": "exam-set", "exam_day": "2027-01-20"})
    exam = _post(client, "/exam", {"profile": DEFAULT_PROFILE, "questions": "3", "timing": "exam"})
    number = exam.headers["location"]
    met += [number, f"{number}/submit"]
    client.post(number, data={**act, "choice": "A", "action": "next"}, headers=headers)
    client.post(f"{number}/submit", data=act, headers=headers)
    met.append(f"{number}/result")
    for path in met:
        page = client.get(path)
        assert page.status_code in (200, 303), (path, page.status_code)
    assert ALICE in client.get("/").text
    return met


def test_every_address_alice_met_shows_bob_nothing_of_hers(where: Where, site: Site) -> None:
    alice = site.signed_in(ALICE)
    met = _study(alice)
    bob = site.signed_in(BOB)
    for path in met:
        page = bob.get(path)
        assert page.status_code in (200, 303, 404), path
        assert ALICE not in page.text, path
        assert "c01 is off" not in page.text
        assert "2027-01-20" not in page.text, path
        if page.status_code == 303:
            assert bob.get(page.headers["location"]).status_code == 200
    assert bob.get(met[4]).status_code == 404  # her review sitting is not his
    progress = bob.get("/progress").text
    assert "Signed in as bob" in progress
    # and nothing Bob did was written as Alice's, nor hers as his
    with App(Settings(where.owner, BOB, environ=_at())) as app:
        assert app.info().reviews == 0
    with App(Settings(where.owner, ALICE, environ=_at())) as app:
        assert app.info().reviews == 1


def test_a_form_from_another_site_or_without_its_token_changes_nothing(
    where: Where, site: Site
) -> None:
    alice = site.signed_in(ALICE)
    bob = site.signed_in(BOB)
    token = _csrf(alice.get("/progress").text)
    change = {"action": "exam-set", "exam_day": "2027-02-01"}
    tries = [
        ({"csrf": token, **change}, {"Origin": "https://evil.example"}),
        ({"csrf": token, **change}, {}),  # no Origin and no Referer
        ({**change}, {"Origin": alice.site}),
        ({"csrf": "x" * 64, **change}, {"Origin": alice.site}),
        ({"csrf": _csrf(bob.get("/progress").text), **change}, {"Origin": alice.site}),  # Bob's
    ]
    for data, headers in tries:
        assert alice.post("/progress", data=data, headers=headers).status_code == 403
    assert "2027-02-01" not in alice.get("/progress").text
    # the sign-in form too: from another site, no session is opened
    stranger = site.client()
    sign_token = _csrf(stranger.get("/signin").text)
    refused = stranger.post(
        "/signin",
        data={"csrf": sign_token, "username": ALICE, "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert refused.status_code == 403 and SESSION_COOKIE not in stranger.cookies
    stranger.cookies.clear()  # without the sign-in cookie its token is no good
    refused = stranger.post(
        "/signin",
        data={"csrf": sign_token, "username": ALICE, "password": PASSWORD},
        headers={"Origin": stranger.site},
    )
    assert refused.status_code == 403 and SESSION_COOKIE not in stranger.cookies


def test_a_learner_cannot_reach_the_instructors_pages(server: Client) -> None:
    _sign_in(server, ALICE)
    for path in ("/class", "/class.csv", "/items", "/flags"):
        page = server.get(path)
        assert page.status_code == 403, path
        assert "This page is for the class" in page.text
    token = _csrf(server.get("/progress").text)
    refused = server.post(
        "/class/exam",
        data={"csrf": token, "exam_day": "2027-01-01"},
        headers={"Origin": server.site},
    )
    assert refused.status_code == 403


def test_an_instructor_sees_the_class_and_answers_no_card(where: Where, site: Site) -> None:
    alice = site.signed_in(ALICE)
    _study(alice)
    teacher = site.signed_in(TEACHER)
    assert teacher.get("/").headers["location"] == "/class"
    page = teacher.get("/class")
    assert page.status_code == 200
    assert ALICE in page.text and "chance of passing" in page.text
    assert "Ms &lt;b&gt;Lee&lt;/b&gt;" in page.text and "<b>Lee</b>" not in page.text
    flags = teacher.get("/flags").text
    assert "c01 is off" in flags and "Source" in flags
    items = teacher.get("/items")
    assert items.status_code == 200 and "bank/q" in items.text
    for path in ("/review", "/progress", "/exam"):
        assert teacher.get(path).status_code == 403
    token = _csrf(page.text)
    for path, data in (
        ("/review", {"mode": "due"}),
        ("/progress", {"action": "exam-set", "exam_day": "2027-03-01"}),
    ):
        assert (
            teacher.post(
                path, data={"csrf": token, **data}, headers={"Origin": teacher.site}
            ).status_code
            == 403
        )
    set_it = teacher.post(
        "/class/exam",
        data={"csrf": token, "action": "set", "exam_day": "2027-03-01"},
        headers={"Origin": teacher.site},
    )
    assert set_it.status_code == 303
    assert "2027-03-01" in teacher.get("/class").text
    with App(Settings(where.owner, "admin", environ=_at())) as app:
        assert app.cohort.exam_dates() == {None: dt.date(2027, 3, 1)}


# ---- what a page or a spreadsheet shows ------------------------------------------------


def test_the_csv_never_starts_a_cell_like_a_formula(where: Where, site: Site) -> None:
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx"):
        assert cell(text) == "'" + text
    assert cell("plain") == "plain" and cell(None) == ""
    hostile = '=HYPERLINK("http://evil.example","x")'
    with App(Settings(where.owner, "admin", environ=_at())) as app:
        one_time = app.accounts.add(hostile).password
        app.accounts.change_password(hostile, one_time, PASSWORD)
    learner = site.signed_in(hostile)
    start = _post(learner, "/review", {"mode": "due", "deck": "many"})
    sitting = start.headers["location"]
    page = learner.get(sitting).text
    token, step = _csrf(page), _step(page)
    learner.post(
        sitting,
        data={"csrf": token, "step": step, "action": "show"},
        headers={"Origin": learner.site},
    )
    learner.post(
        sitting,
        data={"csrf": token, "step": step, "action": "grade", "grade": "4"},
        headers={"Origin": learner.site},
    )
    teacher = site.signed_in(TEACHER)
    download = teacher.get("/class.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0][0] == "learner"
    names = [row[0] for row in rows[1:]]  # the other accounts too: not studied yet
    assert "'" + hostile in names and hostile not in names
    assert not [name for name in names if name.startswith(("=", "+", "-", "@", "\t"))]
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row)


def test_hostile_names_are_shown_as_text(where: Where, site: Site) -> None:
    name = '<script>alert("x")</script>'
    with App(Settings(where.owner, "admin", environ=_at())) as app:
        one_time = app.accounts.add(name).password
        app.accounts.change_password(name, one_time, PASSWORD)
    learner = site.signed_in(name)
    page = learner.get("/progress").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)" in page
    _post(learner, "/review", {"mode": "due", "deck": "many"})
    teacher = site.signed_in(TEACHER)
    assert "<script>alert" not in teacher.get("/class").text


def test_host_and_proxy_headers_are_for_a_cohort_server(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from srs_crss.cli import app

    env = {"SRS_CRSS_DB": str(tmp_path / "x.db"), "NO_COLOR": "1"}
    for args in (["--host", "0.0.0.0"], ["--proxy-headers"], ["--cohort", "--lan"]):
        done = CliRunner().invoke(app, ["serve", "--no-browser", *args], env=env)
        assert done.exit_code == 2, args
        assert "--cohort" in done.output
    assert not (tmp_path / "x.db").exists()


def test_a_sibling_store_shares_the_engine_and_not_the_learner(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    _setup(db, tmp_path)
    with App(Settings(db, "server", environ=_at())) as server:
        for name in (ALICE, BOB):
            with App(Settings(db, name, environ=_at()), share=server) as desk:
                assert desk.store.db.engine is server.store.db.engine
                assert desk.store.db.acting is not server.store.db.acting
                desk.exam_dates.set("2027-01-0" + ("1" if name == ALICE else "2"), None)
        # closing the learners' Apps left the server's engine open
        assert server.accounts.resolve("no such token") is None
    with App(Settings(db, ALICE, environ=_at())) as alice:
        assert alice.store.exams.all(alice.reader_id) == {None: dt.date(2027, 1, 1)}


def test_no_page_shows_the_servers_secret_and_an_empty_token_matches_nothing(
    site: Site,
) -> None:
    from srs_crss.web.security import same_token

    assert not same_token("", "") and not same_token(None, "") and not same_token("a", "")
    missing = site.client().get("/nowhere")
    assert missing.status_code == 404
    assert 'name="csrf"' not in missing.text
