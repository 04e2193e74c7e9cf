"""The instructor's pages of a cohort server: what `srs-crss class`, `items`, `flags` and
`cohort exam` show, in a browser.

The class at a glance (each learner's progress by domain, exam-day forecast and chance
of passing, latest practice scores, last study day; who is at risk and why) with its
CSV; each practice-exam item across the class; the flags learners raised, with the
card's source; the class's exam date. Every read goes through App.cohort, which acts
as an instructor: every learner's rows, read-only. Only the gate (signin.py) lets an
instructor in, and each page checks the account again (Cohort.check).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError
from srs_crss.exams.profiles import DEFAULT_PROFILE
from srs_crss.web.base import Web, see_other

FORECAST_FOR = 300.0
"""Seconds the class's forecasts are kept before being worked out again (each is a
replay of a learner's whole log)."""


def _check(web: Web, request: Request) -> None:
    web.app.cohort.check(request.state.account)


async def _forecasts(web: Web, names: Sequence[str]) -> dict[str, Any]:
    """Each learner's forecast, worked out at most every FORECAST_FOR seconds, on a worker
    thread: replaying a class's logs must not hold up the learners' answers meanwhile
    (each forecast has its own store over the shared engine; the pool is thread-safe)."""
    kept = web.cache.get("forecasts")
    key = (tuple(names), web.app.today())
    if kept is not None and kept[0] == key and time.monotonic() - kept[1] < FORECAST_FOR:
        return dict(kept[2])
    found = await run_in_threadpool(web.app.cohort.forecasts, names, DEFAULT_PROFILE)
    web.cache["forecasts"] = (key, time.monotonic(), found)
    return found


def _totals(row: Any) -> tuple[float | None, float | None]:
    cards = sum(d.cards for d in row.domains)
    if not cards:
        return None, None
    return sum(d.seen for d in row.domains) / cards, sum(d.mature for d in row.domains) / cards


async def class_page(web: Web, request: Request) -> Response:
    return await _class_page(web, request, [])


async def _class_page(web: Web, request: Request, errors: list[tuple[str, str]]) -> Response:
    _check(web, request)
    cohort = web.app.cohort
    rows, risks = cohort.class_table()
    forecasts = await _forecasts(web, [row.name for row in rows])
    today = web.app.today()
    lines = [
        {
            "row": row,
            "seen": seen,
            "known": known,
            "forecast": forecasts.get(row.name),
            "ago": None if row.last_study_day is None else (today - row.last_study_day).days,
        }
        for row in rows
        for seen, known in [_totals(row)]
    ]
    return web.page(
        request,
        "class.html",
        400 if errors else 200,
        lines=lines,
        risks=risks,
        exams=cohort.exam_dates(),
        today=today,
        errors=errors,
    )


async def set_exam(web: Web, request: Request) -> Response:
    """Set or clear the class's exam date (every deck), as `srs-crss cohort exam`."""
    _check(web, request)
    form = await web.posted(request)
    try:
        if form.get("action") == "clear":
            web.app.cohort.clear_exam(None)
        else:
            web.app.cohort.set_exam(str(form.get("exam_day") or ""), None)
    except SrsError as exc:
        text = str(exc)
        return await _class_page(web, request, [("exam_day", text[:1].upper() + text[1:] + ".")])
    return see_other("/class#exam")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def class_csv(rows: Sequence[Any], risks: Sequence[Any], forecasts: dict[str, Any]) -> str:
    """The class table as CSV: one row per learner, three columns per exam domain."""
    reasons = {risk.name: "; ".join(risk.reasons) for risk in risks}
    domains = [d.domain or "no domain" for d in rows[0].domains] if rows else []
    header = [
        "learner",
        "exam",
        "last study day",
        "latest practice %",
        "pass mark %",
        "forecast score %",
        "chance of passing %",
        "at risk",
    ]
    for domain in domains:
        header += [f"{domain}: seen", f"{domain}: well known", f"{domain}: recent retention %"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    for row in rows:
        latest = row.practice[0] if row.practice else None
        found = forecasts.get(row.name)
        forecast = found.forecast if found is not None else None
        cells: list[object] = [
            row.name,
            None if row.exam_day is None else row.exam_day.isoformat(),
            None if row.last_study_day is None else row.last_study_day.isoformat(),
            None if latest is None else f"{latest.percent:.0f}",
            None if latest is None else latest.pass_percent,
            None if forecast is None else f"{forecast.expected_percent:.0f}",
            None if forecast is None else f"{100 * forecast.pass_probability:.0f}",
            reasons.get(row.name, ""),
        ]
        for d in row.domains:
            retention = None if d.retention is None else f"{100 * d.retention:.0f}"
            cells += [f"{d.seen}/{d.cards}", f"{d.mature}/{d.cards}", retention]
        writer.writerow([cell(c) for c in cells])
    return out.getvalue()


async def class_download(web: Web, request: Request) -> Response:
    _check(web, request)
    rows, risks = web.app.cohort.class_table()
    text = class_csv(rows, risks, await _forecasts(web, [row.name for row in rows]))
    day = web.app.today().isoformat()
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="class-{day}.csv"'},
    )


async def items_page(web: Web, request: Request) -> Response:
    _check(web, request)
    return web.page(request, "items.html", stats=web.app.cohort.items())


async def flags_page(web: Web, request: Request) -> Response:
    _check(web, request)
    flags = sorted(web.app.cohort.flags(), key=lambda f: f.created_at, reverse=True)
    return web.page(request, "flags.html", flags=flags, stamp=_stamp)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
