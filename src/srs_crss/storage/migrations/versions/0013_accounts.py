"""Cohort accounts (issue 29): accounts, failed sign-ins, web sessions, the class's
exam date. New tables only: nothing existing changes, so any database upgrades as is.

Row security for PostgreSQL is not a migration step: it needs the name of the
server's role, so `srs-crss cohort setup-db` adds it (storage/rowsecurity.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), unique=True, nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_set_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime()),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "account_id", Id, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_web_sessions_account", "web_sessions", ["account_id"])
    op.create_table(
        "cohort_exams",
        sa.Column("id", Id, primary_key=True),
        sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE")),
        sa.Column("exam_day", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("deck_id", name="uq_cohort_exams_deck"),
    )


def downgrade() -> None:
    op.drop_table("cohort_exams")
    op.drop_index("ix_web_sessions_account", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("sign_in_failures")
    op.drop_table("accounts")
