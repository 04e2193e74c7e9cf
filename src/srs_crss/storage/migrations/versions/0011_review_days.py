"""The review log counted per learner, day, deck and domain, for `stats` (issue 16).

The table starts empty with every learner at log id 0: the first `stats` counts
the whole log once (storage/totals.py), later ones only what was added since.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("learners", sa.Column("totaled_through", Id, nullable=False, server_default="0"))
    op.create_table(
        "review_days",
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("domain", sa.Text(), primary_key=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("learned", sa.Integer(), nullable=False),
        sa.Column("learned_passed", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_days")
    with op.batch_alter_table("learners") as batch:
        batch.drop_column("totaled_through")
