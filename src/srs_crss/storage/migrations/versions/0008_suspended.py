"""Cards a learner suspended (by hand, or as a leech) stay out of review.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "suspended",
        sa.Column(
            "learner_id",
            Id,
            sa.ForeignKey("learners.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("reason", sa.String(10), nullable=False),
        sa.Column("suspended_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("suspended")
