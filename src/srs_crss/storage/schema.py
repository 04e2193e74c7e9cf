"""The tables, declared once with SQLAlchemy Core (migrations/env.py imports this).

Core `Table`s rather than ORM classes: no query here goes through the ORM,
and importing `sqlalchemy.orm` costs every command a sixth of a second.
`tests/storage/test_schema.py` checks that the Alembic migrations build
exactly this schema.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)

from srs_crss.storage.coltypes import UTCDateTime

SCHEMA_HEAD = "0015"
"""The newest Alembic revision this version knows; a test keeps it honest."""

KNOWN_REVISIONS = frozenset(
    {"0001", "0002", "0003", "0004", "0005", "0006", "0007"}
    | {"0008", "0009", "0010", "0011", "0012", "0013", "0014", "0015"}
)


Id = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit ids on servers; SQLite needs INTEGER for its rowid alias."""

metadata = MetaData()


decks_t = Table(
    "decks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("slug", String(100), unique=True, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("source_path", Text),
    Column("source_hash", String(64)),
    Column("synced_at", UTCDateTime, nullable=False),
    # studied only when asked for by name (--deck)
    Column("optional", Boolean, nullable=False, server_default=false()),
)

cards_t = Table(
    "cards",
    metadata,
    Column("id", Id, primary_key=True),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
    Column("slug", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    Column("type", String(10), nullable=False),
    Column("front", Text, nullable=False),
    Column("back", Text),
    Column("choices", Text, nullable=False),  # JSON list, encoded once by deckfile
    Column("answer", Text),
    Column("explanation", Text),
    Column("domain", Text),
    Column("tags", Text, nullable=False),  # JSON list of slugs
    Column("source", Text),
    # a card of the same deck testing the same fact: siblings never share a study day
    Column("sibling_of", String(100)),
    # the exam task a multiple-choice item tests: a slug of its deck's exam_tasks (not in
    # content_hash: naming a task is no edit a learner should see as a changed card)
    Column("task", String(100)),
    Column("content_hash", String(64), nullable=False),
    Column("retired", Boolean, default=False, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("content_changed_at", UTCDateTime, nullable=False),
    UniqueConstraint("deck_id", "slug", name="uq_cards_deck_slug"),
    Index("ix_cards_deck_position", "deck_id", "retired", "position"),
    # retired cards (few) by id; active cards counted by deck and domain from the index
    Index("ix_cards_retired", "retired", "deck_id", "domain"),
)

exam_tasks_t = Table(
    "exam_tasks",
    metadata,
    # The exam task list a deck names ([deck] tasks = "..."), written by sync: results by
    # task join a card's `task` to the task of its own deck, for its title and domain.
    Column("id", Id, primary_key=True),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
    Column("slug", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    Column("domain", Text, nullable=False),
    Column("title", Text, nullable=False),  # the task statement, in the list's words
    UniqueConstraint("deck_id", "slug", name="uq_exam_tasks_deck_slug"),
)

learners_t = Table(
    "learners",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), unique=True, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The learner's review log is counted in review_days up to this log id (storage/totals.py).
    Column("totaled_through", Id, nullable=False, server_default="0"),
)

states_t = Table(
    "card_states",
    metadata,
    # One learner's current SM-2 state of one card; no row means new.
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    # the card's deck (a card never changes deck) and exam domain (kept in step by sync):
    # deck and domain counts read one index, no cards rows
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
    Column("domain", Text),
    Column("repetitions", Integer, nullable=False),
    Column("ef", SmallInteger, nullable=False),  # hundredths: 250 = 2.50
    Column("interval", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("extra", Boolean, nullable=False),
    Column("lapses", Integer, nullable=False),
    Column("last_review_id", Id, nullable=False),
    # Covers the due counts (no table lookups for the header of a session).
    Index("ix_card_states_due", "learner_id", "due", "extra", "repetitions", "card_id"),
    Index("ix_card_states_ef", "learner_id", "ef", "lapses"),  # hardest cards first
    # Covers the per-deck counts of `decks` and of a session on some decks.
    Index(
        "ix_card_states_deck_due", "learner_id", "deck_id", "due", "extra", "repetitions", "card_id"
    ),
    # Covers the per-domain figures of `stats` (seen, mature).
    Index("ix_card_states_domain", "learner_id", "domain", "interval", "deck_id", "card_id"),
)

reviews_t = Table(
    "reviews",
    metadata,
    # The append-only review log: one row per answer, with state before and after.
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("grade", SmallInteger, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("duration_ms", Integer),
    Column("repetitions_before", Integer, nullable=False),
    Column("ef_before", SmallInteger, nullable=False),
    Column("interval_before", Integer, nullable=False),
    Column("due_before", Date),
    Column("extra_before", Boolean, nullable=False),
    Column("lapses_before", Integer, nullable=False),
    Column("repetitions", Integer, nullable=False),
    Column("ef", SmallInteger, nullable=False),
    Column("interval", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("extra", Boolean, nullable=False),
    Column("lapses", Integer, nullable=False),
    # The SM-2 due day when an exam date moved it earlier (the state keeps SM-2's interval).
    Column("capped_from", Date),
    # The choice picked on a multiple-choice card (its text: letters are shuffled).
    Column("picked", Text),
    # An answer brought in from Anki by import-anki (false for answers given here).
    Column("imported", Boolean, nullable=False, server_default=false()),
    Index("ix_reviews_learner_card", "learner_id", "card_id", "id"),
    # The log holds one imported answer per learner, card and moment: two imports of one
    # package can never both add it (issue 24).
    Index(
        "uq_reviews_imported",
        "learner_id",
        "card_id",
        "reviewed_at",
        unique=True,
        sqlite_where=text("imported"),  # and postgresql_where: see on_postgresql
    ),
    # covers the per-day counts, retention and hardest cards of `stats` (no table reads)
    Index("ix_reviews_learner_day", "learner_id", "day", "repetitions_before", "grade", "card_id"),
)

days_t = Table(
    "review_days",
    metadata,
    # The review log counted per learner, day, deck and domain (the card's domain, "" for
    # none), so `stats` reads a few thousand rows instead of a million: kept in step with
    # the log by storage/totals.py, up to learners.totaled_through.
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
    Column("domain", Text, primary_key=True),
    Column("answers", Integer, nullable=False),
    Column("passed", Integer, nullable=False),  # grade 3 or more
    Column("learned", Integer, nullable=False),  # answers to cards seen before (retention)
    Column("learned_passed", Integer, nullable=False),
)

exams_t = Table(
    "exams",
    metadata,
    # A learner's exam date, for one deck or (deck_id NULL) for all decks.
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE")),
    Column("exam_day", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("learner_id", "deck_id", name="uq_exams_learner_deck"),
)

moves_t = Table(
    "due_moves",
    metadata,
    # An exam date pulled a card's due day in: SM-2's day (from_day) became the day
    # before the exam (to_day). Undone when the date is cleared, if the card was not
    # answered since (the state still points at last_review_id).
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("moved_at", UTCDateTime, nullable=False),
    Column("exam_day", Date, nullable=False),
    Column("from_day", Date, nullable=False),
    Column("to_day", Date, nullable=False),
    Column("last_review_id", Id, nullable=False),
    Column("undone_at", UTCDateTime),
    Index("ix_due_moves_learner_card", "learner_id", "card_id"),
)

settings_t = Table(
    "settings",
    metadata,
    # A learner's setting (srs-crss config), for all decks (deck_id NULL) or one deck.
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE")),
    Column("key", String(40), nullable=False),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("learner_id", "deck_id", "key", name="uq_settings_learner_deck_key"),
)

flags_t = Table(
    "flags",
    metadata,
    # A learner thinks a card is wrong: a note for the deck's authors (no effect on study).
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

suspended_t = Table(
    "suspended",
    metadata,
    # A card this learner took out of review: by hand ("manual") or as a "leech".
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    Column("reason", String(10), nullable=False),
    Column("suspended_at", UTCDateTime, nullable=False),
)

cram_t = Table(
    "cram_answers",
    metadata,
    # An answer in a cram session: practice that leaves the SM-2 state as it is.
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("grade", SmallInteger, nullable=False),
    Column("duration_ms", Integer),
    Column("picked", Text),
    Index("ix_cram_answers_learner_day", "learner_id", "day"),
)

mock_exams_t = Table(
    "mock_exams",
    metadata,
    # A practice exam (srs-crss mock): open until submitted, timed out or abandoned.
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("profile", String(40), nullable=False),
    Column("decks", Text, nullable=False),  # JSON list of the deck ids drawn from
    Column("seed", BigInteger, nullable=False),
    Column("pass_percent", SmallInteger, nullable=False),
    Column("pass_is_estimate", Boolean, nullable=False),
    Column("time_limit_ms", Integer, nullable=False),
    # time on the clock so far: saved with every answer, so a resumed exam keeps it
    Column("used_ms", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(10), nullable=False),
    Column("correct", Integer),
    Column("asked", Integer, nullable=False),
    Index("ix_mock_exams_learner_status", "learner_id", "status"),
)

mock_questions_t = Table(
    "mock_questions",
    metadata,
    # One question of a practice exam, with the answer given (saved as it is given).
    Column("exam_id", ForeignKey("mock_exams.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("choices", Text, nullable=False),  # JSON list in the order shown
    Column("picked", Text),  # the choice's text
    Column("flagged", Boolean, nullable=False),
    Column("spent_ms", Integer, nullable=False),
    Index("ix_mock_questions_card", "card_id"),
)

accounts_t = Table(
    "accounts",
    metadata,
    # Who may sign in to a cohort server (srs-crss users): a learner, whose progress is
    # the learner of the same name, or an instructor. No learner rows here, and readable
    # before anyone is signed in (sign-in looks the name up), so not under row security.
    Column("id", Id, primary_key=True),
    Column("name", String(200), unique=True, nullable=False),
    Column("role", String(12), nullable=False),  # "learner" or "instructor"
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    # a one-time password (new or reset account): a new one must be chosen at sign-in
    Column("must_change", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_set_at", UTCDateTime, nullable=False),
)

sign_in_failures_t = Table(
    "sign_in_failures",
    metadata,
    # Failed sign-ins counted per account name and per network address, so guessing
    # is slowed down whichever of the two an attacker varies (service/accounts.py).
    Column("kind", String(10), primary_key=True),  # "account" or "address"
    Column("subject", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime),
)

web_sessions_t = Table(
    "web_sessions",
    metadata,
    # A signed-in browser: only the SHA-256 of its random token is kept, so a copy of
    # the database signs nobody in.
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_web_sessions_account", "account_id"),
)

cohort_exams_t = Table(
    "cohort_exams",
    metadata,
    # The class's exam date (for one deck, or deck_id NULL for all): used for every
    # learner who has not set their own (srs-crss cohort exam).
    Column("id", Id, primary_key=True),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE")),
    Column("exam_day", Date, nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
    UniqueConstraint("deck_id", name="uq_cohort_exams_deck"),
)

forecast_checks_t = Table(
    "forecast_checks",
    metadata,
    # Append-only: before a practice exam, the forecast chance of each question drawn
    # (kind "forecast"); after it is submitted, each question's outcome beside it
    # (kind "outcome", 1 right or 0 wrong). Never updated: `readiness` reads how well
    # the forecast has predicted this learner (srs_crss.forecast.calibration).
    Column("id", Id, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("exam_id", ForeignKey("mock_exams.id", ondelete="CASCADE"), nullable=False),
    Column("card_id", ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("value", Float, nullable=False),
    Column("model", String(40)),  # the model that made a forecast (None on outcomes)
    Column("recorded_at", UTCDateTime, nullable=False),
    Index("ix_forecast_checks_learner_exam", "learner_id", "exam_id"),
)

alembic_version_t = Table(
    "alembic_version",
    MetaData(),  # Alembic's own table: not part of `metadata`, so never compared
    Column("version_num", String(32), primary_key=True),
)


def on_postgresql() -> None:
    """Give the tables their PostgreSQL-only options, before they are created on a server
    or compared with one (migrations/env.py).

    Named where the tables are, they would make SQLAlchemy load its PostgreSQL dialect
    to check them as this module is imported: about 25 ms of every command on SQLite.
    """
    index = next(i for i in reviews_t.indexes if i.name == "uq_reviews_imported")
    index.dialect_kwargs["postgresql_where"] = text("imported")


@event.listens_for(metadata, "before_create")
def _before_create(_target: MetaData, connection: Connection, **_: Any) -> None:
    if connection.dialect.name == "postgresql":
        on_postgresql()
