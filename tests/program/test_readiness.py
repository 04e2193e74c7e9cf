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


def plan(cli: Invoke, now: str | None = None) -> dict[str, Any]:
    extra = {"now": now} if now else {}
    result = cli("today", "--json", **extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_without_an_exam_date_today_lists_due_and_new_cards_and_the_latest_score(
    cli: Invoke, bank: Path
) -> None:
    data = plan(cli)
    assert data["exam_date"] is None and data["expected_percent"] is None
    assert [(s["kind"], s["cards"], s["points"]) for s in data["steps"]] == [
        ("due", 0, None),
        ("new", 20, None),  # the usual 20 new cards a day
    ]
    assert data["latest_practice_percent"] is None
    # one question answered (an exam with no answer is abandoned, not scored: issue 24)
    args = ("mock", "--json", "--deck", "bank", "--questions", "4", "--seed", "2")
    taken = cli(*args, input="a\n")
    assert taken.exit_code == 0, taken.output
    percent = json.loads(taken.stdout)["score"]["percent"]
    assert plan(cli)["latest_practice_percent"] == percent
    text = cli("today").stdout
    assert "no exam date set" in text and f"Latest practice exam: {percent:.0f}%." in text


def test_with_an_exam_date_each_step_says_what_it_is_worth(cli: Invoke, bank: Path) -> None:
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    study(cli, 20)
    data = plan(cli, now="2026-11-23T10:00:00+00:00")  # the next day: yesterday's cards are due
    due, new = data["steps"][:2]
    assert due["kind"] == "due" and due["cards"] == 20 and due["points"] > 0
    assert new["kind"] == "new" and new["cards"] == 20 and new["points"] > 0
    assert sum(d["cards"] for d in new["domains"]) == 20
    assert data["total_points"] == pytest.approx(sum(s["points"] for s in data["steps"]), abs=0.02)
    assert data["days_left"] == 21 and data["expected_percent"] > 25.0
    text = cli("today", now="2026-11-23T10:00:00+00:00").stdout
    assert "Review the 20 cards due today  (about +" in text
    assert "srs-crss review --new 0" in text


def test_a_quiz_in_the_weakest_domain_when_no_new_card_is_left(cli: Invoke, bank: Path) -> None:
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    study(cli, 40)  # every question studied: no new card left to learn
    data = plan(cli, now="2026-11-30T10:00:00+00:00")
    kinds = [s["kind"] for s in data["steps"]]
    assert kinds == ["due", "new", "quiz"] and data["steps"][1]["cards"] == 0
    quiz = data["steps"][2]
    assert quiz["cards"] == 10 and quiz["points"] > 0
    readiness_now = readiness(cli, "--date", "2026-12-14", now="2026-11-30T10:00:00+00:00")
    lowest = min(readiness_now["domains"], key=lambda d: (d["expected_percent"], d["domain"]))
    assert quiz["domain"] == lowest["domain"]
    # the command it names draws from that domain alone
    taken = cli("mock", "--json", "--deck", "bank", "--domain", quiz["domain"].upper(),
                "--questions", "10", input="", now="2026-11-30T10:00:00+00:00")  # fmt: skip
    assert taken.exit_code == 0, taken.output
    assert {q["domain"] for q in json.loads(taken.stdout)["questions"]} == {quiz["domain"]}


def test_an_unknown_quiz_domain_is_refused_plainly(cli: Invoke, bank: Path, db: Path) -> None:
    before = digest(db)
    result = cli("mock", "--deck", "bank", "--domain", "Cooking", input="")
    assert result.exit_code == 2
    assert "has no domain 'Cooking'" in result.output and "Advocacy" in result.output
    assert digest(db) == before


SIBLINGS = """\
[deck]
id = "pair"
name = "Pair"

[[cards]]
id = "fact"
front = "What is a peer?"
back = "Someone with lived experience."
domain = "Advocacy"

[[cards]]
id = "fact-mcq"
sibling_of = "fact"
type = "mcq"
front = "A peer is:"
choices = ["Someone with lived experience", "A doctor", "A judge", "A lawyer"]
answer = "Someone with lived experience"
domain = "Advocacy"
"""


def test_a_studied_flashcard_counts_for_its_multiple_choice_sibling(
    cli: Invoke, tmp_path: Path
) -> None:
    deck = tmp_path / "pair.toml"
    deck.write_text(SIBLINGS, encoding="utf-8")
    assert cli("sync", str(deck)).exit_code == 0
    done = cli("review", "--deck", "pair", "--new", "1", input="5\n")  # the flashcard, perfect
    assert done.exit_code == 0 and "Reviewed: 1" in done.output
    (advocacy,) = [d for d in readiness(cli)["domains"] if d["domain"] == "Advocacy"]
    assert advocacy["cards"] == 1 and advocacy["cards_seen"] == 1
    assert advocacy["expected_percent"] > 90.0


def test_stats_and_exam_show_carry_the_forecast(cli: Invoke, bank: Path) -> None:
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    study(cli, 8)
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["exam_forecast"] == readiness(cli)
    assert "exam_forecast" not in json.loads(cli("stats", "--deck", "bank", "--json").stdout)
    expected = readiness(cli)["expected_percent"]
    line = f"Exam-day forecast (Illinois CRSS, 2026-12-14): {expected:.0f}% expected"
    assert line in cli("stats").stdout
    shown = cli("exam", "show").stdout
    assert line in shown and "`srs-crss today` plans today's study." in shown


def test_a_long_log_leaves_the_forecast_to_readiness_so_stats_stays_quick(
    cli: Invoke, bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("srs_crss.service.forecasting.QUICK_ANSWERS", 5)
    study(cli, 8)  # more answers than "quick" allows
    assert json.loads(cli("stats", "--json").stdout)["exam_forecast"] is None
    assert "Exam-day forecast: `srs-crss readiness`" in cli("stats").stdout
    assert readiness(cli)["reviews"] == 8  # readiness itself reads them all


def test_one_right_answer_does_not_make_every_unseen_card_known(
    cli: Invoke, tmp_path: Path
) -> None:
    """A new learner's very first answer, right, on a database nobody else studied: the
    unseen questions stay near a guess (before: the deck's average of that one answer
    was 100%, and so was the forecast)."""
    deck = write_mcq_deck(tmp_path / "bank.toml", 10)
    text = deck.read_text(encoding="utf-8")
    first = text.index("[[cards]]")
    fact = (
        '[[cards]]\nid = "fact"\ntype = "basic"\nfront = "Who is a peer?"\n'
        'back = "Someone with lived experience"\ndomain = "Advocacy"\n\n'
    )
    deck.write_text(text[:first] + fact + text[first:], encoding="utf-8")
    assert cli("sync", str(deck)).exit_code == 0
    done = cli("review", "--deck", "bank", "--new", "1", input="\n5\n")  # the fact, perfect
    assert done.exit_code == 0 and "Reviewed: 1" in done.output
    data = readiness(cli)
    assert data["expected_percent"] < 35.0 and data["pass_probability"] < 0.01


def test_exam_show_json_carries_the_forecast(cli: Invoke, bank: Path) -> None:
    assert json.loads(cli("exam", "show", "--json").stdout) == []  # no exam date: no plan
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    study(cli, 8)
    (shown,) = json.loads(cli("exam", "show", "--json").stdout)
    assert shown["exam_forecast"] == readiness(cli)
    assert shown["exam_forecast"]["date"] == "2026-12-14"


def test_review_opens_with_todays_plan_when_an_exam_date_is_set(cli: Invoke, bank: Path) -> None:
    first = cli("review", "--plain", input="q\n")
    assert first.exit_code == 0 and "Today's plan" not in first.output  # no exam date
    assert cli("exam", "set", "2026-12-14").exit_code == 0
    found = plan(cli)
    shown = cli("review", "--plain", input="q\n")
    assert shown.exit_code == 0, shown.output
    (line,) = [s for s in shown.stdout.splitlines() if "Today's plan" in s]
    assert line.startswith("Exam in 22 days; forecast ")
    new = found["steps"][1]
    assert f"learn {new['cards']} new cards" in line and "`srs-crss today`" in line
    # a narrowed session (one domain, a deck, cramming) is not the day's plan
    for narrowed in (["--domain", "Advocacy"], ["--deck", "bank"], ["--cram"]):
        assert "Today's plan" not in cli("review", "--plain", *narrowed, input="q\n").stdout
