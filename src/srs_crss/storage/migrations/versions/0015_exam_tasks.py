"""Every multiple-choice item names its exam task (issue 28): cards.task and the decks'
task lists (exam_tasks), so stats and practice exams report results by task.

The stored fingerprints of the deck files are cleared: the next `srs-crss sync` reads
every file again (one unchanged since its last sync would otherwise be skipped) and
fills in the tasks. Until then results by task are simply empty.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("task", sa.String(100), nullable=True))
    op.create_table(
        "exam_tasks",
        sa.Column("id", Id, primary_key=True),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.UniqueConstraint("deck_id", "slug", name="uq_exam_tasks_deck_slug"),
    )
    op.execute(sa.text("UPDATE decks SET source_hash = NULL"))


def downgrade() -> None:
    op.drop_table("exam_tasks")
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("task")
