"""The store on real SQLite files: schema, pragmas, refusals, reviews and undo."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from srs_crss.decks.deckfile import load_deck
from srs_crss.decks.sync import plan_sync
from srs_crss.errors import DatabaseError, StorageFailure
from srs_crss.model import Scope, Suspension
from srs_crss.sm2 import CardState, Review, review
from srs_crss.storage import Store
from srs_crss.storage.checkpoint import EVERY_WRITES, QUIET_SECONDS, READING_EVERY, WAL_LIMIT
from srs_crss.storage.engine import Location
from srs_crss.storage.schema import SCHEMA_HEAD, metadata
from tests.conftest import digest

NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 22)


def open_store(path: Path) -> Store:
    return Store.open(Location.of(str(path)).url)


def synced(path: Path, deck: Path) -> Store:
    store = open_store(path)
    specs = [load_deck(deck)]
    store.decks.apply(plan_sync(specs, store.decks.existing(["mini"])).plans, NOW)
    return store


def answer(grade: int) -> Callable[[CardState], Review]:
    return lambda state: review(state, grade, TODAY)


def test_schema_head_matches_migrations() -> None:
    from srs_crss.storage.migrations import head

    assert head() == SCHEMA_HEAD


def test_migrations_build_exactly_the_models(db: Path) -> None:
    """Replaying the Alembic history gives the schema the models (and create_all) give."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from srs_crss.storage.migrations import upgrade

    engine = create_engine(Location.of(str(db)).url)
    with engine.connect() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert diff == []
    assert version == SCHEMA_HEAD
    with open_store(db) as store:  # and the store accepts it as current
        assert store.schema_version() == SCHEMA_HEAD


def test_fresh_database_is_created_at_head(db: Path) -> None:
    with open_store(db) as store:
        assert store.schema_version() == SCHEMA_HEAD


def test_sqlite_pragmas(db: Path) -> None:
    with open_store(db) as store, store.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: durable
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0


def _log_generation(wal: Path) -> int:
    """The log's checkpoint sequence number (WAL header bytes 12-15): SQLite adds one
    each time it starts the log over, which it does only after a full checkpoint."""
    return int.from_bytes(wal.read_bytes()[12:16], "big")


def _answering(db: Path, mini: Path) -> tuple[Store, Callable[[], None], Path]:
    """A store with the mini deck, a function answering one of its cards (4) for alex,
    and the store's log file."""
    store = synced(db, mini)
    learner = store.learners.id_of("alex", NOW)
    card = store.decks.card_view(learner, "mini", "empathy-basics").card

    def once() -> None:
        store.reviews.apply(learner, card.pk, answer(4), NOW, 900)

    return store, once, Path(f"{db}-wal")


def _history(store: Store) -> int:
    learner = store.learners.id_of("alex", NOW)
    return len(store.decks.card_view(learner, "mini", "empathy-basics").history)


def test_the_log_is_checkpointed_in_the_background_during_a_pause(db: Path, mini: Path) -> None:
    # SQLite's own checkpoints are off (each stalled one answer in ~130): after a
    # hundred answers the background thread copies the log while the learner reads.
    store, once, wal = _answering(db, mini)
    for _ in range(EVERY_WRITES):
        once()
    generation = _log_generation(wal)
    deadline = time.monotonic() + 30
    while _log_generation(wal) == generation and time.monotonic() < deadline:
        time.sleep(2 * QUIET_SECONDS)  # a pause, as between two cards
        once()
    assert _log_generation(wal) > generation
    store.close()
    assert not wal.exists()  # closing checkpoints the rest and removes the log


def test_the_log_is_checkpointed_while_the_learner_reads(db: Path, mini: Path) -> None:
    # A review screen says when the learner reads a card (Session.ready, store.reading):
    # every READING_EVERY answers the log is checkpointed then, with no pause needed, and
    # SQLite writes it over from its start instead of making the file longer.
    store, once, wal = _answering(db, mini)
    once()
    first = _log_generation(wal)
    sizes = []
    for _ in range(6 * READING_EVERY):
        store.reading()
        once()
        sizes.append(wal.stat().st_size)
    assert _log_generation(wal) - first >= 5  # started over every READING_EVERY answers
    assert max(sizes) == max(sizes[: 2 * READING_EVERY])  # and no longer grows
    assert _history(store) == 97
    store.close()
    assert not wal.exists()


def test_without_reading_the_log_grows_until_a_pause(db: Path, mini: Path) -> None:
    # What store.reading changes: answers back to back, fewer than EVERY_WRITES, leave
    # the log as SQLite started it, a little longer at every answer.
    store, once, wal = _answering(db, mini)
    once()
    first, sizes = _log_generation(wal), []
    for _ in range(3 * READING_EVERY):
        once()
        sizes.append(wal.stat().st_size)
    assert _log_generation(wal) == first
    assert sizes == sorted(sizes) and sizes[-1] > sizes[READING_EVERY]
    store.close()


