"""Signing in to a cohort server (`serve --cohort`): the gate, the pages, the cookies.

Everything but the sign-in page and the static files needs a signed-in account.
The learner a request acts for comes from its session cookie alone, never from
the address, a form or a header: the gate resolves the cookie's token
(App.accounts.resolve) and hands the page that account's own `Web` (base.py,
`Web.desk`). The cookie holds a random token (only its hash is stored), HttpOnly,
SameSite=Lax, Path=/, and Secure when the request came over HTTPS (as uvicorn
reports it: from X-Forwarded-Proto only with --proxy-headers). Every form, the
sign-in form too, carries a CSRF token bound to the session (before sign-in, to a
cookie of its own) and is refused from another origin (Web.posted). Checking a
password (argon2id, tens of milliseconds) runs on a worker thread, so a class
signing in at once does not hold up everyone's answers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError
from srs_crss.web import security
from srs_crss.web.base import Web, see_other

SESSION_COOKIE = "srs_crss_session"
SIGN_IN_COOKIE = "srs_crss_signin"
"""Before sign-in: the random value the sign-in form's CSRF token is bound to."""
COOKIE_LIFE = 14 * 24 * 3600
"""Seconds: the longest a session lasts (the server ends it sooner when idle)."""
EXPIRE_EVERY = dt.timedelta(hours=1)
"""How often the server deletes ended sessions and old failed sign-ins."""
MAX_NEXT = 1000


class Need(Enum):
    """Who may open a page of a cohort server."""

    ANYONE = "anyone"
    """The sign-in page."""
    SIGNED_IN = "signed in"
    """Choosing a password, signing out: any account, even one that must choose first."""
    LEARNER = "learner"
    INSTRUCTOR = "instructor"


Handler = Callable[[Web, Request], Awaitable[Response]]

INSTRUCTOR_STUDIES_NOT = (
    "An instructor's account sees the class and studies nothing, so there is nothing "
    "of yours to show here. The class is at /class."
)
LEARNER_ONLY_SELF = (
    "This page is for the class's instructor. Your own progress is on the Progress page."
)


def safe_next(value: object) -> str:
    """A local address to go back to after signing in ("/" unless it is plainly one of
    this server's own paths: never another site, so no open redirect)."""
    text = value if isinstance(value, str) else ""
    if (
        not text.startswith("/")
        or text.startswith(("//", "/\\"))
        or len(text) > MAX_NEXT
        or any(ord(char) < 0x21 or ord(char) == 0x7F or char == "\\" for char in text)
        or text.startswith(("/signin", "/signout"))
    ):
        return "/"
    return text


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def to_sign_in(request: Request) -> Response:
    """Off to the sign-in page, coming back here afterwards (a GET only: a form posted
    without a session is not replayed)."""
    back = _here(request) if request.method == "GET" else "/"
    target = "/signin" if back == "/" else f"/signin?next={quote(safe_next(back), safe='/')}"
    return see_other(target)


def _is_instructor(account: Any) -> bool:
    return str(account.role) == "instructor"


def gate(web: Web, handler: Handler, need: Need) -> Callable[[Request], Awaitable[Response]]:
    """The page `handler`, opened only to whom `need` allows, given the right `Web`."""

    async def endpoint(request: Request) -> Response:
        _expire_now_and_then(web)
        if need is Need.ANYONE:
            return await _before_sign_in(web, handler, request)
        token = request.cookies.get(SESSION_COOKIE, "")
        account = web.app.accounts.resolve(token) if token else None
        if account is None:
            return to_sign_in(request)
        request.state.account = account
        request.state.csrf = security.derived(web.secrets.csrf, "session", token)
        if account.must_change and need is not Need.SIGNED_IN:
            back = safe_next(_here(request)) if request.method == "GET" else "/"
            return see_other("/password" if back == "/" else f"/password?next={quote(back)}")
        instructor = _is_instructor(account)
        if need is Need.LEARNER and instructor:
            if request.url.path == "/" and request.method == "GET":
                return see_other("/class")
            return web.page(request, "error.html", 403, message=INSTRUCTOR_STUDIES_NOT)
        if need is Need.INSTRUCTOR and not instructor:
            return web.page(request, "error.html", 403, message=LEARNER_ONLY_SELF)
        desk = web if need is Need.SIGNED_IN else web.desk(account.name, account.created_at)
        return await handler(desk, request)

    return endpoint


