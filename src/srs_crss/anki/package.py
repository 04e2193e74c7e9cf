"""Reading a package exported by Anki (.apkg or .colpkg): notes, cards and the review log.

A package is a zip file holding one SQLite collection, in one of three
formats; when several are present the newest is the real one (Anki puts a
stub "please update Anki" collection.anki2 beside collection.anki21b):

- `collection.anki21b`: current Anki (2.1.50 on), zstd-compressed;
- `collection.anki21`: the legacy export option of Anki 2.1;
- `collection.anki2`: Anki 2.0 and the oldest clients.

The file is only read: the collection is unpacked into a temporary file and
opened read-only. Anything unreadable (not a zip, truncated, a damaged
database) raises PackageError and nothing is returned.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from srs_crss.anki.mapping import RevlogRow
from srs_crss.errors import PackageError

_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Newest first: the first one present is the collection."""


@dataclass(frozen=True)
class Package:
    """What an import needs from a package."""

    format: str
    """The collection file read, e.g. "collection.anki21b"."""
    cards_by_guid: dict[str, list[int]]
    """Note guid -> the ids of its cards."""
    revlog: list[RevlogRow]
    """The whole review log, oldest first."""


def read(path: Path) -> Package:
    """Read the notes, cards and review log of the package at `path`."""
    if not path.is_file():
        raise PackageError(path, "no such file" if not path.exists() else "not a file")
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            names = set(archive.namelist())
            name = next((n for n in _COLLECTIONS if n in names), None)
            if name is None:
                raise PackageError(
                    path, "not an Anki package: it holds no collection (collection.anki2x)"
                )
            target = Path(tmp) / "collection.sqlite"
            with archive.open(name) as member, target.open("wb") as out:
                if name.endswith("b"):
                    _unzstd(member, out)
                else:
                    shutil.copyfileobj(member, out, 1 << 20)
            return Package(name, *_read_collection(target))
    except PackageError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, sqlite3.DatabaseError) as exc:
        raise PackageError(path, f"damaged or not an Anki package ({_plain(exc)})") from None
    except OSError as exc:
        raise PackageError(path, f"cannot be read ({exc.strerror or exc})") from None


def _unzstd(source: IO[bytes], out: IO[bytes]) -> None:
    # zstandard is imported here, on first use: only an import of a current package needs it.
    import zstandard

    try:
        zstandard.ZstdDecompressor().copy_stream(source, out)
    except zstandard.ZstdError as exc:
        raise zlib.error(f"compressed data: {exc}") from None


def _read_collection(file: Path) -> tuple[dict[str, list[int]], list[RevlogRow]]:
    con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    # Anki's current schema declares a case-insensitive collation of its own.
    con.create_collation("unicase", _unicase)
    try:
        if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("the collection database fails its integrity check")
        cards: dict[str, list[int]] = {}
        for guid, cid in con.execute(
            "SELECT n.guid, c.id FROM notes AS n JOIN cards AS c ON c.nid = n.id ORDER BY c.id"
        ):
            cards.setdefault(guid, []).append(cid)
        for (guid,) in con.execute("SELECT guid FROM notes"):
            cards.setdefault(guid, [])
        revlog = list(
            map(
                RevlogRow._make,
                con.execute(
                    "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
                ).fetchall(),
            )
        )
        return cards, revlog
    finally:
        con.close()


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def _plain(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[0].lower() + text[1:] if text else text
