"""Anki packages built by hand for tests: the few tables an import reads, written with
sqlite3 and zipped as Anki does (.apkg with collection.anki2, or .colpkg with a
zstd-compressed collection.anki21b). Fast enough to build large ones in a test,
and free to hold whatever a hostile package would."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from srs_crss.anki.notetypes import note_guid

SCHEMA = """
CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT NOT NULL);
CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER NOT NULL);
CREATE TABLE revlog (
    id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, usn INTEGER NOT NULL DEFAULT -1,
    ease INTEGER NOT NULL, ivl INTEGER NOT NULL, lastIvl INTEGER NOT NULL,
    factor INTEGER NOT NULL, time INTEGER NOT NULL, type INTEGER NOT NULL
);
"""

Row = tuple[object, ...]
"""A revlog row: id, cid, ease, ivl, lastIvl, factor, time, type."""


def ms(moment: str | dt.datetime) -> int:
    """Milliseconds since the epoch, as Anki's revlog ids count them."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return int(moment.timestamp() * 1000)


def card_id(index: int) -> int:
    """The Anki card id the helpers give card c{index:02d} (its note id is one less)."""
    return 1_000_000 + 2 * index


def collection(
    path: Path,
    cards: Iterable[str],
    revlog: Iterable[Row] = (),
    deck: str = "many",
    extra_sql: str = "",
    schema: str = SCHEMA,
) -> Path:
    """A collection file holding a note and a card for each srs-crss card id in `cards`
    (card c{i}'s Anki card id is `card_id(i)`), and these revlog rows."""
    con = sqlite3.connect(path)
    try:
        con.executescript(schema)
        for slug in cards:
            index = int(slug.lstrip("c"))
            cid = card_id(index)
            con.execute("INSERT INTO notes VALUES (?, ?)", (cid - 1, note_guid(deck, slug)))
            con.execute("INSERT INTO cards VALUES (?, ?)", (cid, cid - 1))
        rows = list(revlog)
        con.executemany(
            "INSERT INTO revlog (id, cid, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        ) if rows else None
        if extra_sql:
            con.executescript(extra_sql)
        con.commit()
    finally:
        con.close()
    return path


def zip_package(out: Path, member: str, data: bytes, **info: object) -> Path:
    """A zip holding one member (deflated unless `info` says otherwise)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return out


def apkg(out: Path, collection_file: Path) -> Path:
    """An .apkg in Anki 2.0's format (the collection stored as collection.anki2)."""
    return zip_package(out, "collection.anki2", collection_file.read_bytes())


def colpkg(out: Path, collection_file: Path) -> Path:
    """A .colpkg in current Anki's format (collection.anki21b, zstd-compressed)."""
    import zstandard

    data = zstandard.ZstdCompressor().compress(collection_file.read_bytes())
    return zip_package(out, "collection.anki21b", data)


def studied(
    cards: Sequence[str], answers: int, start: str, every_days: int = 3, ease: int = 3
) -> list[Row]:
    """`answers` Good answers to each card, `every_days` apart from `start`, ms apart
    across cards (Anki's revlog ids are unique)."""
    first = ms(start)
    rows: list[Row] = []
    for n in range(answers):
        for i, slug in enumerate(cards):
            index = int(slug.lstrip("c"))
            at = first + n * every_days * 86_400_000 + i
            rows.append((at, card_id(index), ease, every_days, every_days, 2500, 6000, 1))
    return rows
