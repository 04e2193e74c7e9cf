"""Names, URLs and files given on the command line: a mistyped URL never shows its
password, a path that cannot be a database is refused at once, and learner names are
plain text with one spelling, at most 200 characters, kept private from other learners."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, Invoke

SECRET = "Sup3rS3cretPW"


def program(cwd: Path, *args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real program in `cwd`, bounded in time (a blocked open fails the test)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRS_CRSS")}
    env |= {"SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "pat", "HOME": str(cwd)}
    if db is not None:
        env["SRS_CRSS_DB"] = db
    return subprocess.run(
        [sys.executable, "-m", "srs_crss", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "url",
    [
        f"postgres://srs:{SECRET}@db.example/cohort",  # "postgres" is not SQLAlchemy's name
        f"mysqlx://srs:{SECRET}@db.example/cohort",  # no such driver
        f"postgresql+nodriver://srs:{SECRET}@db.example/cohort",
        f"srs:{SECRET}@db.example://cohort",  # the parts in the wrong order
        f"postgresql://srs:{SECRET}@db.example:notaport/cohort",
        f"postgresql://srs:{SECRET}@db.example:99999999999/cohort",
        f"postgresql://srs:a@{SECRET}@db.example:notaport/cohort",  # a password with an @
        f"postgres://srs@db.example/cohort?password={SECRET}",  # libpq takes it here too
    ],
)
@pytest.mark.parametrize("args", [("info",), ("info", "--json"), ("stats",), ("sync",)])
def test_a_mistyped_url_never_shows_its_password(
    cli: Invoke, url: str, args: tuple[str, ...]
) -> None:
    result = cli("--db", url, *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and "unexpected" not in result.output
    assert SECRET not in result.output
    assert "***" in result.output  # the URL is still shown, to find the mistake


def test_an_unknown_kind_of_database_is_named(cli: Invoke) -> None:
    result = cli("--db", f"postgres://srs:{SECRET}@db.example/cohort", "info")
    assert result.output == (
        "Error: unknown kind of database 'postgres' in 'postgres://srs:***@db.example/cohort':"
        " use a file path, sqlite:///FILE or postgresql://USER@HOST/NAME\n"
    )


def test_a_home_folder_that_does_not_exist_is_a_plain_error(tmp_path: Path) -> None:
    done = program(tmp_path, "info", db="~no-such-user-srs-crss/x.db")
    assert done.returncode == 2
    assert done.stderr == (
        "Error: cannot use --db '~no-such-user-srs-crss/x.db': "
        "no home folder for '~no-such-user-srs-crss'\n"
    )


@pytest.mark.parametrize("blank", [" ", "   ", "\t"])
def test_a_blank_database_is_refused(tmp_path: Path, blank: str) -> None:
    done = program(tmp_path, "--db", blank, "review", "--new", "0")
    assert done.returncode == 2 and "the database is blank" in done.stderr
    assert list(tmp_path.iterdir()) == []  # before: created a database file named " "


def test_a_fifo_or_a_device_is_not_a_database(tmp_path: Path) -> None:
    fifo = tmp_path / "learner.db"
    os.mkfifo(fifo)
    for target in (str(fifo), f"sqlite:///{fifo}"):
        done = program(tmp_path, "info", db=target)  # before: waited for a writer for ever
        assert done.returncode == 2
        assert done.stderr == f"Error: {fifo} is a pipe (FIFO), not a database file\n"
    done = program(tmp_path, "info", db="/dev/null")
    assert done.returncode == 2 and "/dev/null is a device" in done.stderr


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("bob\nNew learner 'eve' started", "control character (\\x0a)"),
        ("bob\tsmith", "control character (\\x09)"),
        ("\x1b]0;owned\x07bob", "control character (\\x1b)"),
        ("\u202eecila", "text-direction control character (\\u202e)"),
        ("al\u200bice", "invisible character (\\u200b)"),
        ("al\u200dice", "invisible character (\\u200d)"),
    ],
)
def test_learner_names_with_control_bidi_or_invisible_characters_are_refused(
    cli: Invoke, db: Path, name: str, problem: str
) -> None:
    for args in (("review", "--new", "1"), ("stats",), ("info",)):
        result = cli("--learner", name, *args, input="4\n")
        assert result.exit_code == 2, result.output
        assert "the learner name cannot be used: it holds a" in result.output
        assert problem in result.output
        assert "\x1b" not in result.output
    assert not db.exists() or _learners(db) == []


def test_names_compare_in_nfkc_and_without_case(cli: Invoke, db: Path) -> None:
    cli("--learner", "alice", "review", "--new", "1", input="4\n")
    for spelling in ("Ａlice", "ALICE", "Alice", "ａｌｉｃｅ"):
        result = cli("--learner", spelling, "stats", "--json")
        assert json.loads(result.stdout)["today"]["reviewed"] == 1, spelling
        assert "New learner" not in cli("--learner", spelling, "review", input="").stderr
    assert _learners(db) == ["alice"]


def test_learner_names_hold_at_most_200_characters(cli: Invoke, db: Path) -> None:
    result = cli("--learner", "x" * 201, "review", "--new", "1", input="4\n")
    assert result.exit_code == 2
    assert "the learner name is 201 characters long; at most 200" in result.output
    assert cli("--learner", "y" * 200, "review", "--new", "1", input="4\n").exit_code == 0
    assert _learners(db) == ["y" * 200]  # SQLite (which does not enforce the column) too


def test_a_new_learner_hears_how_many_others_there_are_not_who(cli: Invoke) -> None:
    cli("--learner", "dana", "review", "--new", "0", input="")
    cli("--learner", "eli", "review", "--new", "0", input="")
    third = cli("--learner", "fran", "review", "--new", "0", input="")
    assert "New learner 'fran' started (2 other learners use this database" in third.stderr
    assert "dana" not in third.output and "eli" not in third.output


def _learners(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM learners ORDER BY name")]


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://srs:{SECRET}@127.0.0.1:1/cohort",
        f"postgresql://srs@127.0.0.1:1/cohort?password={SECRET}&connect_timeout=5",
    ],
)
def test_a_server_that_cannot_be_reached_is_named_without_its_password(
    cli: Invoke, url: str
) -> None:
    result = cli("--db", url, "info", "--json")  # port 1: nothing listens there
    assert result.exit_code != 0 and "unexpected" not in result.output
    assert SECRET not in result.output and "***" in result.output
