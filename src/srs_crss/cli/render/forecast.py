"""The exam-day forecast's shapes: `readiness` and `today`, their JSON and plain lines.

Kept apart from shapes.py and text.py: one place for everything the forecast
shows, reused by `readiness`, `exam show` and `stats`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from srs_crss.untrusted.text import visible

if TYPE_CHECKING:
    from srs_crss.forecast.calibration import Calibration
    from srs_crss.forecast.plan import DayPlan, Step
    from srs_crss.service.forecasting import Readiness


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def calibration_json(found: Calibration) -> dict[str, Any]:
    return {
        "exams": found.exams,
        "mean_abs_error_points": _round(found.mean_abs_error),
        "brier": _round(found.brier, 4),
        "brier_constant": _round(found.brier_constant, 4),
        "recalibrated": found.recalibration is not None,
        "recent_exams": found.recent_exams,
        "recent_within_points": found.recent_within,
        "summary": calibration_line(found),
    }


def readiness_json(found: Readiness) -> dict[str, Any]:
    forecast = found.forecast
    return {
        "model": found.model,
        "date": found.date.isoformat(),
        "on_exam_date": found.on_exam_date,
        "profile": found.profile,
        "expected_percent": round(forecast.expected_percent, 1),
        "pass_probability": round(forecast.pass_probability, 3),
        "pass_percent": forecast.pass_percent,
        "pass_is_estimate": found.pass_is_estimate,
        "domains": [
            {
                "domain": d.domain,
                "expected_percent": round(d.expected_percent, 1),
                "cards": d.items,
                "cards_seen": d.seen,
                "weight": d.weight,
            }
            for d in forecast.domains
        ],
        "reviews": found.reviews,
        "calibration": calibration_json(found.calibration),
    }


def calibration_line(found: Calibration) -> str:
    """How well the forecast has predicted this learner, in plain words."""
    if not found.exams:
        return (
            "No practice exam has been checked against a forecast yet: after each "
            "`srs-crss mock`, this shows how close the forecast came."
        )
    exams = "exam" if found.recent_exams == 1 else f"{found.recent_exams} practice exams"
    last = "your last practice exam" if found.recent_exams == 1 else f"your last {exams}"
    points = "point" if found.recent_within == 1 else "points"
    return f"Over {last} the forecast was within {found.recent_within} {points}."


def readiness_lines(found: Readiness) -> Iterator[str]:
    forecast = found.forecast
    when = "your exam date" if found.on_exam_date else "if the exam were that day"
    yield f"Forecast for {found.profile_name} on {found.date.isoformat()} ({when})"
    estimate = " (an estimate)" if found.pass_is_estimate else ""
    yield (
        f"Expected score: {forecast.expected_percent:.0f}% "
        f"(pass mark {forecast.pass_percent}%{estimate}). "
        f"Chance of passing: {100 * forecast.pass_probability:.0f}%."
    )
    width = max((len(d.domain) for d in forecast.domains), default=0)
    for d in forecast.domains:
        yield (
            f"  {d.domain:<{width}}  {d.expected_percent:3.0f}%  "
            f"({d.seen} of {d.items} questions studied)"
        )
    yield from _model_lines(found)
    yield calibration_line(found.calibration)
    calibrated = found.calibration
    if calibrated.exams and calibrated.brier is not None and calibrated.brier_constant is not None:
        yield (
            f"  {calibrated.exams} exam{'s' if calibrated.exams != 1 else ''} checked: "
            f"off by {calibrated.mean_abs_error:.1f} points on average; "
            f"Brier score {calibrated.brier:.3f} (a flat guess: {calibrated.brier_constant:.3f}; "
            "lower is better)."
        )
        if calibrated.recalibration is not None:
            yield "  The forecast is corrected by how your practice exams went."


def _model_lines(found: Readiness) -> Iterator[str]:
    if found.reviews == 0:
        yield (
            "You have not studied yet, so this is close to guessing. "
            "Each review makes the forecast sharper."
        )
    elif "fitted" in found.model:
        yield f"Read from your {found.reviews} answers, with a memory model fitted to you."
    else:
        yield (
            f"Read from your {found.reviews} answers, with a standard memory model "
            "(fitted to you once you have more reviews)."
        )


def _points(value: float | None) -> str:
    return "" if value is None else f"  (about {value:+.1f} points on exam day)"


def _quoted(domain: str) -> str:
    """A domain as a shell argument a learner can paste (its quotes doubled if any)."""
    return '"' + domain.replace('"', '\\"') + '"'


def step_lines(step: Step) -> Iterator[str]:
    """One step of today's plan: what to do, its effect, the command that does it."""
    if step.kind == "due":
        if not step.cards:
            yield "No reviews due today."
            return
        card = "card" if step.cards == 1 else "cards"
        yield f"Review the {step.cards} {card} due today{_points(step.points)}"
        yield "    srs-crss review --new 0"
    elif step.kind == "new":
        if not step.cards:
            yield "No new cards today (the day's new cards are done, or none are left)."
            return
        where = ", ".join(f"{n} from {d}" for d, n in step.domains)
        yield f"Learn {step.cards} new cards: {where}{_points(step.points)}"
        for domain, count in step.domains:
            yield f"    srs-crss review --domain {_quoted(domain)} --new {count}"
    else:
        yield (
            f"Take a {step.cards}-question practice quiz in {step.domain}, your weakest domain"
            f"{_points(step.points)}"
        )
        yield f"    srs-crss mock --domain {_quoted(step.domain or '')} --questions {step.cards}"


