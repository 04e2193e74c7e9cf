"""Deck files as hostile input: control characters, pipes, devices, huge or deeply nested
files, a byte order mark, ids longer than the database holds. Each gets a plain answer
(exit 2 with file and line, or a warning), at once, and nothing is written."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from srs_crss.decks.deckfile import MAX_DECK_BYTES
from srs_crss.decks.spec import MAX_ID_LENGTH
from srs_crss.storage.schema import cards_t, decks_t
from tests.conftest import MINI_DECK, NOW, Invoke

CARD = '[deck]\nid = "d"\nname = "D"\n\n[[cards]]\nid = "c"\nfront = "F"\n{extra}back = "B"\n'


def program(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real program, bounded in time: a read that blocks fails the test, not the run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRS_CRSS")}
    env |= {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "pat"}
    return subprocess.run(
        [sys.executable, "-m", "srs_crss", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_check_warns_on_control_characters(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "ctl.toml"
    path.write_text(CARD.format(extra='source = "see \\u001b]8;;http://x/\\u0007 \\u202e"\n'))
    result = cli("check", str(path))
    assert result.exit_code == 0
    assert f"{path}:5: warning: c: control characters in the text (\\x1b, \\x07, \\u202e)" in (
        result.output
    )
    assert "\x1b" not in result.output


@pytest.mark.parametrize(("escape", "name"), [("\\u0000", "NUL"), ("\\u001f", "U+001F")])
@pytest.mark.parametrize("command", ["check", "sync"])
def test_nul_and_anki_field_separator_are_refused(
    cli: Invoke, tmp_path: Path, db: Path, escape: str, name: str, command: str
) -> None:
    path = tmp_path / "sep.toml"
    path.write_text(CARD.format(extra=f'explanation = "one{escape}two"\n'))
    result = cli(command, str(path))
    assert result.exit_code == 2, result.output
    assert f"Error: {path}:8: explanation holds a {name} character" in result.output
    assert not db.exists()  # nothing written, not even an empty database


def test_a_separator_inside_a_choice_is_refused_too(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "mcq.toml"
    path.write_text(
        '[deck]\nid = "d"\nname = "D"\n\n[[cards]]\nid = "c"\ntype = "mcq"\nfront = "F"\n'
        'choices = ["a\\u001fb", "c"]\nanswer = "c"\n'
    )
    result = cli("check", str(path))
    assert result.exit_code == 2 and f"{path}:9: choices holds a U+001F" in result.output


def test_a_fifo_is_refused_at_once(tmp_path: Path, db: Path) -> None:
    fifo = tmp_path / "deck.toml"
    os.mkfifo(fifo)
    for command in ("check", "sync"):
        done = program(db, command, str(fifo))  # before: waited for a writer for ever
        assert done.returncode == 2
        assert (
            done.stderr
            == f"Error: {fifo}: is a pipe (FIFO), not a file: give a deck file (.toml)\n"
        )
    assert not db.exists()


def test_dev_zero_is_refused(tmp_path: Path, db: Path) -> None:
    done = program(db, "check", "/dev/zero")  # before: read until memory ran out
    assert done.returncode == 2 and "/dev/zero: is a device, not a file" in done.stderr


def test_a_huge_deck_file_is_refused(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(MAX_DECK_BYTES + 1)  # sparse: costs no disk
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert result.output == f"Error: {path}: is larger than 64 MB: give a deck file (.toml)\n"


def test_a_byte_order_mark_is_accepted(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI_DECK.encode())
    assert cli("check", str(path)).exit_code == 0
    synced = cli("sync", str(path))
    assert synced.exit_code == 0 and "mini (Mini deck, new deck): 2 added" in synced.output


@pytest.mark.parametrize(
    "nested",
    [
        "z = " + "[" * 1000 + "]" * 1000,
        "z = " + "{a = " * 400 + "1" + "}" * 400,
        "[" + ".".join(["a"] * 5000) + "]",
    ],
)
def test_deeply_nested_toml_is_a_plain_error(cli: Invoke, tmp_path: Path, nested: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f'[deck]\nid = "d"\nname = "D"\n{nested}\n')
    result = cli("check", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path}")
    assert "unexpected" not in result.output


def test_the_id_limit_is_the_storage_columns() -> None:
    assert decks_t.c.slug.type.length == MAX_ID_LENGTH  # type: ignore[attr-defined]
    assert cards_t.c.slug.type.length == MAX_ID_LENGTH  # type: ignore[attr-defined]
    assert cards_t.c.sibling_of.type.length == MAX_ID_LENGTH  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("deck_id", "card_id", "line", "what"),
    [("d" * 101, "c", 2, "deck id"), ("d", "c" * 101, 6, "card id")],
)
def test_ids_longer_than_the_database_holds_are_refused(
    cli: Invoke, tmp_path: Path, db: Path, deck_id: str, card_id: str, line: int, what: str
) -> None:
    path = tmp_path / "long.toml"
    path.write_text(
        f'[deck]\nid = "{deck_id}"\nname = "D"\n\n[[cards]]\nid = "{card_id}"\n'
        'front = "F"\nback = "B"\n'
    )
    for command in ("check", "sync"):
        result = cli(command, str(path))
        assert result.exit_code == 2
        assert f"{path}:{line}: {what} is 101 characters long; at most 100" in result.output
    assert not db.exists()
    path.write_text(path.read_text().replace("d" * 101, "d" * 100).replace("c" * 101, "c" * 100))
    assert cli("sync", str(path)).exit_code == 0


def test_a_file_synced_under_the_old_rules_is_validated_again(
    cli: Invoke, tmp_path: Path, db: Path
) -> None:
    """sync skips a file whose bytes it synced before (decks.source_hash), so a file with
    U+001F synced by the version before this rule must not be skipped now: the rules'
    version is in the fingerprint (decks.bundled.FORMAT_VERSION, 2 before this rule)."""
    path = tmp_path / "sep.toml"
    path.write_text(CARD.format(extra=""))
    assert cli("sync", str(path)).exit_code == 0
    path.write_text(CARD.format(extra='explanation = "one\\u001ftwo"\n'))
    old = hashlib.sha256(b"2\0" + path.read_bytes()).hexdigest()
    with sqlite3.connect(db) as conn:  # as the previous version left it
        conn.execute("UPDATE decks SET source_hash = ? WHERE slug = 'd'", (old,))
    result = cli("sync", str(path))
    assert result.exit_code == 2 and "explanation holds a U+001F character" in result.output
