"""What every page shares: the `Web` state (settings, secrets, templates, sittings),
the template environment and the checks on a posted form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.web import security
from srs_crss.web.sittings import Exams, Sittings

HERE = Path(__file__).resolve().parent
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidi overrides: never shown (the terminal's rule, #17)."""


def clean(value: Any) -> Any:
    """Every value a template prints passes here before escaping: no control characters."""
    return UNSAFE.sub("", value) if isinstance(value, str) else value


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=clean,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@dataclass
class Web:
    """What the routes share: the settings every App is built from, the secrets, the
    templates and the open review sittings."""

    settings: Settings
    lan: bool = False
    secrets: security.Secrets = field(default_factory=security.Secrets)
    env: Environment = field(default_factory=templates)
    sittings: Sittings = field(default_factory=Sittings)
    exams: Exams = field(default_factory=Exams)

    @cached_property
    def app(self) -> App:
        """The one App of this server, shared by every request and review session.

        One, not one per request: a second store over the same SQLite file, closed
        while a review session's store stays open, was seen to lose the session's
        later answers (the closing store checkpoints and ends the log the open one
        still writes to). Settings changed through it refresh themselves
        (Preferences.set).
        """
        return App(self.settings)

    def close(self) -> None:
        if "app" in self.__dict__:
            self.app.close()

    def page(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        html = self.env.get_template(name).render(
            request=request, csrf=self.secrets.csrf, path=request.url.path, **values
        )
        return HTMLResponse(html, status_code=status)

    async def posted(self, request: Request) -> FormData:
        """The posted form, once its origin and CSRF token are checked (403 otherwise)."""
        headers = request.headers
        if not security.same_origin(
            headers.get("origin"), headers.get("referer"), headers.get("host")
        ):
            raise HTTPException(403, "This form was sent from another site.")
        form = await request.form(max_files=0, max_fields=50, max_part_size=8192)
        token = form.get(security.CSRF_FIELD)
        if not self.secrets.csrf_ok(token if isinstance(token, str) else None):
            raise HTTPException(403, "This form is out of date: reload the page and try again.")
        return form


def see_other(url: str) -> RedirectResponse:
    """After a POST: show the result at its own address (a reload does not post again)."""
    return RedirectResponse(url, status_code=303)
