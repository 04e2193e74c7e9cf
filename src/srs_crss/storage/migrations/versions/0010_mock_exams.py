"""Practice exams (srs-crss mock): the attempts and their questions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "mock_exams",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("decks", sa.Text(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("pass_percent", sa.SmallInteger(), nullable=False),
        sa.Column("pass_is_estimate", sa.Boolean(), nullable=False),
        sa.Column("time_limit_ms", sa.Integer(), nullable=False),
        sa.Column("used_ms", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=True),
        sa.Column("asked", sa.Integer(), nullable=False),
    )
    op.create_index("ix_mock_exams_learner_status", "mock_exams", ["learner_id", "status"])
    op.create_table(
        "mock_questions",
        sa.Column(
            "exam_id",
            Id,
            sa.ForeignKey("mock_exams.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("picked", sa.Text(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("spent_ms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_mock_questions_card", "mock_questions", ["card_id"])


def downgrade() -> None:
    op.drop_index("ix_mock_questions_card", table_name="mock_questions")
    op.drop_table("mock_questions")
    op.drop_index("ix_mock_exams_learner_status", table_name="mock_exams")
    op.drop_table("mock_exams")