def day_plan_lines(found: DayPlan) -> Iterator[str]:
    if found.exam_day is None:
        yield f"Today, {found.today.isoformat()} (no exam date set: `srs-crss exam set YYYY-MM-DD`)"
    else:
        days = found.days_left
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        exam = found.exam_day.isoformat()
        yield (
            f"Today, {found.today.isoformat()}: your exam is {when} ({exam}); "
            f"forecast {found.expected_percent:.0f}% before today's study."
        )
    for n, step in enumerate(found.steps, start=1):
        lines = list(step_lines(step))
        yield f"{n}. {lines[0]}"
        yield from lines[1:]
    if found.latest_practice is not None:
        yield f"Latest practice exam: {found.latest_practice:.0f}%."
    elif found.exam_day is None:
        yield "No practice exam yet: `srs-crss mock` takes one like the real exam."


def _effect(value: float | None) -> str:
    """An effect worth saying in the header (a tenth of a point or more)."""
    return "" if value is None or abs(value) < 0.05 else f" ({value:+.1f} points)"


def plan_header(found: DayPlan) -> str:
    """Today's plan in one note above the first card of `review` (with an exam date)."""
    days = found.days_left
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    parts = []
    for step in found.steps:
        if not step.cards:
            continue
        if step.kind == "due":
            card = "card" if step.cards == 1 else "cards"
            parts.append(f"review the {step.cards} due {card}{_effect(step.points)}")
        elif step.kind == "new":
            card = "card" if step.cards == 1 else "cards"
            if len(step.domains) == 1:
                where = f" from {visible(step.domains[0][0])}"
            else:
                where = ": " + " and ".join(f"{n} from {visible(d)}" for d, n in step.domains)
            parts.append(f"learn {step.cards} new {card}{where}{_effect(step.points)}")
        else:
            domain = visible(step.domain or "")
            parts.append(f"take a {step.cards}-question quiz in {domain}{_effect(step.points)}")
    plan = "; ".join(parts) if parts else "nothing left for today"
    forecast = "" if found.expected_percent is None else f"; forecast {found.expected_percent:.0f}%"
    return f"Exam {when}{forecast}. Today's plan: {plan}. `srs-crss today` gives the commands."


def day_plan_json(found: DayPlan) -> dict[str, Any]:
    return {
        "today": found.today.isoformat(),
        "exam_date": found.exam_day.isoformat() if found.exam_day else None,
        "days_left": found.days_left,
        "expected_percent": _round(found.expected_percent),
        "steps": [
            {
                "kind": s.kind,
                "cards": s.cards,
                "points": _round(s.points, 2),
                "domains": [{"domain": d, "cards": n} for d, n in s.domains],
                "domain": s.domain,
            }
            for s in found.steps
        ],
        "total_points": _round(found.total_points, 2),
        "latest_practice_percent": _round(found.latest_practice),
    }


def summary_lines(found: Readiness | None) -> Iterator[str]:
    """The forecast in two lines, for `stats` and `exam show` (None: the log is long,
    and reading it is left to `readiness`)."""
    if found is None:
        yield (
            "Exam-day forecast: `srs-crss readiness` (it reads your whole review log, "
            "which takes a few seconds at your size)."
        )
        return
    forecast = found.forecast
    yield (
        f"Exam-day forecast ({found.profile_name}, {found.date.isoformat()}): "
        f"{forecast.expected_percent:.0f}% expected, pass mark {forecast.pass_percent}%, "
        f"{100 * forecast.pass_probability:.0f}% chance of passing."
    )
    yield calibration_line(found.calibration) + " `srs-crss today` plans today's study."
