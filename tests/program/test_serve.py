"""`srs-crss serve` as another site (or device) would meet it: the real server, plain HTTP.

Any page the learner opens could post a form to 127.0.0.1, and a site can
rebind its name to 127.0.0.1 to read pages: every POST needs this run's CSRF
token and its own origin, every request a Host naming this machine (or the
--lan token), and every response the security headers.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from srs_crss.web import server as web_server
from tests.browser import web


def _request(
    url: str, method: str, path: str, body: dict[str, str] | None = None, **headers: str
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    sent = {"Host": parts.netloc, **{k.replace("_", "-"): v for k, v in headers.items()}}
    data = urlencode(body) if body is not None else None
    if data is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    response.read()
    return response


def _page(url: str, path: str) -> str:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse().read().decode()


def _csrf(url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', _page(url, "/"))
    assert found
    return found.group(1)


def _start(url: str) -> str:
    """A review started as the page's own form does: the sitting's address."""
    response = _request(url, "POST", "/review", {"csrf": _csrf(url), "mode": "due"}, Origin=url)
    assert response.status == 303
    return str(response.getheader("location"))


def test_every_response_carries_the_security_headers(server: tuple[str, Path]) -> None:
    url, _ = server
    for path in ("/", "/review", "/progress", "/static/study.js", "/nowhere"):
        response = _request(url, "GET", path)
        csp = response.getheader("content-security-policy") or ""
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.getheader("x-content-type-options") == "nosniff"


def test_no_page_holds_an_inline_script(server: tuple[str, Path]) -> None:
    url, _ = server
    sitting = _start(url)
    for path in ("/", "/review", "/progress", sitting):
        html = _page(url, path)
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        assert re.findall(r"\son[a-z]+=", html) == []


def test_a_post_without_the_token_or_from_another_site_changes_nothing(
    server: tuple[str, Path],
) -> None:
    url, db = server
    sitting = _start(url)
    token = _csrf(url)
    grade = {"action": "grade", "grade": "5", "step": "0"}  # as the page's form sends it
    refused = [
        _request(url, "POST", sitting, grade, Origin=url).status,
        _request(url, "POST", sitting, {**grade, "csrf": "guess"}, Origin=url).status,
        _request(
            url, "POST", sitting, {**grade, "csrf": token}, Origin="http://evil.example"
        ).status,
        _request(url, "POST", sitting, {**grade, "csrf": token}).status,  # no Origin, no Referer
    ]
    assert refused == [403, 403, 403, 403]
    assert web.stats(db)["today"]["reviewed"] == 0
    # the same answer from the page itself is taken
    assert _request(url, "POST", sitting, {**grade, "csrf": token}, Origin=url).status == 303
    assert web.stats(db)["today"]["reviewed"] == 1


def test_a_site_rebinding_its_name_to_this_machine_is_refused(server: tuple[str, Path]) -> None:
    url, _ = server
    assert _request(url, "GET", "/", Host="evil.example").status == 403
    assert _request(url, "GET", "/", Host="localhost:1").status == 200


def test_with_lan_another_host_name_needs_the_printed_token(tmp_path: Path, deck_db: Path) -> None:
    db = tmp_path / "study.db"
    shutil.copyfile(deck_db, db)
    printed: list[str] = []
    with web.served(db, "--lan", printed=printed) as (url, _):
        link = re.search(r"(http://\S+)/\?token=(\S+)", "".join(printed))
        assert link, printed
        phone = urlsplit(link.group(1)).netloc
        assert _request(url, "GET", "/", Host=phone).status == 403
        assert _request(url, "GET", "/?token=wrong", Host=phone).status == 403
        first = _request(url, "GET", f"/?token={link.group(2)}", Host=phone)
        assert first.status == 303 and first.getheader("location") == "/"
        cookie = str(first.getheader("set-cookie"))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        again = _request(url, "GET", "/", Host=phone, Cookie=cookie.split(";")[0])
        assert again.status == 200
    assert "\u2580" in "".join(printed) or "\u2584" in "".join(printed)  # the QR code


def test_serve_listens_only_on_this_machine_unless_lan() -> None:
    where = web_server.listen(0, lan=False)
    try:
        assert where.sock.getsockname()[0] == "127.0.0.1"
    finally:
        where.sock.close()


def test_answers_are_not_held_back_by_nagle() -> None:
    # asyncio sets TCP_NODELAY on accepted sockets only when the listening socket's
    # proto is IPPROTO_TCP (0 before): each page then waited ~40 ms for a delayed ACK
    where = web_server.listen(0, lan=False)
    client = socket.create_connection(("127.0.0.1", where.port))
    accepted, _ = where.sock.accept()
    try:
        assert accepted.proto == socket.IPPROTO_TCP
    finally:
        for open_socket in (accepted, client, where.sock):
            open_socket.close()


def test_a_busy_port_is_a_plain_message(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        done = web.run(tmp_path / "x.db", "serve", "--no-browser", "--port", str(port))
    finally:
        taken.close()
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: port {port} is in use by another program")
    assert "Traceback" not in done.stderr


def test_the_progress_page_shows_the_exam_day_forecast(server: tuple[str, Path]) -> None:
    url, _ = server
    page = _page(url, "/progress")
    assert "Will I pass?" in page
    found = re.search(r"Expected score: <strong>(\d+)%</strong> \(pass mark (\d+)%", page)
    assert found, page
    assert "Chance of passing: <strong>" in page and "Studied" in page


def test_the_home_page_plans_today_once_an_exam_date_is_set(server: tuple[str, Path]) -> None:
    url, db = server
    assert "Your plan for today" not in _page(url, "/")  # no exam date: no plan
    assert web.run(db, "exam", "set", "2099-01-01").returncode == 0
    page = _page(url, "/")
    assert "Your plan for today" in page
    assert re.search(r"<strong>\d+%</strong> expected \(pass mark 68%\)", page), page
    # the deck's one unseen exam question is in Advocacy: the plan's button learns it
    assert "Learn 1 new from Advocacy" in page
    form = re.search(r'name="domain" value="Advocacy">\s*<input type="hidden" name="new" '
                     r'value="1">', page)  # fmt: skip
    assert form, page
    started = _request(url, "POST", "/review",
                       {"csrf": _csrf(url), "mode": "due", "domain": "Advocacy", "new": "1"},
                       Origin=url)  # fmt: skip
    assert started.status == 303
    assert "Which quality matters most?" in _page(url, str(started.getheader("location")))


def test_a_quiz_on_one_domain_starts_from_a_post_and_an_unknown_one_is_refused(
    server: tuple[str, Path],
) -> None:
    url, db = server
    quiz = {"csrf": _csrf(url), "profile": "crss", "questions": "3"}
    refused = _request(url, "POST", "/exam", {**quiz, "domain": "Cooking"}, Origin=url)
    assert refused.status == 400
    assert "mock" not in web.stats(db) or not web.stats(db)["mock_exams"]["latest"]
    started = _request(url, "POST", "/exam", {**quiz, "domain": "Advocacy"}, Origin=url)
    assert started.status == 303
    first = _page(url, str(started.getheader("location")))
    assert "Question 1 of 3" in first and "· Advocacy" in first


def test_a_grade_sent_twice_does_not_answer_the_next_card_unseen(
    server: tuple[str, Path],
) -> None:
    """A double click, a request the browser sends again, or an old tab: the second
    grade is for a card already answered, so nothing changes (the page says so)."""
    url, db = server
    sitting = _start(url)
    page = _page(url, sitting)
    step = re.search(r'name="step" value="(\d+)"', page)
    assert step and step.group(1) == "0"
    grade = {"csrf": _csrf(url), "action": "grade", "grade": "5", "step": "0"}
    for _ in range(2):
        assert _request(url, "POST", sitting, grade, Origin=url).status == 303
    assert web.stats(db)["today"]["reviewed"] == 1
    after = _page(url, sitting)
    assert "That click was for a card you had already answered, so nothing changed." in after
    assert 'name="step" value="1"' in after
    # the next card's own forms are taken
    show = {"csrf": grade["csrf"], "action": "show", "step": "1"}
    assert _request(url, "POST", sitting, show, Origin=url).status == 303
    assert "nothing changed" not in _page(url, sitting)
