"""A cohort server for tests: the real app under uvicorn on a thread, and a small client.

The server is the one `srs-crss serve --cohort` runs (web.server.listen, uvicorn with
the same proxy settings), over a real database; the client speaks plain HTTP with
http.client and keeps cookies as a browser would for one site.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import uvicorn

from srs_crss.settings.run import Settings
from srs_crss.web.app import build
from srs_crss.web.base import Web
from srs_crss.web.server import listen, uvicorn_config


@dataclass
class Answer:
    status_code: int
    headers: Message
    text: str
    cookies: list[str] = field(default_factory=list)
    """The Set-Cookie lines, as sent."""


class Client:
    """One browser's worth of cookies, sending requests to one server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.site = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        lines = response.headers.get_all("set-cookie") or []
        for line in lines:
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value.strip('"'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return Answer(response.status, response.headers, text, lines)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> Answer:
        return self.request("POST", path, data=data, headers=headers)


@contextmanager
def serving(settings: Settings, proxy_headers: bool = False) -> Iterator[int]:
    """The cohort app served on a free port of 127.0.0.1 until the block ends: its port."""
    web = Web(settings, cohort=True, proxy_headers=proxy_headers)
    app = build(settings, web=web)
    where = listen(0, False)
    server = uvicorn.Server(uvicorn_config(app, proxy_headers))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [where.sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield where.port
    finally:
        server.should_exit = True
        thread.join(30)
        where.sock.close()
