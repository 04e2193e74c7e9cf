"""Initial schema: decks, cards, learners, card states and the review log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "decks",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("source_hash", sa.String(64), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "cards",
        sa.Column("id", Id, primary_key=True),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(10), nullable=False),
        sa.Column("front", sa.Text(), nullable=False),
        sa.Column("back", sa.Text(), nullable=True),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("domain", sa.Text(), nullable=True),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("content_changed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("deck_id", "slug", name="uq_cards_deck_slug"),
    )
    op.create_index("ix_cards_deck_position", "cards", ["deck_id", "retired", "position"])
    op.create_index("ix_cards_retired", "cards", ["retired"])
    op.create_table(
        "learners",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "card_states",
        sa.Column(
            "learner_id",
            Id,
            sa.ForeignKey("learners.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("repetitions", sa.Integer(), nullable=False),
        sa.Column("ef", sa.SmallInteger(), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("extra", sa.Boolean(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_review_id", Id, nullable=False),
    )
    op.create_index("ix_card_states_ef", "card_states", ["learner_id", "ef", "lapses"])
    op.create_index(
        "ix_card_states_due",
        "card_states",
        ["learner_id", "due", "extra", "repetitions", "card_id"],
    )
    op.create_table(
        "reviews",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("repetitions_before", sa.Integer(), nullable=False),
        sa.Column("ef_before", sa.SmallInteger(), nullable=False),
        sa.Column("interval_before", sa.Integer(), nullable=False),
        sa.Column("due_before", sa.Date(), nullable=True),
        sa.Column("extra_before", sa.Boolean(), nullable=False),
        sa.Column("lapses_before", sa.Integer(), nullable=False),
        sa.Column("repetitions", sa.Integer(), nullable=False),
        sa.Column("ef", sa.SmallInteger(), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("extra", sa.Boolean(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
    )
    op.create_index("ix_reviews_learner_card", "reviews", ["learner_id", "card_id", "id"])
    op.create_index(
        "ix_reviews_learner_day", "reviews", ["learner_id", "day", "repetitions_before", "grade"]
    )


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("card_states")
    op.drop_table("learners")
    op.drop_table("cards")
    op.drop_table("decks")
