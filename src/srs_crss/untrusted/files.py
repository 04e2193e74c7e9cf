"""Files named by a user (deck files, the database): only regular files, read bounded.

A FIFO named as a deck file or a database would block the first read until
someone writes to it; /dev/zero never ends; a socket or a directory is not what
was meant. Both `deckfile` and `storage.engine` ask here first, so each refuses
them the same way, at once and in plain words.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileProblem", "read_regular", "not_regular"]


class FileProblem(Exception):
    """A file that is not read: not a regular file, or too large. str() says why."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_regular(path: Path | str) -> str | None:
    """What `path` is if it exists and is not a regular file ("a pipe (FIFO)"), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing or unreadable: the caller's own open says so
    return None if stat.S_ISREG(mode) else _kind(mode)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them.

    Opened without waiting (O_NONBLOCK: opening a FIFO would block until a writer
    came), then checked with fstat on the very file opened. Raises FileProblem for a
    file that is not regular or holds more than `limit` bytes; OSError as the system
    gives it (FileNotFoundError, IsADirectoryError, PermissionError).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(path)
            raise FileProblem(f"is {_kind(mode)}, not a file")
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise FileProblem(f"is larger than {_size(limit)}")
    return raw


def _size(limit: int) -> str:
    """A size limit in words: "64 MB" for whole megabytes, else "1,000,000 bytes"."""
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else f"{limit:,} bytes"
