"""The practice-exam pages: what `srs-crss mock` does, as forms.

Start (profile, length, time: as the real exam, extended, or untimed for a
learner with an accommodation, marked as not exam-like), then one question a
page with the clock always shown: pick or change, next and previous, flag,
the next unanswered or flagged, go to a number, submit after a page listing
what is unanswered, and the result with domain scores and the missed
questions. The exam is saved with every answer (mockrun), so it can be
resumed after the tab, the browser or the server was closed; the clock runs
while the exam is open in the server, and stops with "Pause and leave".
Time up submits the exam as it stands, on the next request or by the script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError, UsageError
from srs_crss.exams.profiles import Profile, load
from srs_crss.model import LETTERS
from srs_crss.web.base import Web, see_other
from srs_crss.web.sittings import Exams

if TYPE_CHECKING:
    from srs_crss.exams.run import MockRun

MAX_QUESTIONS = 1000
MAX_MINUTES = 24 * 60
TIMINGS = {
    "exam": ("As in the real exam", 1.0),
    "extended": ("Extended: half as long again (not like the real exam)", 1.5),
    "double": ("Double time (not like the real exam)", 2.0),
    "untimed": ("Untimed (not like the real exam)", 0.0),
}


def _exams(web: Web) -> Exams:
    return web.exams


def _profiles() -> dict[str, Profile]:
    return load()


async def start_form(web: Web, request: Request) -> Response:
    return _start_page(web, request, {}, [])


def _start_page(
    web: Web, request: Request, given: dict[str, str], errors: list[tuple[str, str]]
) -> Response:
    practice = web.app.practice
    history = practice.history()
    known = _profiles()
    return web.page(
        request,
        "exam_start.html",
        400 if errors else 200,
        profiles=known,
        timings=TIMINGS,
        unfinished=practice.unfinished(),
        history=[(a, _not_exam_like(a, known)) for a in reversed(history)],
        trend=web.app.stats(None).mock_trend,
        given=given,
        errors=errors,
    )


def _not_exam_like(attempt: object, known: dict[str, Profile]) -> bool:
    profile = known.get(getattr(attempt, "profile", ""))
    limit = getattr(attempt, "time_limit_ms", 0)
    return profile is not None and limit > profile.minutes * 60_000


async def start(web: Web, request: Request) -> Response:
    form = await web.posted(request)
    given = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    known = _profiles()
    try:
        profile = known.get(given.get("profile", ""))
        if profile is None:
            raise UsageError("choose which exam to practise from the list")
        timing = TIMINGS.get(given.get("timing", "exam"))
        if timing is None:
            raise UsageError("choose how much time to take from the list")
        text = given.get("questions", "").strip()
        if text and (not text.isdigit() or not 1 <= int(text) <= MAX_QUESTIONS):
            raise UsageError(f"questions: give a whole number from 1 to {MAX_QUESTIONS}")
        questions = int(text) if text else None
        base = profile.minutes * (questions or profile.questions) / profile.questions
        minutes = MAX_MINUTES if not timing[1] else min(MAX_MINUTES, round(base * timing[1]))
        started = web.app.practice.start(
            profile.id,
            questions=questions,
            minutes=max(1, minutes),
            domain=given.get("domain") or None,  # a quiz on one domain (today's plan)
        )
    except SrsError as exc:
        text = str(exc)
        return _start_page(web, request, given, [("profile", text[:1].upper() + text[1:])])
    run = started.run
    run.start_clock()
    _exams(web).runs[run.attempt.id] = run
    return see_other(f"/exam/{run.attempt.id}")


async def resume(web: Web, request: Request) -> Response:
    await web.posted(request)
    run = web.app.practice.resume()
    run.start_clock()
    _exams(web).runs[run.attempt.id] = run
    return see_other(f"/exam/{run.attempt.id}")


def _run(web: Web, request: Request) -> tuple[int, MockRun | None]:
    try:
        number = int(request.path_params["number"])
    except ValueError:
        raise HTTPException(404) from None
    run = _exams(web).runs.get(number)
    if run is None and number not in _exams(web).results:
        unfinished = web.app.practice.unfinished()
        if unfinished is None or unfinished.id != number:
            raise HTTPException(404, "There is no practice exam open at this address.")
        run = web.app.practice.resume()  # the server restarted: the saved exam goes on
        run.start_clock()
        _exams(web).runs[number] = run
    if run is not None and run.expired():
        _finish(web, number, run, timed_out=True)
        return number, None
    return number, run


def _finish(web: Web, number: int, run: MockRun, timed_out: bool) -> None:
    result = run.submit(timed_out=timed_out)
    exams = _exams(web)
    exams.results[number] = (result, timed_out)
    exams.runs.pop(number, None)
    exams.runs[-number] = run  # kept for the walk through the missed questions


async def question(web: Web, request: Request) -> Response:
    number, run = _run(web, request)
    if run is None:
        return see_other(f"/exam/{number}/result")
    wanted = request.query_params.get("q", "")
    if wanted.isdigit():
        run.go(int(wanted))
    run.tick()
    q = run.current
    untimed = run.attempt.time_limit_ms >= MAX_MINUTES * 60_000
    return web.page(
        request,
        "exam_question.html",
        number=number,
        q=q,
        total=len(run.questions),
        choices=list(zip(LETTERS, q.choices, strict=False)),
        left=int(run.left_seconds()),
        untimed=untimed,
        answered=len(run.questions) - len(run.unanswered()),
        questions=run.questions,
    )


async def act(web: Web, request: Request) -> Response:
    number, run = _run(web, request)
    form = await web.posted(request)
    if run is None:
        return see_other(f"/exam/{number}/result")
    letter = str(form.get("choice") or "")
    index = LETTERS.find(letter.upper()[:1]) if letter else -1
    if 0 <= index < len(run.current.choices) and run.current.choices[index] != run.current.picked:
        run.pick(run.current.choices[index])
    action = str(form.get("action") or "")
    target: int | None = run.position
    if action == "next":
        target = run.position + 1
    elif action == "prev":
        target = run.position - 1
    elif action == "flag":
        run.toggle_flag()
    elif action == "unanswered":
        target = run.next_where(lambda q: q.picked is None)
    elif action == "flagged":
        target = run.next_where(lambda q: q.flagged)
    elif action == "go":
        text = str(form.get("go") or "").strip()
        target = int(text) if text.isdigit() else run.position
    elif action == "submit":
        return see_other(f"/exam/{number}/submit")
    elif action == "pause":
        run.pause()
        _exams(web).runs.pop(number, None)
        return see_other("/exam")
    elif action == "time-up":
        if run.expired():
            _finish(web, number, run, timed_out=True)
            return see_other(f"/exam/{number}/result")
    if target is not None:
        run.go(target)
    return see_other(f"/exam/{number}")


async def confirm(web: Web, request: Request) -> Response:
    number, run = _run(web, request)
    if run is None:
        return see_other(f"/exam/{number}/result")
    return web.page(
        request,
        "exam_submit.html",
        number=number,
        unanswered=run.unanswered(),
        flagged=run.flagged(),
        total=len(run.questions),
        left=int(run.left_seconds()),
        untimed=run.attempt.time_limit_ms >= MAX_MINUTES * 60_000,
    )


async def submit(web: Web, request: Request) -> Response:
    number, run = _run(web, request)
    await web.posted(request)
    if run is not None:
        _finish(web, number, run, timed_out=False)
    return see_other(f"/exam/{number}/result")


async def result(web: Web, request: Request) -> Response:
    number = int(request.path_params["number"]) if request.path_params["number"].isdigit() else 0
    exams = _exams(web)
    if number not in exams.results:
        return see_other(f"/exam/{number}") if number in exams.runs else see_other("/exam")
    scored, timed_out = exams.results[number]
    run = exams.runs.get(-number)
    missed = [q for q in run.questions if not q.correct] if run else []
    return web.page(
        request,
        "exam_result.html",
        result=scored,
        timed_out=timed_out,
        missed=missed,
        letters=LETTERS,
    )
