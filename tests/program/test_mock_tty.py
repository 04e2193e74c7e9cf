"""`srs-crss mock` in a pseudo-terminal: keys, the countdown, a killed process, time running out."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.program.test_mock import write_mcq_deck
from tests.program.test_review_tty import spawn, sync


@pytest.fixture
def bank(db: Path, tmp_path: Path) -> Path:
    deck = write_mcq_deck(tmp_path / "bank.toml", 5)
    sync(db, deck)
    return deck


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def start(db: Path, *args: str, columns: int = 80) -> pexpect.spawn:
    child = spawn(db, "mock", "--deck", "bank", *args, columns=columns)
    child.expect("Press any key to start")
    child.send(" ")
    child.expect("Question 1 of")
    return child


@pytest.mark.parametrize("columns", [80, 60])
def test_answer_move_flag_jump_and_submit_with_single_keys(
    db: Path, bank: Path, columns: int
) -> None:
    child = start(db, "--questions", "4", "--seed", "9", columns=columns)
    child.expect("left")  # the countdown is on the first line
    child.send("b")  # answer B: marked, no feedback
    child.expect("▶ B")
    child.send("\r")
    child.expect("Question 2 of 4")
    child.send("f")  # flag it
    child.expect("flagged for review")
    child.send("x")  # a slip: a hint, nothing else
    child.expect("'x' does nothing here")
    child.send("\t")  # named as a person names it, not as Python writes it
    child.expect("Tab does nothing here")
    child.send("\x1b[D")  # left arrow: back to question 1, its answer still there
    child.expect("Question 1 of 4")
    child.expect("▶ B")
    child.send("u")  # the next unanswered one
    child.expect("Question 2 of 4")
    child.send("g")
    child.expect("Go to question")
    child.sendline("4")
    child.expect("Question 4 of 4")
    child.send("a")
    child.send("r")  # the next flagged one
    child.expect("Question 2 of 4")
    child.send("s")
    child.expect("Submit the exam now")
    child.expect(r"Unanswered \(2\): 2, 3")
    child.expect(r"Flagged \(1\): 2")
    child.send("n")  # not yet
    child.expect("Question 2 of 4")
    child.send("s")
    child.expect("Submit the exam now")
    child.send("y")
    child.expect(r"of 4 \(")
    child.expect("Ethical Responsibility")
    child.expect("go through the")
    child.send("\r")
    child.expect("Missed 1 of")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = rows(db, "SELECT position, picked IS NOT NULL, flagged FROM mock_questions")
    assert answers == [(1, 1, 0), (2, 0, 1), (3, 0, 0), (4, 1, 0)]
    assert rows(db, "SELECT status FROM mock_exams") == [("submitted",)]


def test_a_killed_exam_keeps_its_answers_and_resumes_with_the_time_left(
    db: Path, bank: Path
) -> None:
    child = start(db, "--questions", "5", "--minutes", "30")
    child.send("c")
    child.expect("▶ C")
    child.send("\r")
    child.expect("Question 2 of 5")
    child.send("a")
    child.expect("▶ A")
    time.sleep(1.5)
    child.send("f")
    child.expect("flagged for review")
    child.kill(signal.SIGKILL)
    child.close()
    used = rows(db, "SELECT used_ms, status FROM mock_exams")
    assert used[0][1] == "open" and used[0][0] >= 1000
    assert rows(db, "SELECT count(*) FROM mock_questions WHERE picked IS NOT NULL") == [(2,)]
    child = spawn(db, "mock", "--resume")
    child.expect("Resuming your practice exam")
    child.expect("29:5")  # 30 minutes less the time used (not the time the process lay dead)
    child.send(" ")
    child.expect("2 answered")
    child.send("s")
    child.send("y")
    child.expect(r"of 5 \(")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert rows(db, "SELECT status FROM mock_exams") == [("submitted",)]


def test_when_time_runs_out_the_exam_is_submitted_as_it_stands(db: Path, bank: Path) -> None:
    child = start(db, "--questions", "3", "--minutes", "5")
    child.send("a")
    child.expect("▶ A")
    child.send("q")
    child.expect("Stop the exam")
    child.send("k")  # keep it for later
    child.expect("Kept for later")
    child.expect(pexpect.EOF)
    child.close()
    with sqlite3.connect(db) as conn:  # only 2 seconds left on its clock
        conn.execute("UPDATE mock_exams SET used_ms = time_limit_ms - 2000")
    child = spawn(db, "mock", "--resume")
    child.expect("0:02 left")
    child.send(" ")
    child.expect("Time is up", timeout=10)
    child.expect(r"of 3 \(")
    child.expect("go through the")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    status, correct = rows(db, "SELECT status, correct FROM mock_exams")[0]
    assert status == "timeout"
    assert correct in (0, 1)
    history = spawn(db, "mock", "--history", "--json")
    history.expect(pexpect.EOF)
    assert json.loads(history.before)[0]["status"] == "timeout"


def test_ctrl_c_asks_before_anything_is_lost(db: Path, bank: Path) -> None:
    child = start(db, "--questions", "3")
    child.sendintr()
    child.expect("Stop the exam")
    child.send("x")  # back to the exam
    child.expect("Question 1 of 3")
    child.sendintr()
    child.expect("Stop the exam")
    child.send("a")
    child.expect("Abandoned")
    child.expect(pexpect.EOF)
    child.close()
    assert rows(db, "SELECT status FROM mock_exams") == [("abandoned",)]


def test_q_at_the_start_keeps_the_exam_without_starting_its_clock(db: Path, bank: Path) -> None:
    child = spawn(db, "mock", "--deck", "bank", "--questions", "3")
    child.expect("Press any key to start")
    time.sleep(1.5)  # time spent reading the introduction is not exam time
    child.send("q")
    child.expect("Kept for later")
    child.expect(pexpect.EOF)
    child.close()
    assert rows(db, "SELECT status, used_ms FROM mock_exams") == [("open", 0)]


@pytest.mark.parametrize(
    ("sig", "args"),
    [(signal.SIGHUP, ()), (signal.SIGTERM, ()), (signal.SIGHUP, ("--plain",))],
)
def test_a_closed_terminal_or_a_kill_saves_the_time_used(
    db: Path, bank: Path, sig: signal.Signals, args: tuple[str, ...]
) -> None:
    child = spawn(db, "mock", "--deck", "bank", "--questions", "3", *args)
    if args:
        child.expect("Your answer")
    else:
        child.expect("Press any key to start")
        child.send(" ")
        child.expect("Question 1 of 3")
    time.sleep(2.5)  # thinking, no answer yet: the clock runs all the same
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + sig
    status, used = rows(db, "SELECT status, used_ms FROM mock_exams")[0]
    assert status == "open"
    assert used >= 2500  # at least the time slept (an upper bound would be a timed assertion)
    again = spawn(db, "mock", "--resume")
    again.expect("Resuming your practice exam")
    again.expect(r"1:59:5\d left|1:59:[0-4]\d left")
    again.close()


def test_plain_mode_at_a_terminal_asks_about_an_unfinished_exam(db: Path, bank: Path) -> None:
    child = start(db, "--questions", "3")
    child.send("q")
    child.expect("Stop the exam")
    child.send("k")
    child.expect(pexpect.EOF)
    child.close()
    child = spawn(db, "mock", "--plain", "--deck", "bank", "--questions", "2")
    child.expect("You have an unfinished practice exam")
    child.expect("r: resume it")
    child.sendline("n")
    child.expect("closed as abandoned; a new exam starts")
    child.expect("2 questions")
    child.expect("Your answer")
    child.sendline("A")
    child.expect("Your answer")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    statuses = rows(db, "SELECT status FROM mock_exams ORDER BY id")
    assert statuses == [("abandoned",), ("submitted",)]


def test_submitting_with_no_answer_says_it_is_abandoned_not_scored(db: Path, bank: Path) -> None:
    child = start(db, "--questions", "2")
    child.send("s")
    child.expect("No question has an answer: it will be abandoned, not scored")
    child.send("y")
    child.expect("No question was answered, so this exam is not scored")
    child.expect(pexpect.EOF)
    child.close()
    assert rows(db, "SELECT status, correct FROM mock_exams") == [("abandoned", None)]
