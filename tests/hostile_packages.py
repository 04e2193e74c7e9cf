"""Hostile Anki packages built by hand, byte by byte where the formats allow (issue 24).

Shared by tests/program/test_hostile_packages.py and benchmarks/stress.py.
"""

from __future__ import annotations

import re
import sqlite3
import struct
import zipfile
from pathlib import Path

from tests.anki_packages import SCHEMA, apkg, card_id, collection, zip_package

SQLITE_HEADER = b"SQLite format 3\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BLOCK = 128 << 10
"""zstd's largest block: what one RLE block regenerates from a single byte."""


def _block(last: bool, kind: int, size: int) -> bytes:
    """A zstd block header (3 bytes, little-endian): Last_Block, Block_Type, Block_Size."""
    return (int(last) | kind << 1 | size << 3).to_bytes(3, "little")


def zstd_bomb(expands_to: int, header: bytes = SQLITE_HEADER) -> bytes:
    """One zstd frame (RFC 8878) that regenerates `header`, then zeros up to `expands_to`
    bytes: a raw block, then RLE blocks of 4 bytes each regenerating 128 KiB. No content
    size is declared (a decoder cannot know the size in advance)."""
    frame = bytearray(_ZSTD_MAGIC)
    frame.append(0x00)  # Frame_Header_Descriptor: no content size, no checksum, no dictionary
    frame.append(7 << 3)  # Window_Descriptor: 2**(10 + 7) = 128 KiB
    blocks = max(1, (expands_to - len(header)) // _BLOCK)
    if header:
        frame += _block(False, 0, len(header)) + header  # Raw_Block
    for n in range(blocks):
        frame += _block(n == blocks - 1, 1, _BLOCK) + b"\x00"  # RLE_Block
    return bytes(frame)


def colpkg_bomb(out: Path, expands_to: int, header: bytes = SQLITE_HEADER) -> Path:
    return zip_package(out, "collection.anki21b", zstd_bomb(expands_to, header))


def deflate_bomb(out: Path, expands_to: int) -> Path:
    """An .apkg whose collection.anki2 deflates from about 1/1000 of its size."""
    zeros = bytes(1 << 20)
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("collection.anki2", "w", force_zip64=True) as member,
    ):
        member.write(SQLITE_HEADER)
        for _ in range(expands_to >> 20):
            member.write(zeros)
    return out


def endless_view(out: Path, folder: Path) -> Path:
    """A collection whose revlog is a view over a recursive query that never ends."""
    schema = SCHEMA.replace(
        SCHEMA[SCHEMA.index("CREATE TABLE revlog") :],
        "CREATE VIEW revlog AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
        " SELECT i AS id, 1 AS cid, 3 AS ease, 1 AS ivl, 1 AS lastIvl, 2500 AS factor,"
        " 1000 AS time, 1 AS type FROM n ORDER BY i DESC;",
    )
    return apkg(out, collection(folder / "view.anki2", ["c00"], schema=schema))


def untyped_revlog(out: Path, folder: Path, row: tuple[object, ...]) -> Path:
    """A collection whose revlog declares no types (Anki's does), holding `row`."""
    schema = re.sub(r"CREATE TABLE revlog \(.*?\);", "", SCHEMA, flags=re.S) + (
        "CREATE TABLE revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type);"
    )
    file = collection(folder / "untyped.anki2", ["c00"], schema=schema)
    con = sqlite3.connect(file)
    con.execute(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        row,
    )
    con.commit()
    con.close()
    return apkg(out, file)


def _patch_method(data: bytes, method: int, flags: int = 0) -> bytes:
    """Set the compression method (and OR in flag bits) in every zip header."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            flag_at = at + offset
            (old,) = struct.unpack_from("<H", out, flag_at)
            struct.pack_into("<HH", out, flag_at, old | flags, method)
            start = at + 4
    return bytes(out)


def odd_zip(out: Path, member_file: Path, method: int, flags: int = 0) -> Path:
    """An .apkg whose collection.anki2 has another compression method or flag bits."""
    stored = out.with_suffix(".stored")
    with zipfile.ZipFile(stored, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki2", member_file.read_bytes())
    out.write_bytes(_patch_method(stored.read_bytes(), method, flags))
    stored.unlink()
    return out


def unknown_reviews(folder: Path, rows: int) -> Path:
    """A collection with one srs-crss card and `rows` review rows of cards srs-crss does
    not know (the learner's own notes), as a large real Anki profile has."""
    file = collection(folder / "big.anki2", ["c00"])
    con = sqlite3.connect(file)
    start = 1_700_000_000_000
    con.executemany(
        "INSERT INTO revlog (id, cid, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, 3, 1, 1, 2500, 5000, 1)",
        ((start + n, 9_000_000 + n % 50_000) for n in range(rows)),
    )
    con.execute(
        "INSERT INTO revlog (id, cid, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, 3, 1, 1, 2500, 5000, 1)",
        (start - 1, card_id(0)),
    )
    con.commit()
    con.close()
    return file
