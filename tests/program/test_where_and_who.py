"""Where the data lives and who is studying: new databases and learners are announced,
read-only commands create no learner, names have one spelling, `info` says it all."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from srs_crss.storage.schema import SCHEMA_HEAD
from tests.conftest import Invoke, write_basic_deck


def _learners(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM learners ORDER BY name")]


def test_a_new_database_and_a_new_learner_are_announced_on_stderr(
    cli: Invoke, db: Path, tmp_path: Path
) -> None:
    deep = tmp_path / "new" / "folder" / "my.db"
    first = cli("review", "--new", "1", input="4\n", env={"SRS_CRSS_DB": str(deep)})
    assert first.exit_code == 0
    assert f"Created a new database: {deep}" in first.stderr
    assert "New learner 'alex' started." in first.stderr
    again = cli("review", "--new", "0", input="", env={"SRS_CRSS_DB": str(deep)})
    assert "Created" not in again.stderr and "New learner" not in again.stderr
    typo = cli("--learner", "alx", "review", "--new", "0", env={"SRS_CRSS_DB": str(deep)})
    assert "New learner 'alx' started (1 other learner uses this database" in typo.stderr
    assert "alex" not in typo.stderr  # who else studies here is not told to a newcomer


@pytest.mark.parametrize(
    "args",
    [("stats",), ("decks",), ("show", "crss/" + "x"), ("exam", "show"), ("info",), ("domains",)],
)
def test_read_only_commands_never_create_a_learner(
    cli: Invoke, db: Path, args: tuple[str, ...]
) -> None:
    cli("review", "--new", "0", input="")  # the database and learner alex exist
    result = cli("--learner", "nobody-here", *args)
    assert result.exit_code in (0, 2), result.output
    assert _learners(db) == ["alex"]
    assert "New learner" not in result.output


def test_learner_names_have_one_spelling(cli: Invoke, db: Path) -> None:
    composed = unicodedata.normalize("NFC", "José")
    decomposed = unicodedata.normalize("NFD", "José")
    assert composed != decomposed
    cli("--learner", f"  {decomposed} ", "review", "--new", "1", input="4\n")
    result = cli("--learner", composed, "stats", "--json")
    assert json.loads(result.stdout)["today"]["reviewed"] == 1
    assert _learners(db) == [composed]


@pytest.mark.parametrize("name", ["", "   ", "\t"])
def test_a_blank_learner_name_is_refused_everywhere(cli: Invoke, name: str) -> None:
    for args in (("stats",), ("review",), ("info",)):
        result = cli("--learner", name, *args, input="")
        assert result.exit_code == 2
        assert "the learner name is empty" in result.output


def test_info_says_where_the_data_is_and_what_it_holds(
    cli: Invoke, db: Path, tmp_path: Path
) -> None:
    cli("sync", str(write_basic_deck(tmp_path / "many.toml", 3)))
    cli("review", "--deck", "many", "--new", "2", input="4\n4\n")
    text = cli("info").output
    assert f"Database file: {db}" in text and f"Schema: {SCHEMA_HEAD}" in text
    assert "Learner: alex" in text and "your answers: 2" in text
    data = json.loads(cli("info", "--json").stdout)
    assert data["database"] == str(db) and data["is_file"] is True
    assert data["learner"] == "alex" and data["reviews"] == 2 and data["learners"] == 1
    assert data["decks"] >= 1 and data["cards"] > 0
    url = "postgresql+psycopg://srs:secret@server.example:5432/cohort"
    shown = cli("--db", url, "info")
    assert "secret" not in shown.output
