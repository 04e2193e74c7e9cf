"""How well the forecast has predicted this learner, and the correction it has earned.

Pure. Before each practice exam the forecast chance of every question drawn is
frozen; after it, each question's outcome is stored beside it (storage/forecasts.py).
From those pairs: the mean absolute error in points (forecast score against the
real one, per exam), the Brier score of the per-question chances against a
constant baseline (every question given this learner's overall rate of right
answers in those exams), and, after `RECALIBRATE_AFTER` exams, a logistic
recalibration on the logit of the forecast: P(right) = sigmoid(a + b * logit(p)),
fitted by Newton's method, which corrects a systematic lean (picking a right
choice is easier than recalling a fact from nothing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

RECALIBRATE_AFTER = 3
"""Exams needed before the forecast is corrected by this learner's outcomes."""
PLAIN_WORDS_EXAMS = 4
"""The plain-words line speaks of the latest this many exams."""


class ExamCheck(NamedTuple):
    """One practice exam: the frozen chance of each question and whether it was right."""

    exam_id: int
    pairs: tuple[tuple[float, bool], ...]

    @property
    def forecast_percent(self) -> float:
        return 100.0 * sum(p for p, _ in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def actual_percent(self) -> float:
        return 100.0 * sum(o for _, o in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def error(self) -> float:
        """Points between forecast and outcome (positive: the forecast was high)."""
        return self.forecast_percent - self.actual_percent


class Calibration(NamedTuple):
    exams: int
    mean_abs_error: float | None
    """Points, per exam."""
    brier: float | None
    brier_constant: float | None
    recalibration: tuple[float, float] | None
    """(a, b) once there are enough exams."""
    recent_exams: int
    recent_within: int | None
    """The largest error over the latest exams, rounded up to whole points."""


def calibrate(checks: Sequence[ExamCheck]) -> Calibration:
    """Figures over the finished exams with frozen forecasts, oldest first."""
    done = [c for c in checks if c.pairs]
    if not done:
        return Calibration(0, None, None, None, None, 0, None)
    pairs = [pair for check in done for pair in check.pairs]
    rate = sum(o for _, o in pairs) / len(pairs)
    recent = done[-PLAIN_WORDS_EXAMS:]
    return Calibration(
        exams=len(done),
        mean_abs_error=sum(abs(c.error) for c in done) / len(done),
        brier=sum((p - o) ** 2 for p, o in pairs) / len(pairs),
        brier_constant=sum((rate - o) ** 2 for _, o in pairs) / len(pairs),
        recalibration=fit_logistic(pairs) if len(done) >= RECALIBRATE_AFTER else None,
        recent_exams=len(recent),
        recent_within=math.ceil(max(abs(c.error) for c in recent) - 1e-9),
    )


def _logit(p: float) -> float:
    q = min(1 - 1e-6, max(1e-6, p))
    return math.log(q / (1 - q))


def fit_logistic(pairs: Sequence[tuple[float, bool]], steps: int = 50) -> tuple[float, float]:
    """(a, b) maximising the likelihood of P(right) = sigmoid(a + b * logit(p)).

    Newton's method from (0, 1), the identity; a small ridge toward the identity
    keeps it finite when the outcomes are all right or all wrong.
    """
    a, b = 0.0, 1.0
    ridge = 1.0
    xs = [_logit(p) for p, _ in pairs]
    ys = [float(o) for _, o in pairs]
    for _ in range(steps):
        ga, gb = -ridge * a, -ridge * (b - 1)
        haa, hab, hbb = ridge, 0.0, ridge
        for x, y in zip(xs, ys, strict=True):
            z = max(-30.0, min(30.0, a + b * x))
            p = 1 / (1 + math.exp(-z))
            w = p * (1 - p)
            ga += y - p
            gb += (y - p) * x
            haa += w
            hab += w * x
            hbb += w * x * x
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b
