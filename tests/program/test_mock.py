"""`srs-crss mock`: practice exams, piped and in JSON, as scripts and screen readers use them."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, digest

DOMAINS = [
    "Advocacy",
    "Mentoring and Education",
    "Recovery and Wellness Support",
    "Ethical Responsibility",
]


def write_mcq_deck(path: Path, per_domain: int, deck_id: str = "bank") -> Path:
    """`per_domain` multiple-choice cards in each exam domain; the answer is "Right N"."""
    parts = [f'[deck]\nid = "{deck_id}"\nname = "Bank {deck_id}"\n']
    n = 0
    for domain in DOMAINS:
        for _ in range(per_domain):
            parts.append(
                f'[[cards]]\nid = "q{n:03d}"\ntype = "mcq"\nfront = "Question {n}?"\n'
                f'choices = ["Right {n}", "Wrong {n}a", "Wrong {n}b", "Wrong {n}c"]\n'
                f'answer = "Right {n}"\nexplanation = "Because {n}."\ndomain = "{domain}"\n'
                f'tags = []\nsource = "Source {n}"\n'
            )
            n += 1
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def bank(cli: Invoke, tmp_path: Path) -> Path:
    deck = write_mcq_deck(tmp_path / "bank.toml", 10)
    assert cli("sync", str(deck)).exit_code == 0
    return deck


def take(cli: Invoke, *args: str, lines: list[str]) -> dict[str, Any]:
    result = cli("mock", "--json", *args, input="".join(line + "\n" for line in lines))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def letter(choices: list[str], wanted: str) -> str:
    return "ABCD"[choices.index(wanted)]


def wrong(question: dict[str, Any]) -> str:
    """The letter of a wrong choice."""
    return next(
        "ABCD"[n] for n, choice in enumerate(question["choices"]) if choice != question["answer"]
    )


def peek(cli: Invoke, *args: str) -> list[dict[str, Any]]:
    """The questions an exam with these options and seed asks (taken unanswered: abandoned)."""
    questions: list[dict[str, Any]] = take(cli, *args, lines=[])["questions"]
    return questions


def test_a_piped_exam_is_scored_by_domain_with_every_question_in_json(
    cli: Invoke, bank: Path
) -> None:
    # first a dry look at the exam: the same seed draws the same questions and order
    # (with no answer given, it is abandoned, not scored)
    look = take(cli, "--deck", "bank", "--questions", "8", "--seed", "11", lines=[])
    assert look["status"] == "abandoned"
    assert look["score"] is None and look["passed"] is None
    plan = look["questions"]
    lines = []
    for n, question in enumerate(plan):  # right on even positions, wrong on odd ones
        wanted = question["answer"] if n % 2 == 0 else question["answer"].replace("Right", "Wrong")
        wanted = wanted if wanted in question["choices"] else wanted + "a"
        lines.append(letter(question["choices"], wanted))
    lines[-1] = ""  # the last one skipped
    data = take(cli, "--deck", "bank", "--questions", "8", "--seed", "11", lines=lines)
    assert [q["card"] for q in data["questions"]] == [q["card"] for q in plan]
    assert [q["choices"] for q in data["questions"]] == [q["choices"] for q in plan]
    assert data["score"] == {"correct": 4, "asked": 8, "percent": 50.0}
    assert data["passed"] is False and data["pass_percent"] == 68
    assert data["pass_is_estimate"] is False
    assert data["questions"][-1]["picked"] is None
    assert [q["correct"] for q in data["questions"]] == [n % 2 == 0 and n < 7 for n in range(8)]
    # 8 questions by 10/10/10/16: 2, 2, 1, 3 (largest remainder)
    asked = {d["domain"]: d["asked"] for d in data["domains"]}
    assert asked == {
        "Advocacy": 2,
        "Mentoring and Education": 2,
        "Recovery and Wellness Support": 1,
        "Ethical Responsibility": 3,
    }
    assert sum(d["correct"] for d in data["domains"]) == 4
    assert data["weakest_domain"] in asked
    assert set(data["questions"][0]) == {
        "position", "card", "domain", "task", "choices", "picked", "answer", "correct", "flagged",
        "seconds",
    }  # fmt: skip
    assert data["missed_cards_first_in_review"] == 4


def test_the_plain_result_walks_through_the_missed_questions(cli: Invoke, bank: Path) -> None:
    result = cli("mock", "--questions", "4", "--seed", "3", "--deck", "bank", input="x\nB\n\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "--- question 1 of 4 [bank/q" in out
    assert "'x' is not one of A-D" in out
    assert "Score:" in out and "pass mark 68%" in out
    assert "Missed questions" in out
    assert "Your answer: no answer" in out
    assert "Why: Because" in out and "Source: Source" in out
    assert "come first in your next `srs-crss review`" in out
    assert "Traceback" not in result.output


def test_an_exam_leaves_sm2_state_alone_and_missed_cards_come_first_in_review(
    cli: Invoke, bank: Path, db: Path
) -> None:
    cli("review", "--deck", "bank", "--new", "3", input="A\n4\n" * 3)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT * FROM card_states ORDER BY card_id").fetchall()
        logged = conn.execute("SELECT count(*) FROM reviews").fetchone()
    args = ("--deck", "bank", "--questions", "5", "--seed", "2")
    data = take(cli, *args, lines=[wrong(q) for q in peek(cli, *args)])
    assert data["score"]["correct"] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM card_states ORDER BY card_id").fetchall() == before
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == logged
    missed = [q["card"] for q in data["questions"]]
    review = cli("review", "--deck", "bank", "--new", "0", input="q\n")
    assert "5 missed in a practice exam" in review.stdout
    first = review.stdout.split("--- card 1", 1)[1]
    assert any(f"[{card}]" in first.split("\n", 2)[1] for card in missed)
    # answering them in review (or cram) clears them: the next session does not start with them
    cli("review", "--deck", "bank", "--new", "0", input="A\n\n" * 5 + "q\n")
    again = cli("review", "--deck", "bank", "--new", "0", input="q\n")
    assert "missed in a practice exam" not in again.stdout


def test_history_lists_every_attempt_and_stats_show_the_trend(cli: Invoke, bank: Path) -> None:
    first_args = ("--deck", "bank", "--questions", "4", "--seed", "5")
    first_wrong = [wrong(q) for q in peek(cli, *first_args)]
    first = take(cli, *first_args, lines=first_wrong)
    seen = take(cli, *first_args, lines=first_wrong[:1])  # one answer, wrong; three skipped
    right = [
        letter(q["choices"], q["answer"])
        for q in peek(cli, "--deck", "bank", "--questions", "4", "--seed", "6")
    ]
    second = take(cli, "--deck", "bank", "--questions", "4", "--seed", "6", lines=right)
    assert second["score"]["correct"] == 4
    history = json.loads(cli("mock", "--history", "--json").stdout)
    scored = [h for h in history if h["status"] != "abandoned"]
    assert [h["id"] for h in scored] == [first["id"], seen["id"], second["id"]]
    assert history[-1]["percent"] == 100.0 and history[-1]["passed"] is True
    assert {d["domain"] for d in history[-1]["domains"]} <= set(DOMAINS)
    text = cli("mock", "--history").stdout
    assert f"#{second['id']}" in text and "(100%, pass)" in text
    stats = json.loads(cli("stats", "--json").stdout)
    assert [m["percent"] for m in stats["mock_exams"]["latest"]] == [0.0, 0.0, 100.0]
    assert stats["mock_exams"]["trend_points"] == 100.0
    assert "Practice exams" in cli("stats").stdout
    cli("exam", "set", "2027-01-10")
    shown = cli("exam", "show").stdout
    assert "Practice exams (oldest to latest): 0%, 0%, 100% (up 100 points)" in shown


def test_a_small_bank_says_what_it_could_draw(cli: Invoke, tmp_path: Path) -> None:
    deck = write_mcq_deck(tmp_path / "tiny.toml", 2, deck_id="tiny")
    cli("sync", str(deck))
    result = cli("mock", "--deck", "tiny", input="")
    assert result.exit_code == 0
    assert "too small for 100 questions, so this exam has 8" in result.stderr
    assert "Advocacy: 2 of 22 wanted (2 in the bank)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nope"], "There is no exam profile 'nope'. Known profiles: crss, icrc-pr"),
        (["--questions", "0"], "0"),
        (["--minutes", "-5"], "-5"),
        (["--deck", "nope"], "no deck"),
        (["--resume"], "There is no unfinished practice exam to resume"),
    ],
)
def test_bad_requests_are_refused_plainly_and_change_nothing(
    cli: Invoke, bank: Path, db: Path, args: list[str], message: str
) -> None:
    before = digest(db)
    result = cli("mock", *args, input="")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert digest(db) == before


def test_a_deck_without_multiple_choice_cards_cannot_make_an_exam(cli: Invoke, three: Path) -> None:
    result = cli("mock", "--deck", "many", input="")
    assert result.exit_code == 2
    assert "has no multiple-choice questions" in result.output


def test_the_icrc_profile_says_its_pass_line_is_an_estimate(cli: Invoke, bank: Path) -> None:
    result = cli("mock", "--profile", "icrc-pr", "--deck", "bank", "--questions", "3", input="")
    assert "pass mark 70%" in result.stdout
    assert "is an estimate: IC&RC reports a scaled score from 200 to 800" in result.stdout
    data = take(cli, "--profile", "icrc-pr", "--deck", "bank", "--questions", "3", lines=[])
    assert data["pass_is_estimate"] is True


def test_quitting_can_keep_the_exam_for_later_or_abandon_it(cli: Invoke, bank: Path) -> None:
    kept = cli("mock", "--deck", "bank", "--questions", "4", "--seed", "1", input="A\nq\nk\n")
    assert "Kept for later" in kept.stdout
    resumed = cli("mock", "--resume", "--json", input="\n\n\n")
    data = json.loads(resumed.stdout)
    assert data["questions"][0]["picked"] is not None  # the answer given before is kept
    assert data["seed"] == 1
    gone = cli("mock", "--deck", "bank", "--questions", "4", input="q\na\n")
    assert "Abandoned" in gone.stderr
    history = json.loads(cli("mock", "--history", "--json").stdout)
    assert [h["status"] for h in history] == ["submitted", "abandoned"]


def test_piped_input_keeps_an_unfinished_exam_and_says_how_to_resume_it(
    cli: Invoke, bank: Path, db: Path
) -> None:
    cli("mock", "--deck", "bank", "--questions", "4", input="A\nq\nk\n")
    before = digest(db)
    for args in ((), ("--plain",), ("--json",)):
        result = cli("mock", *args, "--deck", "bank", "--questions", "4", input="")
        assert result.exit_code == 2, result.output
        assert "You have an unfinished practice exam" in result.stderr
        assert "(1 of 4 answered" in result.stderr
        assert "It is kept: `srs-crss mock --resume` goes on with it" in result.stderr
        assert "Traceback" not in result.output
        assert digest(db) == before  # nothing abandoned, nothing new started
    history = json.loads(cli("mock", "--history", "--json").stdout)
    assert [h["status"] for h in history] == ["open"]
    resumed = cli("mock", "--resume", "--json", input="B\n")
    assert json.loads(resumed.stdout)["status"] == "submitted"


@pytest.mark.parametrize("lines", [[], ["q", "s"], ["", "", "q", "s"]])
def test_an_exam_with_no_answer_is_abandoned_not_scored(
    cli: Invoke, bank: Path, lines: list[str]
) -> None:
    cli("mock", "--deck", "bank", "--questions", "4", "--seed", "3", input="A\n")  # 25% or so
    before = json.loads(cli("stats", "--json").stdout)["mock_exams"]
    queue = cli("review", "--deck", "bank", "--new", "0", input="q\n").stdout
    assert re.search(r"\d missed in a practice exam", queue)
    stdin = "".join(line + "\n" for line in lines)
    result = cli("mock", "--deck", "bank", "--questions", "4", input=stdin)
    assert result.exit_code == 0, result.output
    assert "Score:" not in result.stdout
    assert "No question was answered, so this exam is not scored" in result.stderr
    history = json.loads(cli("mock", "--history", "--json").stdout)
    assert history[-1]["status"] == "abandoned" and history[-1]["percent"] is None
    assert json.loads(cli("stats", "--json").stdout)["mock_exams"] == before
    # the next review starts with the same missed cards as before, no more
    assert cli("review", "--deck", "bank", "--new", "0", input="q\n").stdout == queue


def test_a_one_question_exam_says_one_question(cli: Invoke, bank: Path) -> None:
    result = cli("mock", "--deck", "bank", "--questions", "1", input="q\nk\n")
    assert "1 question, " in result.stdout and "1 questions" not in result.stdout
    history = cli("mock", "--history").stdout
    assert "open, 1 question" in history and "1 questions" not in history
