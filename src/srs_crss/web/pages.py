"""The home page (what to do today) and the progress page (the `stats` figures)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError
from srs_crss.exams.profiles import DEFAULT_PROFILE
from srs_crss.settings.keys import KEYS
from srs_crss.web import charts
from srs_crss.web.base import Web, see_other


async def home(web: Web, request: Request) -> Response:
    app = web.app
    report = app.stats(None)
    latest = report.mocks[-1] if report.mocks else None
    # with an exam date: today's plan and the exam-day forecast, as `today` and `readiness`
    plan = app.todays_plan(DEFAULT_PROFILE)
    forecast = app.forecasting.readiness_if_quick(DEFAULT_PROFILE) if plan else None
    return web.page(
        request,
        "home.html",
        report=report,
        latest=latest,
        plan=plan,
        forecast=forecast,
        profile=DEFAULT_PROFILE,
    )


async def progress(web: Web, request: Request) -> Response:
    return _progress(web, request, [])


def _progress(web: Web, request: Request, errors: list[tuple[str, str]]) -> Response:
    app = web.app
    report = app.stats(None)
    heat, days = charts.heat_map(report.stats.calendar, report.today)
    ahead, bars = charts.forecast(report.stats.forecast)
    settings = [
        (name, KEYS[name].meaning, value, default)
        for name, deck, value, default in app.preferences.show()
        if deck is None
    ]
    # the exam-day forecast, as `stats` shows it (None past the answers it reads quickly)
    forecast = app.forecasting.readiness_if_quick(DEFAULT_PROFILE)
    return web.page(
        request,
        "progress.html",
        400 if errors else 200,
        report=report,
        forecast=forecast,
        errors=errors,
        heat=heat,
        days=days,
        ahead=ahead,
        bars=bars,
        settings=settings,
        decks=app.decks(),
    )


async def change(web: Web, request: Request) -> Response:
    """Set or clear the exam date (for all decks), as `srs-crss exam set` and `exam clear`;
    set or reset a setting, as `srs-crss config set` and `config unset`."""
    form = await web.posted(request)
    action = form.get("action")
    name = str(form.get("name") or "")
    field = "exam_day" if action and str(action).startswith("exam") else f"setting-{name}"
    try:
        if action == "exam-set":
            web.app.exam_dates.set(str(form.get("exam_day") or ""), None)
        elif action == "exam-clear":
            web.app.exam_dates.clear(None)
        elif action == "config-set":
            web.app.preferences.set(name, str(form.get("value") or ""), None)
        elif action == "config-unset":
            web.app.preferences.unset(name, None)
    except SrsError as exc:
        text = str(exc)
        return _progress(web, request, [(field, text[:1].upper() + text[1:] + ".")])
    return see_other("/progress#settings" if field != "exam_day" else "/progress#exam")
