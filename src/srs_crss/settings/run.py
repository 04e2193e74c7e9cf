"""Settings for one command run: where the database is, who is studying, when a day turns.

Resolved from options and the environment by the command line; checked here so
every command refuses the same bad values the same way.
"""

from __future__ import annotations

import getpass
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from srs_crss import clock
from srs_crss.errors import UsageError
from srs_crss.untrusted.text import name_problem

DB_FILENAME = "srs-crss.db"


def default_database(app_dir: str) -> str:
    """The embedded default: an SQLite file in the per-user app directory."""
    return str(Path(app_dir) / DB_FILENAME)


def default_learner() -> str:
    """The OS user name, or "learner" where there is none."""
    try:
        return getpass.getuser() or "learner"
    except (KeyError, OSError):
        return "learner"


@dataclass
class Settings:
    """What every command needs to know, resolved from options and environment."""

    database: str
    """A path or a SQLAlchemy URL (storage.engine.Location resolves it)."""
    learner: str
    rollover_hour: int | None = None
    """Given with --rollover-hour (or its env); None: the learner's setting, else 4."""
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def __post_init__(self) -> None:
        if self.rollover_hour is not None:
            clock.check_rollover(self.rollover_hour)
        self.learner = normal_learner(self.learner)


MAX_LEARNER_NAME = 200
"""Characters in a learner's name: what the learners.name column holds (on SQLite too)."""


def normal_learner(name: str) -> str:
    """One spelling per learner: Unicode NFKC (a full-width "Ａlice" is "Alice"), surrounding
    spaces trimmed; never blank, never longer than MAX_LEARNER_NAME, and without control,
    bidi or zero-width characters (they forge lines in messages or hide who is who)."""
    normal = unicodedata.normalize("NFKC", name).strip()
    if not normal:
        raise UsageError(
            "the learner name is empty: give one with --learner NAME (or SRS_CRSS_LEARNER)"
        )
    problem = name_problem(normal)
    if problem:
        raise UsageError(f"the learner name cannot be used: {problem}; type it in plain letters")
    if len(normal) > MAX_LEARNER_NAME:
        raise UsageError(
            f"the learner name is {len(normal)} characters long; at most {MAX_LEARNER_NAME}"
        )
    return normal


NO_LEARNER = -1
"""The id read-only commands use for a learner not in the database: it matches no row."""
