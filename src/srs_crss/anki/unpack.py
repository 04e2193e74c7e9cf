"""Unpacking an Anki package's collection into a private temporary folder, bounded.

The collection is streamed out of the zip (and out of zstd, for current
Anki's format) and must start with SQLite's header; it may not grow past
`unpacked_limit`, proportional to the bytes really in the package (a
324-byte zstd frame can claim 5 GiB: issue 24). The folder, named after the
process, goes on every way out, SIGTERM included; one left by a process that
died (SIGKILL, a power cut) is removed by the next import. A full disk is said
as such (a run-time failure, exit 1), a damaged package as bad input (exit 2).
"""

from __future__ import annotations

import errno
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from srs_crss.anki import scratch
from srs_crss.errors import PackageError, StorageFailure

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Newest first: the first one present is the collection."""
SQLITE_HEADER = b"SQLite format 3\x00"
UNPACKED_FLOOR = 64 << 20
"""Any package may unpack to this much (a small collection compresses very well)."""
UNPACKED_RATIO = 100
"""...and to this many times the compressed bytes really in it (real collections: 3 to 10)."""
_CHUNK = 1 << 20


def unpacked_limit(compressed: int) -> int:
    """How large a collection holding `compressed` bytes in its package may unpack."""
    return max(UNPACKED_FLOOR, UNPACKED_RATIO * compressed)


@contextmanager
def unpacked(path: Path) -> Iterator[tuple[str, Path]]:
    """The package's collection member name, and its unpacked copy (until the block ends)."""
    if not path.is_file():
        raise PackageError(path, "no such file" if not path.exists() else "not a file")
    scratch.remove_stale(Path(tempfile.gettempdir()), scratch.IMPORT_PREFIX)
    with (
        scratch.terminated_cleanly(),
        tempfile.TemporaryDirectory(prefix=scratch.tag(scratch.IMPORT_PREFIX)) as tmp,
    ):
        target = Path(tmp) / "collection.sqlite"
        with plain_errors(path), zipfile.ZipFile(path) as archive:
            member = _member(path, archive)
            limit = unpacked_limit(min(member.compress_size, path.stat().st_size))
            _unpack(path, archive, member, target, limit)
        yield member.filename, target


@contextmanager
def plain_errors(path: Path) -> Iterator[None]:
    """What went wrong reading the package, in plain words: a damaged package is bad input
    (exit 2); a full disk is a run-time failure (exit 1) said as such."""
    try:
        yield
    except (PackageError, StorageFailure):
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(path) from None
        raise PackageError(path, f"cannot be read ({exc.strerror or exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise PackageError(path, f"damaged or not an Anki package ({_plain(exc)})") from None
    except sqlite3.DatabaseError as exc:
        if "disk is full" in str(exc) or "disk I/O" in str(exc):
            raise _disk_full(path) from None
        raise PackageError(path, f"damaged or not an Anki package ({_plain(exc)})") from None


def _disk_full(path: Path) -> StorageFailure:
    return StorageFailure(
        f"cannot read {path}: the disk is full (the temporary folder, "
        f"{tempfile.gettempdir()}); nothing was imported"
    )


def _member(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    names = set(archive.namelist())
    name = next((n for n in COLLECTIONS if n in names), None)
    if name is None:
        raise PackageError(path, "not an Anki package: it holds no collection (collection.anki2x)")
    member = archive.getinfo(name)
    if member.flag_bits & 0x1:
        raise PackageError(path, f"{name} is encrypted; Anki never encrypts a package")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(
            path,
            f"{name} is compressed in a way Anki never uses (zip method {member.compress_type})",
        )
    return member


def _unpack(
    path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int
) -> None:
    """Stream the collection out of the zip (and out of zstd), checking its first bytes and
    stopping at `limit`."""
    written = 0
    with archive.open(member) as raw, target.open("wb") as out:
        source: IO[bytes] = _unzstd(raw) if member.filename.endswith("b") else raw
        while chunk := source.read(_CHUNK):
            if written == 0 and not chunk.startswith(SQLITE_HEADER[: len(chunk)]):
                raise PackageError(path, "damaged or not an Anki package (no SQLite collection)")
            written += len(chunk)
            if written > limit:
                raise PackageError(
                    path,
                    f"its collection unpacks to more than {limit >> 20} MB from "
                    f"{member.compress_size:,} bytes, far more than any Anki collection; "
                    "it was not unpacked further and nothing was imported",
                )
            out.write(chunk)
    if written < len(SQLITE_HEADER):
        raise PackageError(path, "damaged or not an Anki package (no SQLite collection)")


def _unzstd(source: IO[bytes]) -> IO[bytes]:
    # zstandard is imported here, on first use: only an import of a current package needs it.
    import zstandard

    class Reader:
        """zstd errors as zlib's, so one except clause names them all."""

        def __init__(self) -> None:
            self._reader = zstandard.ZstdDecompressor().stream_reader(
                source, read_across_frames=True
            )

        def read(self, size: int) -> bytes:
            try:
                return bytes(self._reader.read(size))
            except zstandard.ZstdError as exc:
                raise zlib.error(f"compressed data: {exc}") from None

    return Reader()  # type: ignore[return-value]


def _plain(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[0].lower() + text[1:] if text else text
