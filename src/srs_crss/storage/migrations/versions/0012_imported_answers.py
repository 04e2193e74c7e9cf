"""Imported answers marked, and held to one per learner, card and moment (issue 24).

Two `import-anki` runs of one package at once used to add every answer twice.
Imports now merge under the learner's write lock; the unique index is the
rule the log itself keeps, whatever a future writer does. Every answer logged
before this revision counts as given here (`imported` false), so the index
holds on any existing log, even one that a pair of overlapping imports left
with duplicates.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "reviews",
        sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "uq_reviews_imported",
        "reviews",
        ["learner_id", "card_id", "reviewed_at"],
        unique=True,
        sqlite_where=sa.text("imported"),
        postgresql_where=sa.text("imported"),
    )


def downgrade() -> None:
    op.drop_index("uq_reviews_imported", table_name="reviews")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("imported")
