"""The exam-day forecast's shapes: `readiness --json` and its plain lines.

Kept apart from shapes.py and text.py: one place for everything the forecast
shows, reused by `readiness`, `exam show` and `stats`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srs_crss.forecast.calibration import Calibration
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
