"""An upgrade of srs-crss brings its bundled decks' new and corrected cards to a
database that holds them, at the next command: no `srs-crss sync` to know about."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from srs_crss.decks.bundled import bundled_deck_files
from tests.conftest import Invoke


def _as_an_older_version_left_it(db: Path, card: str) -> None:
    """The crss deck as synced from an older file: without `card`, another fingerprint."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE cards SET retired = 1 WHERE slug = ?", (card,))
        conn.execute("UPDATE decks SET source_hash = 'older' WHERE slug = 'crss'")


def _crss_cards(cli: Invoke) -> int:
    decks = json.loads(cli("decks", "--json").stdout)
    (crss,) = [d for d in decks if d["id"] == "crss"]
    return int(crss["cards"])


def test_the_next_command_after_an_upgrade_brings_the_bundled_cards(cli: Invoke, db: Path) -> None:
    whole = _crss_cards(cli)  # a first command loads the bundled decks
    _as_an_older_version_left_it(db, "seed-essential-quality")
    assert _crss_cards(cli) == whole  # the card is back, as the installed file has it
    assert "seed-essential-quality" in cli("show", "crss/seed-essential-quality").stdout
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT source_hash FROM decks WHERE slug = 'crss'").fetchone()
    assert stored != "older"  # and the next command does not sync it again


def test_a_database_without_the_bundled_decks_is_not_given_them(
    cli: Invoke, db: Path, mini: Path
) -> None:
    assert cli("sync", str(mini)).exit_code == 0  # a new database: only this deck
    assert cli("review", "--plain", input="q\n").exit_code == 0
    slugs = {d["id"] for d in json.loads(cli("decks", "--json").stdout)}
    assert slugs == {"mini"}
    assert bundled_deck_files()  # the bundled files are there, and left out
