"""Bad conditions: each gives a clear message and exit code, and no stored review is lost."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke, digest, write_basic_deck
from tests.robustness import check_database, env_for


@pytest.fixture
def studied(cli: Invoke, tmp_path: Path) -> Path:
    deck = write_basic_deck(tmp_path / "deck.toml", 30)
    cli("sync", str(deck))
    assert "Reviewed: 3" in cli("review", "--new", "3", input="4\n5\n1\nq\n").output
    return deck


def test_read_only_database_file(cli: Invoke, db: Path, studied: Path) -> None:
    before = digest(db)
    db.chmod(0o444)
    try:
        for args in (("decks",), ("review",), ("sync", str(studied))):
            result = cli(*args)
            assert result.exit_code == 2
            assert "is read-only" in result.output and "Traceback" not in result.output
    finally:
        db.chmod(0o644)
    assert digest(db) == before
    assert check_database(db) == 3


def test_full_disk_stops_cleanly_and_keeps_earlier_answers(db: Path, studied: Path) -> None:
    size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob(db.name + "-*"))
    limit = size + 24 * 1024  # room for a few answers in the write-ahead log, then "full"

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", "review", "--new", "20"],
        input="4\n" * 40, capture_output=True, text=True, env=env_for(db),
        preexec_fn=small_disk, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-500:] + done.stderr
    # RLIMIT_FSIZE makes writes fail as on a full quota (SQLite: disk I/O error)
    assert "the disk refused a write (full, over quota, or failing)" in done.stderr
    assert "the last change was not saved; everything saved before it is intact" in done.stderr
    assert "Traceback" not in done.stderr
    answered = done.stdout.count("> Grade 0-5:") - 1  # the last one failed to save
    rows = check_database(db)
    assert rows >= 3 + answered - 1 and rows <= 3 + answered


def test_a_deleted_deck_file_keeps_its_cards(cli: Invoke, db: Path, studied: Path) -> None:
    studied.unlink()
    result = cli("sync", str(studied))
    assert result.exit_code == 2 and "no such file" in result.output
    decks = json.loads(cli("decks", "--json").output)
    assert decks[0]["cards"] == 30 and decks[0]["retired"] == 0
    assert cli("review", "--new", "1", input="4\n").exit_code == 0
    assert check_database(db) == 4


def test_two_files_with_one_deck_id(cli: Invoke, db: Path, studied: Path, tmp_path: Path) -> None:
    before = digest(db)
    twin = tmp_path / "twin.toml"
    twin.write_text(studied.read_text())
    result = cli("sync", str(studied), str(twin))
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {twin}:2: deck id 'many' is already used by {studied}"
    assert digest(db) == before


def test_database_from_a_newer_version(cli: Invoke, db: Path, studied: Path) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = digest(db)
    result = cli("review")
    assert result.exit_code == 2
    assert "written by a newer srs-crss (schema 0099" in result.output
    assert digest(db) == before


def test_clock_moving_backwards_between_sessions(cli: Invoke, db: Path, studied: Path) -> None:
    # c02 failed on 11-22; the clock now says 11-20
    result = cli("review", "--new", "0", input="4\n", now="2026-11-20T10:00:00+00:00")
    assert result.exit_code == 0 and "[many/c02]" in result.output
    rows = json.loads(cli("show", "many/c02", "--json").output)["history"]
    assert rows[-1]["day"] == "2026-11-22"  # never before the last day already logged
    assert rows[-1]["reviewed_at"] == "2026-11-20T10:00:00Z"  # the time as given
    assert rows[-1]["due"] == "2026-11-23"
    assert check_database(db) == 4


def test_database_in_a_folder_without_write_permission(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("--db", str(folder / "new.db"), "decks")
        assert result.exit_code == 2 and "folder is not writable" in result.output
        assert not (folder / "new.db").exists()
    finally:
        folder.chmod(0o755)


def test_full_disk_and_io_errors_are_named_plainly() -> None:
    import sqlite3

    from sqlalchemy import exc as sa_exc

    from srs_crss.storage.engine import disk_problem

    def error(text: str) -> sa_exc.DBAPIError:
        return sa_exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError(text))

    assert disk_problem(error("database or disk is full")) == "the disk is full"
    assert disk_problem(error("disk I/O error")) == (
        "the disk refused a write (full, over quota, or failing)"
    )
    assert disk_problem(error("no such table: x")) is None


def test_a_database_server_that_refuses_is_a_run_time_failure(cli: Invoke) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on (bound, then let go)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("--db", f"postgresql://srs:secret@127.0.0.1:{port}/srs", "info")
    assert result.exit_code == 1, result.output  # the server may be back later: not bad input
    assert "cannot reach the database server" in result.output
    assert "secret" not in result.output and "Traceback" not in result.output
