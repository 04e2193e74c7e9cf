"""Cards may name a sibling (the same fact, asked another way); decks may be optional;
the review log's day index covers the hardest-cards query too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("sibling_of", sa.String(100), nullable=True))
    with op.batch_alter_table("decks") as batch:
        batch.add_column(
            sa.Column("optional", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.drop_index("ix_reviews_learner_day", table_name="reviews")
    op.create_index(
        "ix_reviews_learner_day",
        "reviews",
        ["learner_id", "day", "repetitions_before", "grade", "card_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_reviews_learner_day", table_name="reviews")
    op.create_index(
        "ix_reviews_learner_day", "reviews", ["learner_id", "day", "repetitions_before", "grade"]
    )
    with op.batch_alter_table("decks") as batch:
        batch.drop_column("optional")
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("sibling_of")