def test_answers_without_pauses_keep_the_log_bounded(db: Path, mini: Path) -> None:
    # With no pause the background checkpoint never catches up with the writes, so
    # the writer checkpoints a log past WAL_LIMIT itself.
    store, once, wal = _answering(db, mini)
    largest = 0
    for _ in range(2_000):  # about 50 MB of log, written back to back
        once()
        largest = max(largest, wal.stat().st_size)
    assert _history(store) == 2_000
    assert largest < WAL_LIMIT + 8 * 1024 * 1024  # at most one round of writes past it
    store.close()


def test_reopening_an_up_to_date_database_does_not_write(db: Path) -> None:
    open_store(db).close()
    before = digest(db)
    with open_store(db) as store:
        assert store.schema_version() == SCHEMA_HEAD
    assert digest(db) == before


def test_newer_schema_is_refused_and_untouched(db: Path) -> None:
    open_store(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    before = digest(db)
    with pytest.raises(DatabaseError, match="newer srs-crss .*schema 9999"):
        open_store(db)
    assert digest(db) == before


def test_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(DatabaseError, match="not an SQLite database; it was left untouched"):
        open_store(path)
    assert path.read_text() == "these are my notes, not a database\n"
    assert not path.with_name("notes.db-wal").exists()


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="not srs-crss's"):
        open_store(path)
    assert digest(path) == before


def test_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="cannot create a database"):
        open_store(blocker / "sub" / "db.sqlite")


def test_review_and_undo_keep_state_and_log_in_step(db: Path, mini: Path) -> None:
    store = synced(db, mini)
    learner = store.learners.id_of("alex", NOW)
    card = store.decks.card_view(learner, "mini", "empathy-basics").card
    ids = []
    for grade in (4, 4, 1):
        rid, _ = store.reviews.apply(learner, card.pk, answer(grade), NOW, 900)
        ids.append(rid)
    view = store.decks.card_view(learner, "mini", "empathy-basics")
    assert [h.grade for h in view.history] == [4, 4, 1]
    assert view.state == view.history[-1].after
    assert view.state.lapses == 1
    with pytest.raises(StorageFailure, match="most recent"):
        store.reviews.undo(learner, ids[0])
    store.reviews.undo(learner, ids[2])
    view = store.decks.card_view(learner, "mini", "empathy-basics")
    assert (
        view.state
        == view.history[-1].after
        == CardState(repetitions=2, ef=250, interval=6, due=TODAY + dt.timedelta(days=6))
    )
    store.reviews.undo(learner, ids[1])
    store.reviews.undo(learner, ids[0])
    view = store.decks.card_view(learner, "mini", "empathy-basics")
    assert view.state.is_new and view.history == ()
    store.close()


def test_learners_are_separate(db: Path, mini: Path) -> None:
    store = synced(db, mini)
    alex, sam = store.learners.id_of("alex", NOW), store.learners.id_of("sam", NOW)
    assert alex != sam and store.learners.id_of("alex", NOW) == alex
    card = store.decks.card_view(alex, "mini", "quality").card
    store.reviews.apply(alex, card.pk, lambda s: review(s, 5, TODAY), NOW, None)
    assert not store.decks.card_view(alex, "mini", "quality").state.is_new
    assert store.decks.card_view(sam, "mini", "quality").state.is_new
    store.close()


def test_answers_over_counts_one_learners_answers_up_to_the_limit(db: Path, mini: Path) -> None:
    store = synced(db, mini)
    alex, sam = store.learners.id_of("alex", NOW), store.learners.id_of("sam", NOW)
    card = store.decks.card_view(alex, "mini", "quality").card
    for _ in range(3):
        store.reviews.apply(alex, card.pk, answer(4), NOW, 900)
    store.reviews.apply(sam, card.pk, answer(4), NOW, 900)
    assert [store.forecasts.answers_over(alex, limit) for limit in (0, 2, 3, 4)] == [
        True,
        True,
        False,
        False,
    ]
    assert store.forecasts.answers_over(sam, 0) and not store.forecasts.answers_over(sam, 1)
    store.close()


def database_at(db: Path, revision: str) -> None:
    """An empty database file of an older schema `revision`."""
    from sqlalchemy import create_engine

    from srs_crss.storage.migrations import upgrade

    engine = create_engine(Location.of(str(db)).url)
    with engine.connect() as conn:
        upgrade(conn, revision)
    engine.dispose()


