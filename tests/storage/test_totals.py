"""Counts kept beside the data always agree with the data: the per-day counts behind
`stats` (storage/totals.py) with the review log, and the deck counts read from
card_states.deck_id with the same counts joined through the cards.

Random histories of answers over many days, undos, answers replaced as an Anki
import replaces them, and deck edits that move cards to another domain; at
random points, and at the end, `stats` catches up and its figures from the counts
must equal the same figures read from the log itself, for every deck and domain.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, func, select, update

from srs_crss import model
from srs_crss.decks.deckfile import load_deck
from srs_crss.decks.sync import plan_sync
from srs_crss.sm2 import CardState, Review, review
from srs_crss.storage import Store, totals
from srs_crss.storage.rows import scope_filters
from srs_crss.storage.schema import cards_t, reviews_t
from srs_crss.storage.stats import _from_cards, _from_log, _from_states, _from_totals

START = dt.date(2026, 9, 1)
DOMAINS = ("Advocacy", "Ethical Responsibility", None)
CARDS = 5


def _grade(grade: int, day: dt.date) -> Callable[[CardState], Review]:
    return lambda state: review(state, grade, day)


def _deck(folder: Path, slug: str, domains: list[str | None]) -> Path:
    lines = [f'[deck]\nid = "{slug}"\nname = "Deck {slug}"\n']
    for n, domain in enumerate(domains):
        lines.append(f'[[cards]]\nid = "c{n}"\nfront = "Q{n}?"\nback = "A{n}"\nsource = "test"\n')
        if domain is not None:
            lines.append(f'domain = "{domain}"\n')
    path = folder / f"{slug}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _sync(store: Store, folder: Path, decks: dict[str, list[str | None]]) -> None:
    specs = [load_deck(_deck(folder, slug, domains)) for slug, domains in decks.items()]
    now = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    store.decks.apply(plan_sync(specs, store.decks.existing(list(decks))).plans, now)


def _study_days(store: Store, learner: int, until: dt.date) -> list[dt.date]:
    with store.db.read() as conn:
        days = conn.scalars(
            select(reviews_t.c.day)
            .where(reviews_t.c.learner_id == learner, reviews_t.c.day <= until)
            .distinct()
        )
        return sorted(days, reverse=True)


def _states_agree(store: Store, learner: int, today: dt.date, scope: model.Scope) -> None:
    """Due, the forecast and the per-domain card figures from the states' own deck and
    domain, less retired (and suspended) cards' states, equal the same figures read
    through the cards."""
    active = and_(cards_t.c.retired.is_(False), *scope_filters(scope))
    with store.db.read() as conn:
        due, ahead, domains = _from_states(conn, learner, today, scope)
        joined_ahead, joined_domains = _from_cards(conn, learner, today, active)
    assert due == store.queue.due_counts(learner, today, scope, 10**6)[0], scope  # joined
    assert domains == joined_domains, scope
    assert {day: n for day, n in ahead.items() if n} == dict(joined_ahead), scope


def _agree(store: Store, learner: int, today: dt.date) -> None:
    # the study days (streaks) from the counts and the newer log rows, before and after
    # the counts catch up
    assert store.queue.study_days(learner, today) == _study_days(store, learner, today)
    store.stats.figures(learner, today, model.Scope())  # catches up, as `stats` does
    assert store.queue.study_days(learner, today) == _study_days(store, learner, today)
    scopes = [model.Scope(), model.Scope(decks=("a",)), model.Scope(decks=("b",))]
    scopes += [model.Scope(domain=d) for d in DOMAINS if d] + [model.Scope(domain="advocacy")]
    with store.db.read() as conn:
        for scope in scopes:
            for day in (today, today - dt.timedelta(days=3), START + dt.timedelta(days=400)):
                counted = _from_totals(conn, learner, day, scope)
                logged = _from_log(conn, learner, day, scope)
                assert counted == logged, (scope, day)
    for scope in scopes:
        _states_agree(store, learner, today, scope)


ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            st.sampled_from("ab"),
            st.integers(0, CARDS - 1),
            st.integers(0, 5),
            st.integers(0, 60),
        ),  # fmt: skip
        st.tuples(st.just("undo"), st.sampled_from("ab"), st.integers(0, CARDS - 1)),
        st.tuples(st.just("replace"), st.integers(0, 10_000)),
        st.tuples(
            st.just("domain"),
            st.sampled_from("ab"),
            st.integers(0, CARDS - 1),
            st.sampled_from(DOMAINS),
        ),  # fmt: skip
        st.tuples(st.just("stats"), st.integers(0, 60)),
        st.tuples(st.just("retire"), st.sampled_from("ab"), st.integers(0, CARDS - 1)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_the_counts_agree_with_the_log(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(str(folder / "totals.db"))
        decks: dict[str, list[str | None]] = {
            "a": [DOMAINS[n % 3] for n in range(CARDS)],
            "b": [DOMAINS[(n + 1) % 3] for n in range(CARDS)],
        }
        _sync(store, folder, decks)
        at = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
        learner = store.learners.id_of("alex", at)
        other = store.learners.id_of("sam", at)  # another learner's log shares the ids
        last_day = START
        for step in steps:
            kind = step[0]
            if kind == "answer":
                _, deck, n, grade, offset = step
                day = START + dt.timedelta(days=int(offset))
                last_day = max(last_day, day)
                pk = store.decks.card_view(learner, str(deck), f"c{n}").card.pk
                for who in (learner, other) if grade == 5 else (learner,):
                    store.reviews.apply(who, pk, _grade(grade, day), at, 900)
            elif kind == "undo":
                _, deck, n = step
                view = store.decks.card_view(learner, str(deck), f"c{n}")
                if view.history:
                    store.reviews.undo(learner, view.history[-1].id)
            elif kind == "replace":  # an Anki import replaces answers it recorded again
                with store.db.write() as conn:
                    ids = list(conn.scalars(select(reviews_t.c.id).order_by(reviews_t.c.id)))
                    mine = list(
                        conn.scalars(
                            select(reviews_t.c.id).where(reviews_t.c.learner_id == learner)
                        )
                    )
                    if mine:
                        gone = mine[int(step[1]) % len(mine) :]  # noqa: E203 - the newest ones
                        totals.forget(conn, learner, gone)
                        assert conn.scalar(select(func.count()).select_from(reviews_t)) == len(
                            ids
                        ) - len(gone)
            elif kind == "retire":  # as a sync retires a card left out of its file
                pk = store.decks.card_view(learner, str(step[1]), f"c{step[2]}").card.pk
                with store.db.write() as conn:
                    conn.execute(update(cards_t).where(cards_t.c.id == pk).values(retired=True))
            elif kind == "domain":
                _, deck, n, domain = step
                decks[str(deck)][int(n)] = domain
                _sync(store, folder, decks)
            else:
                _agree(store, learner, START + dt.timedelta(days=int(step[1])))
        _agree(store, learner, last_day)
        _agree(store, other, last_day)
        store.close()


def _answered(store: Store, folder: Path, decks: dict[str, list[str | None]]) -> int:
    """Both decks synced, every card answered on two days, `stats` caught up."""
    _sync(store, folder, decks)
    at = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    learner = store.learners.id_of("alex", at)
    for deck in decks:
        for n in range(CARDS):
            pk = store.decks.card_view(learner, deck, f"c{n}").card.pk
            for offset, grade in ((0, 4), (1, 5), (6, 2)):
                day = START + dt.timedelta(days=offset)
                store.reviews.apply(learner, pk, _grade(grade, day), at, 9)
    _agree(store, learner, START + dt.timedelta(days=6))
    return learner


def test_a_card_moved_to_another_domain_moves_its_counts(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "totals.db"))
    decks: dict[str, list[str | None]] = {"a": ["Advocacy"] * CARDS, "b": [None] * CARDS}
    learner = _answered(store, tmp_path, decks)
    decks["a"][0] = "Ethical Responsibility"
    decks["b"][1] = "Advocacy"
    _sync(store, tmp_path, decks)
    _agree(store, learner, START + dt.timedelta(days=6))
    ethics = store.stats.figures(
        learner, START + dt.timedelta(days=6), model.Scope(domain="Ethical Responsibility")
    )
    assert ethics.calendar == (
        (START, 1),
        (START + dt.timedelta(days=1), 1),
        (START + dt.timedelta(days=6), 1),
    )
    store.close()


def test_undo_and_replaced_answers_leave_the_counts(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "totals.db"))
    learner = _answered(store, tmp_path, {"a": ["Advocacy"] * CARDS, "b": [None] * CARDS})
    today = START + dt.timedelta(days=6)
    before = store.stats.figures(learner, today, model.Scope())
    view = store.decks.card_view(learner, "a", "c0")
    store.reviews.undo(learner, view.history[-1].id)
    after = store.stats.figures(learner, today, model.Scope())
    assert after.reviewed_today == before.reviewed_today - 1
    _agree(store, learner, today)
    with store.db.write() as conn:  # the newest ids go: new answers may reuse them
        newest = list(conn.scalars(select(reviews_t.c.id).order_by(reviews_t.c.id.desc()).limit(4)))
        totals.forget(conn, learner, newest)
    _agree(store, learner, today)
    pk = store.decks.card_view(learner, "b", "c4").card.pk
    store.reviews.apply(learner, pk, lambda s: review(s, 5, today), dt.datetime.now(dt.UTC), 9)
    _agree(store, learner, today)
    with store.db.read() as conn:  # the newest row of each of b/c4 and b/c3 was today's
        logged = conn.scalar(
            select(func.count()).where(reviews_t.c.learner_id == learner, reviews_t.c.day == today)
        )
    assert logged == after.reviewed_today - 2 + 1
    assert store.stats.figures(learner, today, model.Scope()).reviewed_today == logged
    store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from("ab"), st.integers(0, CARDS - 1), st.integers(0, 5), st.integers(0, 20)
        ),
        max_size=25,
    ),  # fmt: skip
    st.sets(st.tuples(st.sampled_from("ab"), st.integers(0, CARDS - 1)), max_size=4),
    st.sets(st.tuples(st.sampled_from("ab"), st.integers(0, CARDS - 1)), max_size=4),
)
def test_deck_counts_from_the_states_index_agree_with_the_cards(
    answers: list[tuple[str, int, int, int]],
    suspended: set[tuple[str, int]],
    retired: set[tuple[str, int]],
) -> None:
    # `decks` and sessions on some decks count from card_states.deck_id, taking retired
    # and suspended cards off by id; the queue's general path joins the cards instead.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(str(folder / "decks.db"))
        decks: dict[str, list[str | None]] = {"a": ["Advocacy"] * CARDS, "b": [None] * CARDS}
        _sync(store, folder, decks)
        at = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
        learner = store.learners.id_of("alex", at)
        pk = {
            (deck, n): store.decks.card_view(learner, deck, f"c{n}").card.pk
            for deck in "ab"
            for n in range(CARDS)
        }
        for deck, n, grade, offset in answers:
            day = START + dt.timedelta(days=offset)
            store.reviews.apply(learner, pk[(deck, n)], _grade(grade, day), at, 9)
        for deck, n in suspended:
            store.suspensions.add(learner, pk[(deck, n)], model.Suspension.MANUAL, at)
        with store.db.write() as conn:  # retired as a sync retires a card left out of its file
            conn.execute(
                update(cards_t)
                .where(cards_t.c.id.in_([pk[key] for key in retired]))
                .values(retired=True)
            )
        today = START + dt.timedelta(days=25)
        for scope in [(), ("a",), ("b",), ("a", "b")]:
            fast = store.queue.due_counts(learner, today, model.Scope(decks=scope))
            joined = store.queue.due_counts(learner, today, model.Scope(decks=scope), 10**6)
            assert fast == joined, scope
            _states_agree(store, learner, today, model.Scope(decks=scope))  # and `stats`
        summaries = {s.id: s for s in store.decks.summaries(learner, today)}
        for deck in "ab":
            live = [n for n in range(CARDS) if (deck, n) not in retired]
            seen = {n for d, n, _, _ in answers if d == deck and n in live}
            assert summaries[deck].cards == len(live)
            assert summaries[deck].retired == CARDS - len(live)
            assert summaries[deck].new == len(live) - len(seen)
            states = [store.queue.state(learner, pk[(deck, n)]) for n in seen]
            assert summaries[deck].due == sum(s.due is not None and s.due <= today for s in states)
        store.close()
