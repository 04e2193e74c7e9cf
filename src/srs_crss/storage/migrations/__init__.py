"""Alembic migrations for the srs-crss schema, applied automatically on open.

`upgrade(conn)` runs every pending revision inside the caller's connection.
Only imported when the stored schema is behind (Alembic is slow to import,
and an up-to-date database should open fast).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

HERE = Path(__file__).resolve().parent


def config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at this package, bound to `connection`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(HERE / "versions"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the schema on `connection` up to `revision`.

    On SQLite, foreign keys are off while migrations run: Alembic's batch mode
    rebuilds a table by copying it and dropping the old one, and with foreign
    keys on, dropping `decks` or `cards` would cascade into every learner's
    history. They are checked (PRAGMA foreign_key_check) and turned on again after.
    """
    raw = None
    if connection.dialect.name == "sqlite":
        if connection.in_transaction():
            connection.commit()
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, or it is ignored
    try:
        command.upgrade(config(connection), revision)
    finally:
        if raw is not None:
            if connection.in_transaction():
                connection.commit()
            raw.execute("PRAGMA foreign_keys = ON")
    if raw is not None:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the schema upgrade left broken references: {broken[:3]}")


def head() -> str:
    """The newest revision shipped with this version."""
    from alembic.script import ScriptDirectory

    current = ScriptDirectory.from_config(config()).get_current_head()
    assert current is not None
    return current
