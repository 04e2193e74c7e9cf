"""Exam dates per learner (per deck or for all decks); reviews record a capped due day.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "exams",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=True),
        sa.Column("exam_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("learner_id", "deck_id", name="uq_exams_learner_deck"),
    )
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("capped_from", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("capped_from")
    op.drop_table("exams")
