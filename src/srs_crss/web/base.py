"""What every page shares: the `Web` state (settings, secrets, templates, sittings),
the template environment and the checks on a posted form.

A local server has one `Web`. A cohort server (`serve --cohort`) has one for the
server (accounts, sign-in) and one per signed-in learner (`Web.desk`): that
learner's App, whose store acts for them alone, and their open sittings, so
nothing of one learner's is ever within reach of another's requests.
"""

from __future__ import annotations

import re
from collections import OrderedDict
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
MAX_DESKS = 500
"""Signed-in learners whose App and open sittings a cohort server keeps at once."""
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
    cohort: bool = False
    """`serve --cohort`: everything but signing in needs an account (web/signin.py)."""
    proxy_headers: bool = False
    """Behind a reverse proxy (`--proxy-headers`): X-Forwarded-Proto says HTTPS."""
    server: Web | None = None
    """A learner's desk: the cohort server's Web, whose store this one's shares."""
    desks: OrderedDict[tuple[str, object], Web] = field(default_factory=OrderedDict)
    """A cohort server's desks by (account name, account created), the least used
    dropped beyond MAX_DESKS (their open review goes; a practice exam resumes)."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Figures kept a while between requests (the instructor's forecasts; when ended
    sessions were last cleared away)."""

    def desk(self, name: str, created: object) -> Web:
        """The signed-in learner's Web: their own App (Settings(learner=name), a store
        acting for them only) and their own open sittings and practice exams."""
        key = (name, created)
        found = self.desks.get(key)
        if found is None:
            settings = Settings(
                self.settings.database,
                name,
                rollover_hour=self.settings.rollover_hour,
                environ=self.settings.environ,
            )
            found = Web(settings, secrets=self.secrets, env=self.env, cohort=True, server=self)
            self.desks[key] = found
            while len(self.desks) > MAX_DESKS:
                self.desks.popitem(last=False)[1].close()
        self.desks.move_to_end(key)
        return found

    @cached_property
    def app(self) -> App:
        """This Web's App: locally, the one App of the server, shared by every request
        and review session; on a cohort server, the server's (accounts), or a desk's
        (one person's, over a sibling store).

        One, not one per request: a second store over the same SQLite file, closed
        while a review session's store stays open, was seen to lose the session's
        later answers (the closing store checkpoints and ends the log the open one
        still writes to). Settings changed through it refresh themselves
        (Preferences.set).
        """
        if self.server is not None:
            return App(self.settings, share=self.server.app)
        return App(self.settings)

    def close(self) -> None:
        for desk in self.desks.values():
            desk.close()
        self.desks.clear()
        if "app" in self.__dict__:
            self.app.close()

    def csrf(self, request: Request) -> str:
        """The token this request's forms carry: the server's own locally; on a cohort
        server one tied to the session (or, before sign-in, to its cookie)."""
        given = getattr(request.state, "csrf", None)
        if given:
            return str(given)
        # a cohort server never shows its secret itself (the tokens are derived from it):
        # a page outside the gate (a missing page) gets no token, and no form takes one
        return "" if self.cohort else self.secrets.csrf

    def page(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        account = getattr(request.state, "account", None)
        html = self.env.get_template(name).render(
            request=request,
            csrf=self.csrf(request),
            path=request.url.path,
            cohort=self.cohort,
            account=account,
            **values,
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
        if not security.same_token(token if isinstance(token, str) else None, self.csrf(request)):
            raise HTTPException(403, "This form is out of date: reload the page and try again.")
        return form


def see_other(url: str) -> RedirectResponse:
    """After a POST: show the result at its own address (a reload does not post again)."""
    return RedirectResponse(url, status_code=303)
