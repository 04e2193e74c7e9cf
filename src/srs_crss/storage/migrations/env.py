"""Alembic environment: runs migrations on the connection srs-crss hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from srs_crss.storage.schema import metadata, on_postgresql

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("srs-crss migrations run through srs_crss.storage.migrations.upgrade()")

if connection.dialect.name == "postgresql":
    on_postgresql()
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
if connection.in_transaction():
    connection.commit()
