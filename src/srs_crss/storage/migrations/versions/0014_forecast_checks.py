"""The forecast's calibration record (issue 27): each practice exam's frozen forecast
per question, and each question's outcome beside it; append-only.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "forecast_checks",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "learner_id", Id, sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "exam_id", Id, sa.ForeignKey("mock_exams.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("card_id", Id, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("model", sa.String(40), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_forecast_checks_learner_exam", "forecast_checks", ["learner_id", "exam_id"])


def downgrade() -> None:
    op.drop_index("ix_forecast_checks_learner_exam", table_name="forecast_checks")
    op.drop_table("forecast_checks")
