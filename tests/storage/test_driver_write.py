"""An answer written on the driver (storage/driver.py) writes byte for byte what the same
answer written through SQLAlchemy's `execute` writes, on SQLite and, when
SRS_CRSS_TEST_PG_URL names a server, on PostgreSQL; and its errors are the same plain ones."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, update

from srs_crss.errors import StorageFailure
from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import CardState, Review, review
from srs_crss.storage import Store
from srs_crss.storage.engine import Location, WriteConflict
from srs_crss.storage.reviews import log_values
from srs_crss.storage.rows import INSERT_STATE, state_for, state_values
from srs_crss.storage.schema import reviews_t, states_t
from tests.conftest import write_basic_deck

WHEN = dt.datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=dt.UTC)
SKIP = {"id", "learner_id", "last_review_id"}


def _through_execute(
    store: Store, learner: int, pk: int, grade: int, day: dt.date, at: dt.datetime,
    duration: int | None, picked: str | None,
) -> None:  # fmt: skip
    """The same answer through `Connection.execute` (SQLAlchemy's own path)."""
    with store.db.write_as(learner) as conn:
        before = state_for(conn, learner, pk)
        outcome = review(before, grade, day)
        values = log_values(learner, pk, at, outcome, duration)
        values |= {"capped_from": outcome.capped_from, "picked": picked}
        review_id = conn.scalar(insert(reviews_t).returning(reviews_t.c.id), values)
        state = {**state_values(outcome.after), "last_review_id": review_id}
        if before.is_new:
            conn.execute(
                INSERT_STATE, {"learner_id": learner, "card_id": pk, "b_card_of": pk} | state
            )
        else:
            where = (states_t.c.learner_id == learner, states_t.c.card_id == pk)
            conn.execute(update(states_t).where(*where).values(**state))


def _rows(store: Store, learner: int) -> list[Any]:
    """Each learner's log and states as the database holds them: SQLite's quote() shows
    each value's storage class and bytes, PostgreSQL's text form its value."""
    found: list[Any] = []
    for table, order in ((reviews_t, "card_id, id"), (states_t, "card_id")):
        names = [c.name for c in table.c if c.name not in SKIP]
        shown = ", ".join(
            f"quote({n})" if store.db.dialect == "sqlite" else f"{n}::text" for n in names
        )
        sql = f"SELECT {shown} FROM {table.name} WHERE learner_id = {learner} ORDER BY {order}"
        with store.db.read() as conn:
            found.append([tuple(row) for row in conn.exec_driver_sql(sql)])
    with store.db.read() as conn:  # each state points at its card's newest answer
        newest = conn.exec_driver_sql(
            "SELECT count(*) FROM card_states s WHERE s.learner_id = "
            f"{learner} AND s.last_review_id = (SELECT max(r.id) FROM reviews r WHERE "
            "r.learner_id = s.learner_id AND r.card_id = s.card_id)"
        ).scalar()
    found.append([newest])
    return found


def _same_rows(url: str, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "deck.toml", 6)
    ids = {}
    for name in ("alex", "blake"):
        with App(Settings(database=url, learner=name, environ={})) as app:
            if name == "alex":
                app.sync([deck])
            ids[name] = app.learner_id
    with Store.open(url) as store:
        with store.db.read() as conn:
            pks = [r[0] for r in conn.exec_driver_sql("SELECT id FROM cards ORDER BY id")]
        answers = [  # (card, grade, day, seconds later, duration, picked)
            (pks[0], 4, dt.date(2026, 11, 22), 0, 1000, None),
            (pks[1], 1, dt.date(2026, 11, 22), 1, None, "b"),
            (pks[0], 5, dt.date(2026, 11, 25), 2, 2500, None),
            (pks[1], 3, dt.date(2026, 11, 23), 3, 700, "a"),
            (pks[0], 2, dt.date(2026, 12, 5), 4, 0, None),
            (pks[2], 5, dt.date(2026, 12, 5), 5, 10**9, None),
        ]
        store.reviews.prepare()  # rendered ahead (as a review does): for the values given
        known: dict[int, CardState] = {}
        for n, (pk, grade, day, later, duration, picked) in enumerate(answers):
            at = WHEN + dt.timedelta(seconds=later)

            def decide(state: CardState, grade: int = grade, day: dt.date = day) -> Review:
                return review(state, grade, day)

            # every other answer with the state known (the checked UPDATE), else read
            given = known.get(pk) if n % 2 else None
            _, outcome = store.reviews.apply(
                ids["alex"], pk, decide, at, duration, picked, known=given
            )
            known[pk] = outcome.after
            _through_execute(store, ids["blake"], pk, grade, day, at, duration, picked)
        ours, theirs = _rows(store, ids["alex"]), _rows(store, ids["blake"])
        assert len(ours[0]) == len(answers) and len(ours[1]) == 3 and ours[2] == [3]
        assert ours == theirs


def test_same_rows_on_sqlite(tmp_path: Path) -> None:
    _same_rows(Location.of(str(tmp_path / "d.db")).url, tmp_path)


def test_same_rows_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    _same_rows(pg_url, tmp_path)


def _errors_made_plain(url: str, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "deck.toml", 2)
    with App(Settings(database=url, learner="alex", environ={})) as app:
        app.sync([deck])
        learner = app.learner_id
    with Store.open(url) as store:
        with store.db.read() as conn:
            pk = int(conn.exec_driver_sql("SELECT min(id) FROM cards").scalar_one())

        def decide(state: CardState) -> Review:
            return review(state, 4, dt.date(2026, 11, 22))

        store.reviews.apply(learner, pk, decide, WHEN, 1000)
        # a foreign key the database refuses: the same plain error as any write's
        with pytest.raises(WriteConflict, match="database write conflicted"):
            store.reviews.apply(learner, 10**9, decide, WHEN, 1000)
        with pytest.raises(StorageFailure):
            store.reviews.apply(10**9, pk, decide, WHEN, 1000)
        # nothing of the refused answers was kept, and the store still answers
        store.reviews.apply(learner, pk, decide, WHEN, 1000)
        with store.db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar() == 2


def test_errors_on_sqlite(tmp_path: Path) -> None:
    _errors_made_plain(Location.of(str(tmp_path / "e.db")).url, tmp_path)


def test_errors_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    _errors_made_plain(pg_url, tmp_path)


def _synced(tmp_path: Path, name: str, cards: int) -> tuple[Path, int]:
    """A database holding a deck of `cards` cards, and its learner's id."""
    path = tmp_path / name
    deck = write_basic_deck(tmp_path / "deck.toml", cards)
    with App(Settings(database=str(path), learner="alex", environ={})) as app:
        app.sync([deck])
        return path, app.learner_id


def _card_ids(store: Store) -> list[int]:
    with store.db.read() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM cards ORDER BY id")]


def _pass(state: CardState) -> Review:
    return review(state, 4, dt.date(2026, 11, 22))


def test_the_kept_connection_closes_with_the_store(tmp_path: Path) -> None:
    """An SQLite engine keeps one driver connection between answers (storage/driver.py);
    closing the store closes it too, so the last connection's close checkpoints the log and
    removes it, as before; a driver read (a content batch) reuses it."""
    path, learner = _synced(tmp_path, "k.db", 2)
    with Store.open(str(path)) as store:
        pks = _card_ids(store)
        for pk in pks:
            store.reviews.apply(learner, pk, _pass, WHEN, 1000)
        assert set(store.decks.cards_by_pk(pks)) == set(pks)
        assert Path(f"{path}-wal").exists()
    assert not Path(f"{path}-wal").exists()
    with Store.open(str(path)) as store, store.db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar() == 2


def test_threads_answering_keep_at_most_one_connection(tmp_path: Path) -> None:
    """A server's threads answer on one engine at once: each answer is written, and no
    more than one connection stays out of the pool between them."""
    from srs_crss.storage import driver

    path, learner = _synced(tmp_path, "t.db", 8)
    with Store.open(str(path)) as store:
        pks = _card_ids(store)

        def answer_two(first: int) -> None:
            for pk in pks[first : first + 2]:
                store.reviews.apply(learner, pk, _pass, WHEN, 1000)

        threads = [threading.Thread(target=answer_two, args=(n,)) for n in range(0, 8, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(driver._KEPT[store.db.engine]) <= 1
        with store.db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar() == 8
