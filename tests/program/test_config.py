"""Settings that stick: kept in the database per learner (and per deck for new cards)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_basic_deck


def shown(output: str) -> list[str]:
    return re.findall(r"^\[(\S+)\]", output, flags=re.MULTILINE)


@pytest.fixture
def two_decks(cli: Invoke, tmp_path: Path) -> None:
    for name in ("one", "two"):
        deck = write_basic_deck(tmp_path / f"{name}.toml", 30, deck_id=name)
        assert cli("sync", str(deck)).exit_code == 0


def test_new_per_day_sticks_for_all_decks_and_per_deck(cli: Invoke, two_decks: None) -> None:
    assert cli("config", "set", "new-per-day", "3").exit_code == 0
    first = cli("review", "--deck", "one", input="4\nq\n")  # one answered, then quit
    assert shown(first.output) == ["one/c00", "one/c01"]
    result = cli("review", "--deck", "one", input="4\n4\n4\n4\n")
    assert shown(result.output) == ["one/c01", "one/c02"]  # 3 a day, one already seen
    cli("config", "set", "new-per-day", "5", "--deck", "two")
    assert len(shown(cli("review", "--deck", "two", input="4\n" * 9).output)) == 5
    rows = json.loads(cli("config", "show", "--json").stdout)
    assert {"key": "new-per-day", "deck": None, "value": "3", "default": False} in rows
    assert {"key": "new-per-day", "deck": "two", "value": "5", "default": False} in rows
    assert cli("config", "unset", "new-per-day").output.strip() == (
        "new-per-day is back to its default."
    )
    assert {"key": "new-per-day", "deck": None, "value": "20", "default": True} in json.loads(
        cli("config", "show", "--json").stdout
    )


def test_default_deck_is_what_review_studies(cli: Invoke, two_decks: None) -> None:
    cli("config", "set", "default-deck", "two")
    assert shown(cli("review", "--new", "1", input="q\n").output) == ["two/c00"]
    assert shown(cli("review", "--deck", "one", "--new", "1", input="q\n").output) == ["one/c00"]


def test_the_rollover_hour_setting_moves_the_study_day(cli: Invoke, two_decks: None) -> None:
    cli("config", "set", "rollover-hour", "12")
    # 10:00 with a noon rollover is still the previous study day (11-21)
    cli("review", "--deck", "one", "--new", "1", input="4\n")
    history = json.loads(cli("show", "one/c00", "--json").stdout)["history"]
    assert history[0]["day"] == "2026-11-21"
    # --rollover-hour on the command line wins: 11-22, and c00 (due then) comes back
    cli("--rollover-hour", "4", "review", "--deck", "one", "--new", "0", input="4\n")
    history = json.loads(cli("show", "one/c00", "--json").stdout)["history"]
    assert [h["day"] for h in history] == ["2026-11-21", "2026-11-22"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "colour", "red"), "no setting 'colour' (settings: new-per-day"),
        (("set", "new-per-day", "lots"), "a whole number from 0 to 1000, not 'lots'"),
        (("set", "new-per-day", "1001"), "from 0 to 1000"),
        (("set", "rollover-hour", "24"), "from 0 to 23"),
        (("set", "rollover-hour", "5", "--deck", "one"), "one setting for all decks"),
        (("set", "default-deck", "on"), "no deck 'on'; did you mean 'one'?"),
        (("set", "new-per-day", "4", "--deck", "nope"), "no deck 'nope'"),
        (("unset", "colour"), "no setting 'colour'"),
    ],
)
def test_bad_settings_are_refused(
    cli: Invoke, two_decks: None, args: tuple[str, ...], message: str
) -> None:
    result = cli("config", *args)
    assert result.exit_code == 2 and message in result.output
