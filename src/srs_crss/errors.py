"""The project's one error hierarchy.

Library code raises these; the CLI is the only place that turns them into a
message and an exit code. `exit_code` is 2 for bad input (files, options,
databases the user pointed us at) and 1 for failures at run time.
"""

from __future__ import annotations

from pathlib import Path


class SrsError(Exception):
    """Base class: a failure with a message fit to show a user."""

    exit_code = 1


class UsageError(SrsError):
    """A bad option, argument or environment setting."""

    exit_code = 2


class DeckError(SrsError):
    """A deck file that cannot be loaded; names the file and, if known, the line."""

    exit_code = 2

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


class DatabaseError(SrsError):
    """A database that cannot be opened or used as it is (left untouched)."""

    exit_code = 2


class StorageFailure(SrsError):
    """A failure while reading or writing an otherwise valid database."""

    exit_code = 1


class NotFound(SrsError):
    """A deck or card the user named does not exist."""

    exit_code = 2


class PackageError(SrsError):
    """An Anki package that cannot be read (it is never modified)."""

    exit_code = 2

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: {message}")
