"""Cram: go over seen cards (a domain, today's mistakes, cards due soon) without touching
their SM-2 schedule; cram answers are counted apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_basic_deck

LATER = "2026-11-22T18:00:00+00:00"


def shown(output: str) -> list[str]:
    return re.findall(r"^\[(\S+)\]", output, flags=re.MULTILINE)


def state(cli: Invoke, card: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(cli("show", card, "--json", now=LATER).stdout)
    return data


@pytest.fixture
def studied(cli: Invoke, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "many.toml", 5)
    cli("sync", str(deck))
    # c00 4, c01 1 (failed), c02 5, then c01 again 4; c03, c04 never seen
    cli("review", "--new", "3", input="4\n1\n5\n4\n")


def test_cram_goes_over_seen_cards_and_leaves_the_schedule(cli: Invoke, studied: None) -> None:
    before = {c: state(cli, f"many/{c}")["state"] for c in ("c00", "c01", "c02")}
    result = cli("review", "--cram", input="1\n5\n5\n4\n", now=LATER)
    assert shown(result.output) == ["many/c00", "many/c01", "many/c02", "many/c00"]
    after = {c: state(cli, f"many/{c}")["state"] for c in ("c00", "c01", "c02")}
    assert after == before  # SM-2 untouched
    history = state(cli, "many/c00")["history"]
    assert isinstance(history, list) and len(history) == 1  # no review-log rows
    stats = json.loads(cli("stats", "--json", now=LATER).stdout)
    assert stats["crammed_today"] == 4 and stats["today"]["reviewed"] == 4


def test_cram_todays_mistakes_and_cards_due_soon(cli: Invoke, studied: None) -> None:
    mistakes = cli("review", "--mistakes", "1", input="4\n", now=LATER)
    assert shown(mistakes.output) == ["many/c01"]
    ahead = cli("review", "--ahead", "1", input="4\n4\n4\n", now=LATER)  # all due tomorrow
    assert shown(ahead.output) == ["many/c00", "many/c01", "many/c02"]
    none_today = cli("review", "--ahead", "0", input="", now=LATER)
    assert "Nothing to go over" in none_today.output


def test_nothing_to_cram_says_so(cli: Invoke, tmp_path: Path) -> None:
    cli("sync", str(write_basic_deck(tmp_path / "fresh.toml", 2, deck_id="fresh")))
    result = cli("review", "--cram", "--deck", "fresh", input="")
    assert "Nothing to go over: no card you have seen matches" in result.output


def test_undo_takes_back_a_cram_answer(cli: Invoke, studied: None) -> None:
    result = cli("review", "--cram", input="4\nu\n5\nq\n", now=LATER)
    assert "Undid your answer to many/c00" in result.output
    stats = json.loads(cli("stats", "--json", now=LATER).stdout)
    assert stats["crammed_today"] == 1


def test_the_session_summary_names_crammed_answers_as_stats_does(
    cli: Invoke, studied: None
) -> None:
    crammed = cli("review", "--mistakes", "1", input="4\n", now=LATER).output
    assert "Reviewed:" not in crammed
    assert "Crammed: 1   Correct: 100%" in crammed
    assert "do not count toward the streak" in crammed
    stats = json.loads(cli("stats", "--json", now=LATER).stdout)
    assert stats["crammed_today"] == 1 and stats["today"]["reviewed"] == 4
    text = " ".join(cli("stats", now=LATER).output.split())
    assert "reviewed 4" in text and "crammed 1" in text


def test_the_first_card_to_come_back_today_says_what_again_today_means(
    cli: Invoke, tmp_path: Path
) -> None:
    cli("sync", str(write_basic_deck(tmp_path / "many.toml", 3)))
    result = cli("review", "--new", "3", input="1\n2\n4\n4\n4\n")
    out = " ".join(result.output.split())
    assert "many/c00 comes back before this session ends: a card graded below 4" in out
    assert 'The header\'s "again today" counts these.' in out
    assert out.count("comes back before this session ends") == 1  # said once, not per card
    # the header counts the failed card where the note says: under "again today"
    assert "--- card 2: 1 done, 3 left (2 new, 0 review, 1 again today)" in result.output
    assert "--- card 3: 2 done, 3 left (1 new, 0 review, 2 again today)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--cram", "--mistakes", "1", "--ahead", "2"), "--mistakes and --ahead choose different"),
        (("--mistakes", "1", "--ahead", "2"), "use one of them"),
        (("--cram", "--new", "5"), "--new does not go with --cram"),
        (("--ahead", "1", "--new", "2"), "--new does not go with --ahead"),
    ],
)
def test_conflicting_cram_options_are_refused(
    cli: Invoke, studied: None, db: Path, args: tuple[str, ...], message: str
) -> None:
    from tests.conftest import digest

    before = digest(db)
    result = cli("review", *args, input="4\n4\n4\n", now=LATER)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert digest(db) == before
