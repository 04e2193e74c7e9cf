"""Settings a learner keeps in the database (for all decks, or one deck).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("learner_id", "deck_id", "key", name="uq_settings_learner_deck_key"),
    )


def downgrade() -> None:
    op.drop_table("settings")
