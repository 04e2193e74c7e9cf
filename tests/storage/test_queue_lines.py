"""How a review session fills its lines (issue 30): a short first page of due cards
and the rest fetched while the learner reads; new cards found without walking a
scope whose cards are all seen, and the same cards found as a full walk finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from srs_crss import sm2
from srs_crss.model import Scope, Suspension
from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import Grade
from srs_crss.study.duepages import DUE_PAGE, FIRST_PAGE
from tests.conftest import write_basic_deck

DAY_ONE = "2026-11-22T10:00:00+00:00"
DAY_TWO = "2026-11-23T10:00:00+00:00"
COUNT = 60


def _app(db: Path, now: str) -> App:
    return App(Settings(database=str(db), learner="alex", environ={"SRS_CRSS_NOW": now}))


def _learn_all(db: Path, deck: Path, count: int) -> None:
    """Every card of the deck answered (4) on day one: all due on day two."""
    with _app(db, DAY_ONE) as app:
        app.sync([deck])
        session = app.review_session(decks=["many"], new=count)
        while session.current() is not None:
            session.answer(Grade(4), 1000)


@pytest.mark.parametrize("reads", [True, False], ids=["terminal", "web"])
def test_due_cards_come_a_short_page_first_and_the_rest_while_the_learner_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: bool
) -> None:
    """The terminal calls `ready` while a card is read; the web does not, and gets the
    next page when the line runs out: the same cards in the same order either way."""
    assert FIRST_PAGE < COUNT < FIRST_PAGE + DUE_PAGE
    db, deck = tmp_path / "a.db", write_basic_deck(tmp_path / "deck.toml", COUNT)
    _learn_all(db, deck, COUNT)
    with _app(db, DAY_TWO) as app:
        session = app.review_session(decks=["many"])
        pages: list[tuple[str, int]] = []
        where = ["current"]
        original = session.store.queue.due_page

        def spy(*args: Any) -> Any:
            rows = original(*args)
            pages.append((where[0], len(rows)))
            return rows

        monkeypatch.setattr(session.store.queue, "due_page", spy)
        shown, lefts = [], []
        while (card := session.current()) is not None:
            shown.append(card.id)
            lefts.append(session.progress().left)
            if reads:
                where[0] = "ready"
                session.ready()
                where[0] = "current"
            session.answer(Grade(4), 1000)
    assert shown == [f"c{i:02d}" for i in range(COUNT)]  # queue order, each card once
    assert lefts == list(range(COUNT, 0, -1))  # the count never skips or repeats
    rest = "ready" if reads else "current"
    assert pages == [("current", FIRST_PAGE), (rest, COUNT - FIRST_PAGE)]


def _deck(path: Path, domains: list[str], keep: set[int] | None = None) -> Path:
    """Cards c00... with the given domains ("" for none); `keep` leaves the others out
    of the file (sync then retires them)."""
    parts = ['[deck]\nid = "many"\nname = "Deck many"\n']
    for i, domain in enumerate(domains):
        if keep is not None and i not in keep:
            continue
        named = f'domain = "{domain}"\n' if domain else ""
        parts.append(f'[[cards]]\nid = "c{i:02d}"\nfront = "Front {i}"\nback = "Back {i}"\n{named}')
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _answer(app: App, pks: list[int]) -> None:
    moment = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
    for pk in pks:
        app.store.reviews.apply(
            app.learner_id, pk, lambda s: sm2.review(s, Grade(4), moment.date()), moment, 1000
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_new_cards_are_those_a_full_walk_finds(tmp_path_factory: Any, data: Any) -> None:
    """Against the cards' own order: seen, retired (seen or not) and suspended cards
    in any mix, any scope by deck or domain; and a scope with nothing unseen is not walked."""
    folder = tmp_path_factory.mktemp("lines")
    count = data.draw(st.integers(1, 24))
    domains = data.draw(st.lists(st.sampled_from(["A", "B", ""]), min_size=count, max_size=count))
    seen = data.draw(st.sets(st.integers(0, count - 1)))
    retired = data.draw(st.sets(st.integers(0, count - 1)))
    suspended = data.draw(st.sets(st.integers(0, count - 1)))
    limit = data.draw(st.integers(1, 30))
    domain = data.draw(st.sampled_from([None, "A", "b"]))
    with _app(folder / "a.db", DAY_ONE) as app:
        app.sync([_deck(folder / "many.toml", domains)])
        store, learner = app.store, app.learner_id
        pk = {
            f"c{i:02d}": store.decks.card_view(learner, "many", f"c{i:02d}").card.pk
            for i in range(count)
        }
        _answer(app, [pk[f"c{i:02d}"] for i in sorted(seen)])
        moment = dt.datetime(2026, 11, 22, 11, tzinfo=dt.UTC)
        for i in suspended:
            store.suspensions.add(learner, pk[f"c{i:02d}"], Suspension.MANUAL, moment)
        app.sync([_deck(folder / "many.toml", domains, keep=set(range(count)) - retired)])
        scope = Scope(decks=("many",), domain=domain)
        statements: list[str] = []
        event.listen(store.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        lines, weights = store.queue.new_cards_by_domain(learner, scope, limit)
    in_scope = [
        i for i in range(count)
        if i not in retired and (domain is None or domains[i].lower() == domain.lower())
    ]  # fmt: skip
    expected: dict[str, list[int]] = {}
    for i in in_scope:
        expected.setdefault(domains[i], [])
    for i in in_scope:
        line = expected[domains[i]]
        if i not in seen and i not in suspended and len(line) < limit:
            line.append(pk[f"c{i:02d}"])
    assert lines == expected
    assert weights == {d: sum(domains[i] == d for i in in_scope) for d in expected}
    walked = any("NOT (EXISTS" in sql for sql in statements)
    if all(i in seen for i in in_scope):
        assert not walked


def test_the_notes_answered_today_are_read_for_the_sessions_decks(tmp_path: Path) -> None:
    """Siblings share a deck, so a session on some decks reads only their answers of the
    day (a learner with hundreds of answers today: milliseconds of every start)."""
    db = tmp_path / "a.db"
    decks = [write_basic_deck(tmp_path / f"{d}.toml", 4, deck_id=d) for d in ("one", "two")]
    with _app(db, DAY_ONE) as app:
        app.sync(decks)
        for name, count in (("one", 2), ("two", 3)):
            session = app.review_session(decks=[name], new=count)
            while session.current() is not None:
                session.answer(Grade(4), 1000)
        learner, day = app.reader_id, dt.date(2026, 11, 22)
        store = app.store
        every = store.queue.notes_answered(learner, day)
        assert sorted(every) == [
            ("one", "c00"),
            ("one", "c01"),
            *(("two", f"c0{i}") for i in range(3)),
        ]
        assert sorted(store.queue.notes_answered(learner, day, ("two",))) == [
            ("two", f"c0{i}") for i in range(3)
        ]
        assert store.queue.notes_answered(learner, day, ("one",)) == {
            key: pks for key, pks in every.items() if key[0] == "one"
        }
