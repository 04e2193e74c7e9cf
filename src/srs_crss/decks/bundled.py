"""The decks shipped with srs-crss, and the fingerprint by which sync knows a deck file
unchanged.

Light on purpose (no TOML, no validation): every command checks, by fingerprint,
whether an upgrade of srs-crss brought new bundled decks (Context.ensure_decks).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from srs_crss.untrusted.files import FileProblem, read_regular

FORMAT_VERSION = "3"
"""Bump when validation changes, so stored fingerprints force a fresh parse."""

MAX_TASK_FILE = 1_000_000
"""Bytes: a task list is a few dozen short statements; anything bigger is refused."""

_TASKS_KEY = re.compile(rb"""^[ \t]*tasks[ \t]*=[ \t]*["']([^"'\r\n]+)["']""", re.MULTILINE)


def bundled_deck_dir() -> Path:
    """Where the decks shipped with srs-crss live.

    In an installed wheel they sit inside the package (srs_crss/data/decks); in a
    source checkout (editable install) they are the repository's decks/.
    """
    package = Path(__file__).resolve().parents[1]
    inside = package / "data" / "decks"
    if inside.is_dir():
        return inside
    return package.parents[1] / "decks"


def bundled_deck_files() -> list[Path]:
    """The deck files shipped with srs-crss, sorted."""
    return sorted(bundled_deck_dir().glob("*.toml"))


def fingerprint(raw: bytes) -> str:
    """Identifies a deck file's exact bytes under this version's rules."""
    return hashlib.sha256(FORMAT_VERSION.encode() + b"\0" + raw).hexdigest()


def deck_fingerprint(raw: bytes, path: Path) -> str:
    """A deck file's fingerprint, taking in the bytes of the task list it names: sync
    skips a file whose fingerprint is stored, so an edit of the list alone must change
    it. The list's name is found without parsing (sync fingerprints every file before
    parsing any); a name not found, or not readable, adds nothing (the file is then
    parsed as usual, and a bad name is reported there)."""
    found = _TASKS_KEY.search(raw.split(b"[[cards]]", 1)[0])
    if found is None:
        return fingerprint(raw)
    relative = Path(found.group(1).decode("utf-8", "replace").strip())
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".toml":
        return fingerprint(raw)
    try:
        listed = read_regular(path.parent / relative, MAX_TASK_FILE)
    except (FileProblem, OSError):  # parsing the deck reports it
        listed = b""
    return fingerprint(raw + b"\0tasks\0" + listed)
