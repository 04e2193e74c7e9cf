"""Counts without reading the cards: the review log counted per learner, day, deck and
domain for `stats`, and each card state's deck for `decks` and sessions (issue 16).

The counts start empty with every learner at log id 0: the first `stats` counts
the whole log once (storage/totals.py), later ones only what was added since.
A card state's deck and domain are copied from its card (a card never changes
deck; sync keeps the domain in step).

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
    # Added empty, filled from the cards, then made NOT NULL (batch mode on SQLite,
    # which cannot change a column in place: Alembic copies the table).
    if op.get_context().dialect.name == "sqlite":  # SQLite adds a reference only this way
        op.execute(
            "ALTER TABLE card_states ADD COLUMN deck_id INTEGER "
            "REFERENCES decks (id) ON DELETE CASCADE"
        )
    else:
        deck = sa.ForeignKey("decks.id", ondelete="CASCADE")
        op.add_column("card_states", sa.Column("deck_id", Id, deck, nullable=True))
    op.add_column("card_states", sa.Column("domain", sa.Text(), nullable=True))
    op.execute(
        "UPDATE card_states SET "
        "deck_id = (SELECT cards.deck_id FROM cards WHERE cards.id = card_states.card_id), "
        "domain = (SELECT cards.domain FROM cards WHERE cards.id = card_states.card_id)"
    )
    # (the column given again: SQLite's reflection drops its ON DELETE CASCADE)
    deck_id = sa.Column("deck_id", Id, sa.ForeignKey("decks.id", ondelete="CASCADE"))
    with op.batch_alter_table("card_states", reflect_args=(deck_id,)) as batch:
        batch.alter_column("deck_id", existing_type=Id, nullable=False)
    op.create_index(
        "ix_card_states_deck_due",
        "card_states",
        ["learner_id", "deck_id", "due", "extra", "repetitions", "card_id"],
    )
    op.create_index(
        "ix_card_states_domain",
        "card_states",
        ["learner_id", "domain", "interval", "deck_id", "card_id"],
    )
    op.drop_index("ix_cards_retired", table_name="cards")
    op.create_index("ix_cards_retired", "cards", ["retired", "deck_id", "domain"])
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
    op.drop_index("ix_cards_retired", table_name="cards")
    op.create_index("ix_cards_retired", "cards", ["retired"])
    op.drop_index("ix_card_states_domain", table_name="card_states")
    op.drop_index("ix_card_states_deck_due", table_name="card_states")
    with op.batch_alter_table("card_states") as batch:
        batch.drop_column("domain")
        batch.drop_column("deck_id")
    op.drop_table("review_days")
    with op.batch_alter_table("learners") as batch:
        batch.drop_column("totaled_through")