def test_an_older_schema_is_upgraded_on_open_keeping_its_data(db: Path, mini: Path) -> None:
    database_at(db, "0001")
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO learners (name, created_at) VALUES ('old', '2026-01-01 00:00:00')")
    raw.close()
    with open_store(db) as store:
        assert store.schema_version() == SCHEMA_HEAD == "0015"
        assert store.learners.id_of("old", NOW) == 1  # the row written at 0001 is still there
        assert store.exams.all(1) == {}
        assert store.mocks.history(1) == []  # 0010: practice exams


def test_answers_are_written_through_to_the_disk(db: Path, mini: Path) -> None:
    with open_store(db) as store, store.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_database_from_before_this_release_keeps_its_data(db: Path, mini: Path) -> None:
    """Schema 0002 (the last released one) with a learner, cards, a state and the log,
    opened by this version: upgraded, every row kept, the new features usable."""
    database_at(db, "0002")
    with sqlite3.connect(db) as raw:
        raw.executescript(
            """
            INSERT INTO learners (id, name, created_at) VALUES (1, 'old', '2026-01-01 00:00:00');
            INSERT INTO decks (id, slug, name, synced_at) VALUES (1, 'mini', 'Mini', '2026-01-01');
            INSERT INTO cards (id, deck_id, slug, position, type, front, back, choices, tags,
                content_hash, retired, created_at, content_changed_at)
                VALUES (1, 1, 'old-card', 0, 'basic', 'F', 'B', '[]', '[]', 'x', 0,
                '2026-01-01 00:00:00', '2026-01-01 00:00:00');
            INSERT INTO reviews (id, learner_id, card_id, reviewed_at, day, grade, kind,
                repetitions_before, ef_before, interval_before, extra_before, lapses_before,
                repetitions, ef, interval, due, extra, lapses)
                VALUES (1, 1, 1, '2026-01-02 10:00:00', '2026-01-02', 4, 'new',
                0, 250, 0, 0, 0, 1, 250, 1, '2026-01-03', 0, 0);
            INSERT INTO card_states (learner_id, card_id, repetitions, ef, interval, due, extra,
                lapses, last_review_id) VALUES (1, 1, 1, 250, 1, '2026-01-03', 0, 0, 1);
            """
        )
    raw.close()
    with open_store(db) as store:
        assert store.schema_version() == SCHEMA_HEAD
        view = store.decks.card_view(1, "mini", "old-card")
        assert view.state.due == dt.date(2026, 1, 3) and len(view.history) == 1
        assert view.history[0].picked is None and view.card.sibling_of is None
        store.settings.set(1, None, "new-per-day", "5", NOW)
        assert store.settings.all(1) == {(None, "new-per-day"): "5"}
        assert store.suspensions.add(1, 1, Suspension.MANUAL, NOW)
        store.flags.add(1, 1, "old card, new flag", NOW)
        assert [f.card for f in store.flags.all()] == ["mini/old-card"]
        stats = store.stats.figures(1, dt.date(2026, 1, 2), Scope())  # 0011: counted from the log
        assert stats.reviewed_today == 1 and stats.calendar == ((dt.date(2026, 1, 2), 1),)
        (deck,) = store.decks.summaries(1, dt.date(2026, 1, 3))  # 0011: the state's deck
        assert (deck.cards, deck.new, deck.due) == (1, 0, 1)
    with sqlite3.connect(db) as raw:  # 0012: answers logged before it were given here
        assert raw.execute("SELECT imported FROM reviews").fetchall() == [(0,)]
        index = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'uq_reviews_imported'")
        assert "UNIQUE" in index.fetchone()[0]
    raw.close()


def test_an_answer_to_a_state_that_moved_is_applied_to_the_state_as_it_is(
    db: Path, mini: Path
) -> None:
    # A session that saw a card's state answers without reading it again; if another
    # session answered the card meanwhile, the answer builds on that one instead.
    store = synced(db, mini)
    learner = store.learners.id_of("alex", NOW)
    card = store.decks.card_view(learner, "mini", "empathy-basics").card
    _, first = store.reviews.apply(learner, card.pk, answer(4), NOW, 900)
    seen = first.after  # what both sessions now hold
    _, other = store.reviews.apply(learner, card.pk, answer(5), NOW, 900, known=seen)
    assert other.before == seen  # the state was as known: no read needed
    _, mine = store.reviews.apply(learner, card.pk, answer(1), NOW, 900, known=seen)
    assert mine.before == other.after != seen  # applied to the state as it is now
    view = store.decks.card_view(learner, "mini", "empathy-basics")
    assert [h.grade for h in view.history] == [4, 5, 1]
    assert view.state == mine.after
    store.close()
