"""`srs-crss readiness`: the exam-day forecast as a learner and a script see it, and the
calibration record a practice exam leaves (frozen before it, outcomes after it)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, digest
from tests.program.test_mock import write_mcq_deck

LATER = "2026-12-20T10:00:00+00:00"


@pytest.fixture
def bank(cli: Invoke, tmp_path: Path) -> Path:
    deck = write_mcq_deck(tmp_path / "bank.toml", 10)
    assert cli("sync", str(deck)).exit_code == 0
    return deck


def readiness(cli: Invoke, *args: str, now: str | None = None) -> dict[str, Any]:
    extra = {"now": now} if now else {}
    result = cli("readiness", "--json", *args, **extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def study(cli: Invoke, cards: int, now: str | None = None) -> None:
    """A piped review of `cards` new cards, each answered "A" and graded by default."""
    extra = {"now": now} if now else {}
    done = cli("review", "--deck", "bank", "--new", str(cards), input="a\n\n" * cards, **extra)
    assert done.exit_code == 0, done.output


def test_with_no_study_the_forecast_is_chance_with_every_key(cli: Invoke, bank: Path) -> None:
    data = readiness(cli)
    assert set(data) >= {
        "model", "date", "profile", "expected_percent", "pass_probability", "pass_percent",
        "domains", "calibration",
    }  # fmt: skip
    assert data["model"] == "FSRS-6 default" and data["profile"] == "crss"
    assert data["date"] == "2026-11-22"  # no exam date: today
    assert data["expected_percent"] == 25.0  # four choices, nothing known: a guess
    assert data["pass_probability"] == 0.0 and data["pass_percent"] == 68
    assert [(d["domain"], d["cards"], d["cards_seen"]) for d in data["domains"]] == [
        ("Advocacy", 10, 0),
        ("Mentoring and Education", 10, 0),
        ("Recovery and Wellness Support", 10, 0),
        ("Ethical Responsibility", 10, 0),
    ]
    assert data["calibration"]["exams"] == 0
    text = cli("readiness").stdout
    assert "Expected score: 25% (pass mark 68%). Chance of passing: 0%." in text
    assert "You have not studied yet" in text


def test_study_raises_the_forecast_and_waiting_never_does(cli: Invoke, bank: Path) -> None:
    study(cli, 20)
    today = readiness(cli)
    assert sum(d["cards_seen"] for d in today["domains"]) == 20
    assert today["expected_percent"] > 25.0
    later = readiness(cli, "--date", "2026-12-20")
    assert later["date"] == "2026-12-20"
    assert later["expected_percent"] <= today["expected_percent"]
    assert later["pass_probability"] <= today["pass_probability"]


def test_the_exam_date_is_the_default_day(cli: Invoke, bank: Path) -> None:
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    data = readiness(cli)
    assert data["date"] == "2026-12-14" and data["on_exam_date"] is True
    assert "(your exam date)" in cli("readiness").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "someday"), "not a date: 'someday'"),
        (("--date", "2026-11-01"), "has passed"),
        (("--profile", "nope"), "There is no exam profile 'nope'"),
    ],
)
def test_bad_requests_are_refused_plainly_and_change_nothing(
    cli: Invoke, bank: Path, db: Path, args: tuple[str, ...], message: str
) -> None:
    before = digest(db)
    result = cli("readiness", *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output
    assert digest(db) == before


def _checks(db: Path) -> list[tuple[int, str, float]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT exam_id, kind, value FROM forecast_checks ORDER BY id")
        return [(int(e), str(k), float(v)) for e, k, v in rows]


def test_an_exam_freezes_the_forecast_before_and_its_outcomes_after(
    cli: Invoke, bank: Path, db: Path
) -> None:
    study(cli, 12)
    kept = cli("mock", "--deck", "bank", "--questions", "8", "--seed", "4", input="q\nk\n")
    assert kept.exit_code == 0, kept.output
    before = _checks(db)
    assert len(before) == 8 and {kind for _, kind, _ in before} == {"forecast"}
    assert all(0.25 <= value <= 1.0 for _, _, value in before)
    assert readiness(cli)["calibration"]["exams"] == 0  # not taken yet
    resumed = cli("mock", "--resume", "--json", input="a\n" * 8)
    assert resumed.exit_code == 0, resumed.output
    outcome = json.loads(resumed.stdout)
    after = _checks(db)
    assert after[:8] == before  # append-only: the frozen rows are as they were
    assert [kind for _, kind, _ in after[8:]] == ["outcome"] * 8
    assert sum(value for _, _, value in after[8:]) == outcome["score"]["correct"]
    calibrated = readiness(cli)["calibration"]
    assert calibrated["exams"] == 1 and calibrated["recalibrated"] is False
    forecast = 100 * sum(v for _, _, v in before) / 8
    assert calibrated["mean_abs_error_points"] == pytest.approx(
        abs(forecast - outcome["score"]["percent"]), abs=0.05
    )


def test_after_four_exams_the_learner_reads_how_close_the_forecast_came(
    cli: Invoke, bank: Path
) -> None:
    study(cli, 20)
    for seed in range(4):
        taken = cli("mock", "--json", "--deck", "bank", "--questions", "10", "--seed", str(seed),
                    input="a\n" * 10)  # fmt: skip
        assert taken.exit_code == 0, taken.output
    data = readiness(cli)["calibration"]
    assert data["exams"] == 4 and data["recent_exams"] == 4 and data["recalibrated"] is True
    assert data["brier"] is not None and data["brier_constant"] is not None
    within = data["recent_within_points"]
    line = f"Over your last 4 practice exams the forecast was within {within} points."
    assert data["summary"] == line
    assert line in cli("readiness").stdout
