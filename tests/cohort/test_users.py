"""`srs-crss users`: accounts for a cohort server, as the person running it types them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pexpect
import pytest

from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.storage.schema import SCHEMA_HEAD
from tests.conftest import NOW, Invoke, digest

ONE_TIME = re.compile(r"^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$")


def _password(result_output: str) -> str:
    (line,) = [line for line in result_output.splitlines() if line.startswith("One-time")]
    return line.split(": ", 1)[1]


def test_add_prints_a_one_time_password_that_signs_in_once_changed(cli: Invoke, db: Path) -> None:
    result = cli("users", "add", "sam")
    assert result.exit_code == 0, result.output
    password = _password(result.stdout)
    assert ONE_TIME.match(password)
    with App(Settings(str(db), "admin", environ={"SRS_CRSS_NOW": NOW})) as app:
        signed = app.accounts.sign_in("sam", password, "10.0.0.1")
        assert signed.account.must_change and signed.account.role == "learner"
        changed = app.accounts.change_password("sam", password, "a long new passphrase")
        assert not changed.account.must_change
        assert app.accounts.resolve(changed.token) == changed.account
        assert app.accounts.resolve(signed.token) is None  # the other session ended


def test_add_json_gives_name_and_password_and_the_hash_is_argon2id(cli: Invoke, db: Path) -> None:
    result = cli("users", "add", "Ms Lee", "--instructor", "--json")
    data = json.loads(result.stdout)
    assert data["name"] == "Ms Lee" and data["role"] == "instructor"
    assert ONE_TIME.match(data["password"])
    import sqlite3

    with sqlite3.connect(db) as raw:
        (stored,) = raw.execute("SELECT password_hash FROM accounts").fetchone()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's setting
    assert data["password"] not in stored


def test_list_never_shows_a_password(cli: Invoke) -> None:
    password = json.loads(cli("users", "add", "sam", "--json").stdout)["password"]
    cli("users", "add", "jordan")
    listed = cli("users", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "jordan  learner     (has not chosen a password yet)",
        "sam     learner     (has not chosen a password yet)",
    ]
    as_json = cli("users", "list", "--json")
    assert password not in as_json.stdout and "argon2" not in as_json.stdout
    assert [a["name"] for a in json.loads(as_json.stdout)] == ["jordan", "sam"]


def test_names_follow_the_learner_rules_and_refuse_control_characters(
    cli: Invoke, db: Path
) -> None:
    assert cli("users", "add", "  Sa\u0301m  ").exit_code == 0
    again = cli("users", "add", "S\u00e1m")  # the same name in NFC: one spelling per person
    assert again.exit_code == 2 and "already an account" in again.stderr
    before = digest(db)
    for bad in ("   ", "evil\x1b[2Jname", "zero\u200bwidth", "x" * 101):
        result = cli("users", "add", bad)
        assert result.exit_code == 2, bad
        assert "\x1b" not in result.output and "Traceback" not in result.output
    assert digest(db) == before


def test_reset_gives_a_new_one_time_password_and_ends_sessions(cli: Invoke, db: Path) -> None:
    first = json.loads(cli("users", "add", "sam", "--json").stdout)["password"]
    with App(Settings(str(db), "admin", environ={"SRS_CRSS_NOW": NOW})) as app:
        session = app.accounts.sign_in("sam", first, "10.0.0.1")
    result = cli("users", "reset", "sam")
    assert result.exit_code == 0 and "New one-time password for 'sam'" in result.stdout
    second = _password(result.stdout)
    assert second != first
    with App(Settings(str(db), "admin", environ={"SRS_CRSS_NOW": NOW})) as app:
        assert app.accounts.resolve(session.token) is None
        assert app.accounts.sign_in("sam", second, "10.0.0.1").account.must_change
    unknown = cli("users", "reset", "sma")
    assert unknown.exit_code == 2 and "did you mean 'sam'" in unknown.stderr


def test_remove_asks_about_the_history_and_scripts_say_it_with_a_flag(
    cli: Invoke, db: Path
) -> None:
    cli("users", "add", "sam")
    cli("users", "add", "jordan")
    cli("review", "--limit", "1", env={"SRS_CRSS_LEARNER": "sam"}, input="\n4\n")
    cli("review", "--limit", "1", env={"SRS_CRSS_LEARNER": "jordan"}, input="\n4\n")
    before = digest(db)
    unasked = cli("users", "remove", "sam")  # no terminal to ask on, no flag: refused
    assert unasked.exit_code == 2 and "--keep-history or --delete-history" in unasked.stderr
    assert digest(db) == before
    kept = cli("users", "remove", "sam", "--keep-history")
    assert kept.exit_code == 0 and "history is kept" in kept.stdout
    gone = cli("users", "remove", "jordan", "--delete-history")
    assert gone.exit_code == 0 and "all of their study history" in gone.stdout
    import sqlite3

    with sqlite3.connect(db) as raw:
        learners = [row[0] for row in raw.execute("SELECT name FROM learners ORDER BY name")]
        reviews = raw.execute("SELECT count(*) FROM reviews").fetchone()[0]
        accounts = raw.execute("SELECT count(*) FROM accounts").fetchone()[0]
    assert "sam" in learners and "jordan" not in learners
    assert reviews == 1 and accounts == 0


def test_a_database_at_0011_with_progress_gains_accounts(db: Path, cli: Invoke) -> None:
    from sqlalchemy import create_engine

    from srs_crss.storage.engine import Location
    from srs_crss.storage.migrations import upgrade

    engine = create_engine(Location.of(str(db)).url)
    with engine.connect() as conn:
        upgrade(conn, "0011")
    engine.dispose()
    import sqlite3

    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO learners (name, created_at) VALUES ('old', '2026-01-01 00:00:00')")
    raw.close()
    assert cli("users", "add", "old").exit_code == 0
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        assert raw.execute("SELECT name FROM learners").fetchall() == [("old",)]


@pytest.mark.parametrize(("reply", "kept"), [("n", True), ("y", False), ("", True)])
def test_remove_asks_a_person_at_a_terminal(cli: Invoke, db: Path, reply: str, kept: bool) -> None:
    from tests.program.test_review_tty import spawn

    cli("users", "add", "sam")
    cli("review", "--limit", "1", env={"SRS_CRSS_LEARNER": "sam"}, input="\n4\n")
    child = spawn(db, "users", "remove", "sam")
    child.expect(r"Also delete all of 'sam'.s study history\? It cannot be undone \[y/N\]: ")
    child.sendline(reply)
    child.expect("history is kept" if kept else "all of their study history")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    import sqlite3

    with sqlite3.connect(db) as raw:
        learners = [row[0] for row in raw.execute("SELECT name FROM learners")]
    assert ("sam" in learners) is kept


def test_removing_an_unknown_account_says_so_before_asking(cli: Invoke) -> None:
    cli("users", "add", "sam")
    result = cli("users", "remove", "sma")
    assert result.exit_code == 2 and "no account 'sma'; did you mean 'sam'?" in result.stderr
    assert "--keep-history" not in result.output
