"""The home page (what to do today) and the progress page (the `stats` figures)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError
from srs_crss.web.base import Web, see_other


async def home(web: Web, request: Request) -> Response:
    report = web.app.stats(None)
    latest = report.mocks[-1] if report.mocks else None
    return web.page(request, "home.html", report=report, latest=latest)


async def progress(web: Web, request: Request) -> Response:
    return _progress(web, request, [])


def _progress(web: Web, request: Request, errors: list[tuple[str, str]]) -> Response:
    report = web.app.stats(None)
    return web.page(request, "progress.html", 400 if errors else 200, report=report, errors=errors)


async def change(web: Web, request: Request) -> Response:
    """Set or clear the exam date (for all decks), as `srs-crss exam set` and `exam clear`."""
    form = await web.posted(request)
    action = form.get("action")
    try:
        if action == "exam-set":
            web.app.exam_dates.set(str(form.get("exam_day") or ""), None)
        elif action == "exam-clear":
            web.app.exam_dates.clear(None)
    except SrsError as exc:
        text = str(exc)
        return _progress(web, request, [("exam_day", text[:1].upper() + text[1:] + ".")])
    return see_other("/progress")
