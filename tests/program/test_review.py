"""`srs-crss review` with piped input: queue rules, limits, extra reviews, undo, MCQ."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_basic_deck

DAY1 = "2026-11-22T10:00:00+00:00"
DAY2 = "2026-11-23T10:00:00+00:00"


def shown(output: str) -> list[str]:
    """Qualified ids of the cards shown, in order."""
    return re.findall(r"^\[([a-z0-9-]+/[a-z0-9-]+)\]", output, flags=re.MULTILINE)


def history(cli: Invoke, card: str) -> list[dict[str, object]]:
    result: list[dict[str, object]] = json.loads(cli("show", card, "--json").output)["history"]
    return result


@pytest.fixture
def many(cli: Invoke, tmp_path: Path) -> Path:
    deck = write_basic_deck(tmp_path / "many.toml", 30)
    assert cli("sync", str(deck)).exit_code == 0
    return deck


def test_new_cards_in_file_order_up_to_daily_limit(cli: Invoke, many: Path) -> None:
    result = cli("review", input="4\n" * 40)
    assert result.exit_code == 0, result.output
    assert shown(result.output) == [f"many/c{i:02d}" for i in range(20)]
    assert "Reviewed: 20   Correct: 100%" in result.output
    # a second session the same day gets no more new cards
    again = cli("review", input="4\n" * 5)
    assert shown(again.output) == []
    assert "Nothing due right now. The next card is due on 2026-11-23." in again.output
    assert "10 new cards are waiting; today's new-card limit is used up" in again.output


def test_explicit_new_overrides_what_is_left(cli: Invoke, many: Path) -> None:
    cli("review", "--new", "18", input="4\n" * 18)
    left = cli("review", input="4\n" * 5)
    assert shown(left.output) == ["many/c18", "many/c19"]
    explicit = cli("review", "--new", "3", input="4\n" * 5)
    assert shown(explicit.output) == ["many/c20", "many/c21", "many/c22"]


def test_due_cards_oldest_first_then_new(cli: Invoke, many: Path) -> None:
    cli("review", "--new", "2", input="4\n4\n")  # c00, c01: due 11-23
    cli("review", "--new", "1", input="4\n4\n4\n", now=DAY2)  # c00, c01: due 11-29; c02: 11-24
    later = "2026-11-30T10:00:00+00:00"
    result = cli("review", "--new", "1", input="4\n" * 4, now=later)
    assert shown(result.output) == ["many/c02", "many/c00", "many/c01", "many/c03"]


def test_overdue_cards_come_before_new_ones(cli: Invoke, many: Path) -> None:
    cli("review", "--new", "3", input="4\n4\n4\n")
    result = cli("review", "--new", "1", input="4\n" * 4, now=DAY2)
    assert shown(result.output) == ["many/c00", "many/c01", "many/c02", "many/c03"]
    assert "(1 new, 3 review, 0 again today)" in result.output


def test_limit_tag_domain_and_deck(cli: Invoke, many: Path, tmp_path: Path) -> None:
    other = write_basic_deck(
        tmp_path / "other.toml", 3, deck_id="other", domain="Ethical Responsibility"
    )
    cli("sync", str(other))
    assert len(shown(cli("review", "--limit", "4", input="4\n" * 10).output)) == 4
    tagged = shown(cli("review", "--tag", "odd", "--new", "2", input="4\n" * 10).output)
    assert tagged == ["many/c05", "many/c07"]
    by_domain = cli("review", "--domain", "ethical responsibility", input="4\n" * 10)
    assert shown(by_domain.output) == ["other/c00", "other/c01", "other/c02"]
    assert shown(cli("review", "--deck", "many", "--new", "1", input="4\n").output) == ["many/c04"]
    unknown = cli("review", "--deck", "nope")
    assert unknown.exit_code == 2 and "no deck 'nope'" in unknown.output


def test_failed_card_returns_until_passed(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "2", input="1\n4\n2\n5\n")
    assert shown(result.output) == ["many/c00", "many/c01", "many/c00", "many/c00"]
    grades = [h["grade"] for h in history(cli, "many/c00")]
    kinds = [h["kind"] for h in history(cli, "many/c00")]
    assert grades == [1, 2, 5] and kinds == ["new", "relearn", "relearn"]
    assert json.loads(cli("show", "many/c00", "--json").output)["state"]["due"] == "2026-11-23"


def test_grade_three_needs_an_extra_review(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "1", input="3\n3\n4\n")
    assert shown(result.output) == ["many/c00"] * 3
    assert "(0 new, 0 review, 1 again today)" in result.output
    rows = history(cli, "many/c00")
    assert [r["kind"] for r in rows] == ["new", "extra", "extra"]
    assert rows[-1]["due"] == "2026-11-23" and rows[-1]["ef"] == 2.36


def test_ending_early_leaves_failed_cards_due_today(cli: Invoke, many: Path) -> None:
    cli("review", "--new", "1", input="0\n")  # end of input after one answer
    result = cli("review", "--new", "0", input="q\n")
    assert shown(result.output) == ["many/c00"]
    # (was "Reviewed: 0"; issue 11 asks for plain words when nothing was answered)
    assert "No answers this session." in result.output
    assert "Still due today: 1   Due tomorrow: 0" in result.output


def test_undo_restores_state_and_removes_the_log_row(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "3", input="4\n5\nu\nu\n3\n4\n4\n4\n")
    assert shown(result.output) == [
        "many/c00", "many/c01", "many/c02", "many/c01", "many/c00", "many/c01", "many/c02",
        "many/c00",
    ]  # fmt: skip
    assert "Undid your answer to many/c01" in result.output
    assert "Undid your answer to many/c00" in result.output
    assert [h["grade"] for h in history(cli, "many/c00")] == [3, 4]
    assert [h["grade"] for h in history(cli, "many/c01")] == [4]


def test_undo_with_nothing_to_undo_is_a_hint(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "1", input="u\n4\n")
    assert "Nothing to undo yet." in result.output
    assert result.exit_code == 0 and shown(result.output) == ["many/c00"]


def test_unknown_lines_are_refused_and_asked_again(cli: Invoke, many: Path) -> None:
    # (the empty line shows the answer now, issue 11, so three lines are refused, not four)
    result = cli("review", "--new", "1", input="7\nhello\n\nx\n4\n")
    assert result.exit_code == 0
    assert result.output.count("does nothing here") == 3
    assert [h["grade"] for h in history(cli, "many/c00")] == [4]
    assert "Traceback" not in result.output and "\x1b[" not in result.output


def test_end_of_input_keeps_answers(cli: Invoke, many: Path) -> None:
    result = cli("review", input="4\n5\n")
    assert result.exit_code == 0
    assert "Reviewed: 2" in result.output
    assert "Due tomorrow: 2   Streak: 1 day" in result.output


def test_duration_is_recorded(cli: Invoke, many: Path, db: Path) -> None:
    import sqlite3

    cli("review", "--new", "1", input="4\n")
    with sqlite3.connect(db) as conn:
        (duration,) = conn.execute("SELECT duration_ms FROM reviews").fetchone()
    conn.close()
    assert isinstance(duration, int) and duration >= 0


def test_multiple_choice_letter_then_grade(cli: Invoke, mini: Path) -> None:
    cli("sync", str(mini))
    first = cli("review", "--new", "2", input="4\n")
    letters = dict(re.findall(r"^  ([A-D])\) (.+)$", first.output, flags=re.MULTILINE))
    right = next(k for k, v in letters.items() if v == "Empathy")
    wrong = next(k for k, v in letters.items() if v != "Empathy")
    # wrong pick: only 0-2 accepted, Enter = 1; then it comes back; right pick, Enter = 4
    result = cli("review", input=f"{wrong}\n4\n\n{right.lower()}\n\n")
    assert "Not quite. Answer:" in result.output
    assert result.output.count("does nothing here") == 1
    assert "Correct. Answer:" in result.output
    assert "Why: Empathy builds trust." in result.output
    assert [h["grade"] for h in history(cli, "mini/quality")] == [1, 4]


def test_choice_order_is_shuffled_per_review_but_deterministic(cli: Invoke, mini: Path) -> None:
    cli("sync", str(mini))

    def order(output: str) -> list[str]:
        return re.findall(r"^  [A-D]\) (.+)$", output, flags=re.MULTILINE)

    a = order(cli("review", "--deck", "mini", "--new", "2", input="4\nq\n").output)
    b = order(cli("review", "--deck", "mini", "--new", "2", input="4\nq\n").output)
    assert a == b and sorted(a) == ["Assertiveness", "Charisma", "Empathy", "Expertise"]


def test_choice_order_follows_the_answers_logged_within_a_session(cli: Invoke, mini: Path) -> None:
    # A session counts a card's answers as it goes (and takes one back on undo): the
    # order it shows is the one a fresh session would show with the same log.
    cli("sync", str(mini))

    def showings(output: str) -> list[list[str]]:
        found = re.findall(r"^  ([A-D])\) (.+)$", output, flags=re.MULTILINE)
        return [[text for _, text in found[i : i + 4]] for i in range(0, len(found), 4)]

    def wrong_letter(output: str) -> str:
        found = re.findall(r"^  ([A-D])\) (.+)$", output, flags=re.MULTILINE)[-4:]
        return str(next(letter for letter, text in found if text != "Empathy"))

    first = cli("review", "--deck", "mini", "--new", "2", input="4\n").output
    wrong = wrong_letter(first)
    # the choice question: a wrong pick, grade 1; it comes back today
    session = cli("review", "--deck", "mini", "--new", "2", input=f"{wrong}\n1\nq\n")
    never, once_here = showings(session.output)
    once_fresh = showings(cli("review", "--deck", "mini", input="q\n").output)[0]
    assert once_here == once_fresh
    wrong = wrong_letter(cli("review", "--deck", "mini", input="q\n").output)
    undone = cli("review", "--deck", "mini", input=f"{wrong}\n1\nu\nq\n")
    assert "Undid your answer" in undone.output
    before, twice, again_once = showings(undone.output)
    assert before == again_once == once_fresh
    assert len(history(cli, "mini/quality")) == 1
    assert sorted(never) == sorted(twice) == ["Assertiveness", "Charisma", "Empathy", "Expertise"]


def test_nothing_due_on_empty_scope(cli: Invoke, many: Path) -> None:
    # (an unknown tag is an error now, issue 11: the empty scope is a known tag, no new cards)
    result = cli("review", "--tag", "odd", "--new", "0")
    assert result.exit_code == 0
    assert "Nothing due right now." in result.output


def test_header_counts_leave_out_retired_cards(cli: Invoke, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "many.toml", 4)
    cli("sync", str(deck))
    cli("review", input="1\n1\n3\n4\nq\n")  # c00, c01 failed; c02 awaits an extra review
    deck.write_text("\n\n".join(p for p in deck.read_text().split("\n\n") if "c01" not in p))
    assert "1 retired" in cli("sync", str(deck)).output
    result = cli("review", "--new", "0", input="q\n")
    assert "0 done, 2 left (0 new, 1 review, 1 again today)" in result.output
    assert shown(result.output) == ["many/c00"]


def test_streak_in_the_summary(cli: Invoke, many: Path) -> None:
    cli("review", "--new", "1", input="4\n", now="2026-11-20T10:00:00+00:00")
    cli("review", "--new", "1", input="4\n", now="2026-11-21T10:00:00+00:00")
    result = cli("review", "--new", "1", input="4\n" * 3)
    assert "Streak: 3 days" in result.output


def test_clock_going_back_never_schedules_before_the_last_review_day(
    cli: Invoke, many: Path
) -> None:
    cli("review", "--new", "1", input="0\n", now=DAY2)  # c00 failed on 11-23
    result = cli("review", "--new", "0", input="4\n", now=DAY1)  # clock back to 11-22
    assert shown(result.output) == ["many/c00"]
    rows = history(cli, "many/c00")
    assert [r["day"] for r in rows] == ["2026-11-23", "2026-11-23"]
    assert rows[-1]["due"] == "2026-11-24"


def test_rollover_hour_decides_the_study_day(cli: Invoke, many: Path) -> None:
    early = "2026-11-23T03:30:00+00:00"  # before 04:00: still 11-22's session
    cli("review", "--new", "1", input="4\n", now=early)
    assert history(cli, "many/c00")[0]["day"] == "2026-11-22"
    later = cli("--rollover-hour", "3", "review", "--new", "1", input="4\n4\n", now=early)
    assert shown(later.output) == ["many/c00", "many/c01"]  # c00 is due on 11-23
    assert history(cli, "many/c01")[0]["day"] == "2026-11-23"


def test_the_summary_agrees_with_stats_on_what_is_still_due_today(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "3", input="1\n4\n0\nq\n")  # two failed, then quit
    assert "Reviewed: 3" in result.output
    assert "Still due today: 2   Due tomorrow: 1" in result.output
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["today"]["due"] == 2


def test_the_choice_picked_is_kept_with_the_answer(cli: Invoke, mini: Path) -> None:
    cli("sync", str(mini))
    first = cli("review", "--new", "2", input="4\n")
    letters = dict(re.findall(r"^  ([A-D])\) (.+)$", first.output, flags=re.MULTILINE))
    right = next(k for k, v in letters.items() if v == "Empathy")
    wrong, fooled_by = next((k, v) for k, v in letters.items() if v != "Empathy")
    cli("review", input=f"{wrong}\n\n{right}\n\n")
    assert [h["picked"] for h in history(cli, "mini/quality")] == [fooled_by, "Empathy"]
    assert [h["picked"] for h in history(cli, "mini/empathy-basics")] == [None]
    shown = cli("show", "mini/quality").output
    assert f"✗ {fooled_by}" in shown and "✓ Empathy" in shown


def test_piped_answers_stay_hidden_until_an_empty_line(cli: Invoke, many: Path) -> None:
    result = cli("review", "--new", "2", input="\n4\n5\n")
    out = result.output
    # card 1: question, the prompt, (empty line) the answer, the grade prompt again
    first = out.index("Q: Front 0")
    assert out.index("> Grade 0-5:", first) < out.index("A: Back 0")
    # card 2: graded at once, as scripts do: its answer is never printed
    assert "Q: Front 1" in out and "A: Back 1" not in out
    assert [h["grade"] for h in history(cli, "many/c01")] == [5]
    assert "an empty line shows the answer" in out


def test_plain_mode_in_a_terminal(db: Path, many: Path) -> None:
    import pexpect

    from tests.program.test_review_tty import spawn

    child = spawn(db, "review", "--plain", "--new", "1")
    child.expect("Q: Front 0")
    child.expect("> Grade 0-5:")
    assert "A: Back 0" not in child.before
    child.sendline("")
    child.expect("A: Back 0")
    child.sendline("4")
    child.expect("Session over")
    child.expect(pexpect.EOF)
    assert "\x1b[" not in child.before


def test_two_sessions_never_both_review_a_card(cli: Invoke, many: Path, db: Path) -> None:
    """Two sessions of one learner build the same queue; a card answered in one is skipped
    by the other when it comes up there (issue 24: both gave it the day's full review)."""
    from tests.robustness import read_until, start_review

    first, second = start_review(db, "--new", "5"), start_review(db, "--new", "5")
    for session in (first, second):
        assert read_until(session, "[many/c00]")  # both queues are built
    out, _ = first.communicate("4\n" * 5 + "q\n", timeout=120)
    assert shown(out) == [f"many/c0{i}" for i in range(1, 5)]  # after c00
    out, _ = second.communicate("4\n" * 5 + "q\n", timeout=120)
    assert shown(out) == []  # c00 was on screen already; c01-c04 are skipped
    assert "Reviewed: 1 " in out  # c00, shown before the other session answered it
    for card in ("c01", "c02", "c03", "c04"):
        assert [h["repetitions"] for h in history(cli, f"many/{card}")] == [1]
