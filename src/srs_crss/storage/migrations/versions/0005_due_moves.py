"""Setting an exam date pulls in cards due after it; each move is logged (and undone
by clearing the date, for cards not answered since).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "due_moves",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.Column("exam_day", sa.Date(), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=False),
        sa.Column("last_review_id", Id, nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_due_moves_learner_card", "due_moves", ["learner_id", "card_id"])


def downgrade() -> None:
    op.drop_index("ix_due_moves_learner_card", table_name="due_moves")
    op.drop_table("due_moves")