async def _before_sign_in(web: Web, handler: Handler, request: Request) -> Response:
    """The sign-in page: its form's token is bound to a cookie of its own."""
    value = request.cookies.get(SIGN_IN_COOKIE, "")
    fresh = not (16 <= len(value) <= 100)
    if fresh:
        value = secrets.token_urlsafe(24)
    request.state.csrf = security.derived(web.secrets.csrf, "signin", value)
    response = await handler(web, request)
    if fresh:
        response.set_cookie(
            SIGN_IN_COOKIE,
            value,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )
    return response


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _expire_now_and_then(web: Web) -> None:
    now = dt.datetime.now(dt.UTC)
    last = web.cache.get("expired_at")
    if last is None or now - last >= EXPIRE_EVERY:
        web.cache["expired_at"] = now
        try:
            web.app.accounts.expire()
        except SrsError:
            pass  # the database is busy or away: the next hour tries again


def _set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=COOKIE_LIFE,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def _client(request: Request) -> str:
    """The address sign-in waits count (the proxy's client with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


# ---- the pages ------------------------------------------------------------------------


async def sign_in_form(web: Web, request: Request) -> Response:
    signed_out = request.query_params.get("signed-out") == "1"
    return _sign_in_page(
        web, request, 200, [], "", safe_next(request.query_params.get("next")), signed_out
    )


def _sign_in_page(
    web: Web,
    request: Request,
    status: int,
    errors: list[tuple[str, str]],
    username: str,
    back: str,
    signed_out: bool = False,
) -> Response:
    return web.page(
        request,
        "signin.html",
        status,
        errors=errors,
        username=username,
        next=back,
        signed_out=signed_out,
    )


async def sign_in(web: Web, request: Request) -> Response:
    form = await web.posted(request)
    username = str(form.get("username") or "")[:200]
    password = str(form.get("password") or "")
    back = safe_next(form.get("next"))
    errors = []
    if not username.strip():
        errors.append(("username", "Enter your name, as your instructor gave it to you."))
    if not password:
        errors.append(("password", "Enter your password."))
    if errors:
        return _sign_in_page(web, request, 400, errors, username, back)
    try:
        signed = await run_in_threadpool(
            web.app.accounts.sign_in, username, password, _client(request)
        )
    except SrsError as exc:
        wait = getattr(exc, "wait", None)
        if wait is not None:
            message = (
                f"Too many failed sign-ins. Try again in {wait}. If you have forgotten "
                "your password, ask your instructor for a new one-time password."
            )
            return _sign_in_page(web, request, 429, [("username", message)], username, back)
        message = (
            "The name or the password is not right. Check both and try again; if you have "
            "forgotten your password, ask your instructor for a new one."
        )
        if "expired" in str(exc):
            message = _sentence(str(exc))
        return _sign_in_page(web, request, 400, [("username", message)], username, back)
    old = request.cookies.get(SESSION_COOKIE, "")
    if old:
        web.app.accounts.sign_out(old)
    if signed.account.must_change:
        target = "/password" if back == "/" else f"/password?next={quote(back)}"
    else:
        target = back
    response = see_other(target)
    _set_session(response, request, signed.token)
    return response


async def password_form(web: Web, request: Request) -> Response:
    return _password_page(web, request, 200, [], safe_next(request.query_params.get("next")))


def _password_page(
    web: Web, request: Request, status: int, errors: list[tuple[str, str]], back: str
) -> Response:
    return web.page(request, "password.html", status, errors=errors, next=back)


async def change_password(web: Web, request: Request) -> Response:
    form = await web.posted(request)
    account = request.state.account
    current = str(form.get("current") or "")
    new = str(form.get("new") or "")
    again = str(form.get("again") or "")
    back = safe_next(form.get("next"))
    errors = []
    if not current:
        errors.append(("current", "Enter the password you signed in with."))
    if not new:
        errors.append(("new", "Enter the new password you have chosen."))
    elif new != again:
        errors.append(("again", "The two new passwords are not the same: type it again."))
    if errors:
        return _password_page(web, request, 400, errors, back)
    try:
        signed = await run_in_threadpool(
            web.app.accounts.change_password, account.name, current, new
        )
    except SrsError as exc:
        field = "current" if "current" in str(exc) or "expired" in str(exc) else "new"
        return _password_page(web, request, 400, [(field, _sentence(str(exc)))], back)
    response = see_other(back)
    _set_session(response, request, signed.token)
    return response


async def sign_out(web: Web, request: Request) -> Response:
    await web.posted(request)
    web.app.accounts.sign_out(request.cookies.get(SESSION_COOKIE, ""))
    response = see_other("/signin?signed-out=1")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", ")")) else ".")
