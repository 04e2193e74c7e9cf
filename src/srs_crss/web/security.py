"""What keeps a local study page safe even on 127.0.0.1.

Any web page the learner visits could post a form to localhost, so every
POST must carry this server's CSRF token and come from this server's own
origin. Headers forbid framing, inline script and MIME sniffing. With
--lan, a request from another device must carry the secret token of the
link printed in the terminal (then a cookie carries it). A cohort server
(`--cohort`) has no such guard, since it serves other machines: sign-in does
(signin.py), and its CSRF tokens are derived from this run's secret and the
session (`derived`), never the secret itself.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
TOKEN_COOKIE = "srs_crss_token"
TOKEN_PARAM = "token"
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class Secrets:
    """This server run's secrets: new every start, never written anywhere."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lan: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def lan_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.lan.encode())


def same_token(given: str | None, expected: str) -> bool:
    """Whether a posted CSRF token is the one expected (compared in constant time)."""
    if not given or not expected:  # no token expected is never a match
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def derived(secret: str, purpose: str, value: str) -> str:
    """A token bound to `value` (a session or a sign-in cookie) by this run's secret:
    a cohort server's CSRF tokens, nothing stored."""
    mac = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), "sha256")
    return mac.hexdigest()


def same_origin(origin: str | None, referer: str | None, host: str | None) -> bool:
    """Whether a POST comes from a page of this server: its Origin (or, where a browser
    sends none, its Referer) names the host the request was sent to."""
    source = origin if origin and origin != "null" else referer
    if not source or not host:
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def is_loopback(client: str | None) -> bool:
    if client is None:
        return False
    try:
        return ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False


class Headers:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

REFUSED = (
    "<!doctype html><html lang=en><title>Open the link from the terminal</title>"
    "<main><h1>Open the link from the terminal</h1><p>This study page is private. Open "
    "the link (or scan the code) that <code>srs-crss serve --lan</code> printed.</p></main>"
)


def loopback_host(host: str | None) -> bool:
    """Whether the Host header names this machine (a page of another site resolved to
    127.0.0.1, "DNS rebinding", names its own host and is refused)."""
    if not host:
        return False
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.lower() in LOOPBACK_NAMES


class Guard:
    """ASGI middleware: who may use the app at all.

    A request from this machine naming this machine passes. Anything else (another
    device on the Wi-Fi with --lan, or a page of another site that rebinds its name
    to 127.0.0.1) needs the secret token: in the link once (then a cookie is set and
    the token leaves the address bar), in the cookie afterwards.
    """

    def __init__(self, app: ASGIApp, secrets: Secrets, lan: bool) -> None:
        self.app = app
        self.secrets = secrets
        self.lan = lan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        client = request.client.host if request.client else None
        if is_loopback(client) and loopback_host(request.headers.get("host")):
            await self.app(scope, receive, send)
            return
        if self.lan and self.secrets.lan_ok(request.cookies.get(TOKEN_COOKIE)):
            await self.app(scope, receive, send)
            return
        if self.lan and self.secrets.lan_ok(request.query_params.get(TOKEN_PARAM)):
            response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(
                TOKEN_COOKIE, self.secrets.lan, httponly=True, samesite="strict", path="/"
            )
            await response(scope, receive, send)
            return
        await HTMLResponse(REFUSED, status_code=403)(scope, receive, send)
