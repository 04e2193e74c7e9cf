"""The instructor's figures from the command line: `class` (and --csv, --json), `items`,
and the class's exam date, over a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke
from tests.program.test_mock import letter, peek, take, write_mcq_deck, wrong

SEED = ("--deck", "bank", "--questions", "4", "--seed", "5")
STRONG = ("ana", "ben", "cy")
WEAK = ("=HYPERLINK(evil)", "dee", "eve")


def _sit(cli: Invoke, name: str, answers: list[str]) -> dict[str, Any]:
    return take(lambda *a, **k: cli(*a, env={"SRS_CRSS_LEARNER": name}, **k), *SEED, lines=answers)


@pytest.fixture
def classroom(cli: Invoke, tmp_path: Path) -> list[dict[str, Any]]:
    """Six learners sat the same practice exam: the strong ones get every question right
    but the first; the weak ones get only the first right (a misleading first item)."""
    deck = write_mcq_deck(tmp_path / "bank.toml", 2)
    assert cli("sync", str(deck)).exit_code == 0
    questions = peek(cli, *SEED)
    for name in STRONG + WEAK:
        strong = name in STRONG
        answers = [
            letter(q["choices"], q["answer"]) if (n == 0) != strong else wrong(q)
            for n, q in enumerate(questions)
        ]
        _sit(cli, name, answers)
    return questions


def test_items_show_right_answers_discrimination_and_wrong_choices(
    cli: Invoke, classroom: list[dict[str, Any]]
) -> None:
    result = cli("items", "--json")
    assert result.exit_code == 0, result.output
    items = {item["card"]: item for item in json.loads(result.stdout)}
    first = items[classroom[0]["card"]]
    assert (first["answers"], first["right"]) == (6, 3)
    assert first["discrimination"] == pytest.approx(-1.0)
    assert sum(c["picked"] for c in first["wrong_choices"]) == 3
    assert any("miskeyed" in note for note in first["notes"])
    second = items[classroom[1]["card"]]
    assert second["discrimination"] == pytest.approx(1.0) and second["right"] == 3
    assert json.loads(result.stdout)[0]["card"] == classroom[0]["card"]  # the worst first
    plain = cli("items").stdout
    assert f"{classroom[0]['card']}: 3 of 6 right (50%), discrimination -1.00" in plain


def test_the_class_table_lists_everyone_and_who_is_at_risk(cli: Invoke, classroom: Any) -> None:
    assert cli("cohort", "exam", "set", "2026-12-01").exit_code == 0  # 9 days away
    cli("exam", "set", "2027-06-01", env={"SRS_CRSS_LEARNER": "dee"})  # her own date wins
    data = json.loads(cli("class", "--json").stdout)
    learners = {row["name"]: row for row in data["learners"]}
    assert set(learners) == {*STRONG, *WEAK, "alex"}  # alex peeked at the exam: abandoned
    assert learners["ana"]["exam"] == "2026-12-01" and learners["ana"]["exam_is_class_date"]
    assert learners["dee"]["exam"] == "2027-06-01" and not learners["dee"]["exam_is_class_date"]
    assert learners["ana"]["practice"][0]["percent"] == 75.0
    risky = {risk["name"]: risk["reasons"] for risk in data["at_risk"]}
    assert learners["ana"]["last_study_day"] == "2026-11-22"  # a practice exam is study
    assert risky == {
        "eve": ["exam in 9 days; latest practice score 25% is below the pass mark of 68%"],
        "=HYPERLINK(evil)": [
            "exam in 9 days; latest practice score 25% is below the pass mark of 68%"
        ],
        # peeked at the exam, answered nothing: abandoned, not studied
        "alex": ["has not studied yet", "exam in 9 days and no practice exam taken"],
    }  # dee scored 25% too, but her own exam is far off; ana passed (75%)


def test_the_csv_cannot_run_as_a_formula_and_the_terminal_shows_names_plainly(
    cli: Invoke, classroom: Any
) -> None:
    result = cli("class", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = [row["learner"] for row in rows]
    assert "'=HYPERLINK(evil)" in names and "=HYPERLINK(evil)" not in names
    assert rows[0]["Advocacy: seen"] == "0/2"
    plain = cli("class").stdout
    assert "=HYPERLINK(evil)" in plain.splitlines()[1]
    assert "At risk:" in plain


def test_the_class_exam_date_reaches_a_learner_without_one(cli: Invoke, classroom: Any) -> None:
    shown = json.loads(cli("exam", "show", "--json", env={"SRS_CRSS_LEARNER": "ana"}).stdout)
    assert shown == []
    cli("cohort", "exam", "set", "2026-12-01")
    shown = json.loads(cli("exam", "show", "--json", env={"SRS_CRSS_LEARNER": "ana"}).stdout)
    assert [e["date"] for e in shown] == ["2026-12-01"]
    bad = cli("cohort", "exam", "set", "2020-01-01")
    assert bad.exit_code == 2 and "in the past" in bad.stderr
    unknown = cli("cohort", "exam", "set", "2026-12-01", "--deck", "bnak")
    assert unknown.exit_code == 2 and "did you mean 'bank'" in unknown.stderr
    assert cli("cohort", "exam", "clear").stdout.strip() == "Class exam date cleared (all decks)."
    assert json.loads(cli("exam", "show", "--json", env={"SRS_CRSS_LEARNER": "ana"}).stdout) == []


def test_an_account_that_has_not_studied_yet_is_in_the_class_and_at_risk(
    cli: Invoke, classroom: Any
) -> None:
    """A learner given an account who never signed in has no history yet: the
    instructor must see them (the ones who have not started are the ones at risk)."""
    assert cli("users", "add", "fay").exit_code == 0
    assert cli("users", "add", "gus", "--instructor").exit_code == 0
    data = json.loads(cli("class", "--json").stdout)
    learners = {row["name"]: row for row in data["learners"]}
    assert "fay" in learners and "gus" not in learners  # an instructor is not a learner
    assert learners["fay"]["last_study_day"] is None
    assert learners["fay"]["domains"] and all(d["seen"] == 0 for d in learners["fay"]["domains"])
    risky = {risk["name"]: risk["reasons"] for risk in data["at_risk"]}
    assert risky["fay"] == ["has not studied yet"]
