"""Learner names and hostile text on a real PostgreSQL server (as on SQLite): names
compare in NFKC without case, and a flag note with terminal commands is listed escaped.

Runs when SRS_CRSS_TEST_PG_URL names a server; skipped with that reason otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from srs_crss.cli import app
from tests.conftest import NOW, Invoke, write_basic_deck


@pytest.fixture
def pg(pg_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, learner: str = "alice", input: str | None = None) -> Result:
        env = {"SRS_CRSS_DB": pg_url, "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": learner}
        return runner.invoke(app, list(args), env=env | {"NO_COLOR": "1"}, input=input)

    return invoke


def test_names_compare_in_nfkc_without_case_on_a_server(pg: Invoke, tmp_path: Path) -> None:
    pg("sync", str(write_basic_deck(tmp_path / "many.toml", 3)))
    assert pg("review", "--deck", "many", "--new", "1", input="4\n").exit_code == 0
    for spelling in ("Ａlice", "ALICE"):
        stats = pg("stats", "--json", learner=spelling)
        assert json.loads(stats.stdout)["today"]["reviewed"] == 1
    long = pg("review", "--new", "0", learner="z" * 201, input="")
    assert long.exit_code == 2 and "at most 200" in long.output
    third = pg("review", "--new", "0", learner="bob", input="")
    assert "1 other learner uses this database" in third.output and "alice" not in third.output


def test_a_hostile_flag_note_is_listed_escaped_on_a_server(pg: Invoke, tmp_path: Path) -> None:
    pg("sync", str(write_basic_deck(tmp_path / "many.toml", 3)))
    pg("flag", "many/c00", "look \x1b]52;c;aGk=\x07 \u202eesrever", learner="mallory")
    listed = pg("flags").output
    assert "\x1b" not in listed and "\x07" not in listed and "\u202e" not in listed
    assert "look \\x1b]52;c;aGk=\\x07 \\u202eesrever" in listed
    assert json.loads(pg("flags", "--json").output)[0]["note"].startswith("look \x1b]52")
