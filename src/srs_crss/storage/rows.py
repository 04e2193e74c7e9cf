"""Rows <-> records, written once: card and state columns, and the joins and
filters the area modules share (queue order, --deck / --tag / --domain)."""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
)

from srs_crss import model
from srs_crss.errors import NotFound
from srs_crss.model import CardType
from srs_crss.sm2 import CardState, Grade, ReviewKind
from srs_crss.storage.driver import DriverWrite
from srs_crss.storage.prepared import Prepared
from srs_crss.storage.schema import cards_t, decks_t, states_t, suspended_t

STATE_COLUMNS = (
    states_t.c.repetitions,
    states_t.c.ef,
    states_t.c.interval,
    states_t.c.due,
    states_t.c.extra,
    states_t.c.lapses,
)
assert tuple(column.name for column in STATE_COLUMNS) == CardState._fields  # state_values


_OF_CARD = cards_t.c.id == bindparam("b_card_of")
INSERT_STATE = insert(states_t).values(
    deck_id=select(cards_t.c.deck_id).where(_OF_CARD).scalar_subquery(),
    domain=select(cards_t.c.domain).where(_OF_CARD).scalar_subquery(),
)
"""A new card state. Each row gives its card id twice, as "card_id" and "b_card_of":
the state's deck and domain are read from the card."""


def state_values(state: CardState, suffix: str = "", prefix: str = "") -> dict[str, Any]:
    """A state as column values (`suffix` "_before" for the log's before-columns; `prefix`
    for bound names). Each answer builds three: the names are made once."""
    names = _STATE_NAMES.get((prefix, suffix))
    if names is None:
        names = _STATE_NAMES[prefix, suffix] = tuple(
            f"{prefix}{field}{suffix}" for field in CardState._fields
        )
    return dict(zip(names, state, strict=True))


_STATE_NAMES: dict[tuple[str, str], tuple[str, ...]] = {}
"""The column names of `state_values`, by (prefix, suffix): CardState's fields are named
as the state columns (repetitions, ef, interval, due, extra, lapses)."""


def state_from_row(row: Any) -> CardState:
    """A state from a row holding the STATE_COLUMNS (attribute access: exports read 100,000s)."""
    return CardState(
        repetitions=row.repetitions,
        ef=row.ef,
        interval=row.interval,
        due=row.due,
        extra=bool(row.extra),
        lapses=row.lapses,
    )


def state_before_from_row(row: Any) -> CardState:
    """The state before an answer, from a review log row."""
    return CardState(
        repetitions=row.repetitions_before,
        ef=row.ef_before,
        interval=row.interval_before,
        due=row.due_before,
        extra=bool(row.extra_before),
        lapses=row.lapses_before,
    )


_STATE_OF = select(*STATE_COLUMNS).where(
    states_t.c.learner_id == bindparam("learner"), states_t.c.card_id == bindparam("card")
)
_STATE_OF_LOCKED = Prepared(_STATE_OF.with_for_update())  # a row lock on servers, not SQLite
_STATE_OF_PREPARED = Prepared(_STATE_OF)
"""Built once: a statement built per answer costs more than running it (issue 16); and
rendered once, as an answer reads the next card's state with it (storage/prepared.py)."""


def prepare_state_read(dialect: Any) -> None:
    """Render `state_for`'s read now (see Reviews.prepare)."""
    _STATE_OF_PREPARED.prepare(dialect, ["learner", "card"])


def state_for(
    conn: Connection | DriverWrite, learner_id: int, card_pk: int, lock: bool = False
) -> CardState:
    """One learner's state of one card (new if never reviewed)."""
    query = _STATE_OF_LOCKED if lock else _STATE_OF_PREPARED
    values = {"learner": learner_id, "card": card_pk}
    row = conn.first(query, values) if isinstance(conn, DriverWrite) else query.first(conn, values)
    return CardState() if row is None else state_from_row(row)


def card_select() -> Select[Any]:
    """Card content with its deck: read by `card_from_row`."""
    return select(
        cards_t.c.id,
        decks_t.c.slug.label("deck"),
        decks_t.c.name.label("deck_name"),
        cards_t.c.slug,
        cards_t.c.type,
        cards_t.c.front,
        cards_t.c.back,
        cards_t.c.choices,
        cards_t.c.answer,
        cards_t.c.explanation,
        cards_t.c.domain,
        cards_t.c.tags,
        cards_t.c.source,
        cards_t.c.position,
        cards_t.c.retired,
        cards_t.c.sibling_of,
    ).select_from(cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id))


def card_from_row(row: Any) -> model.Card:
    """A Card from the first columns of a `card_select()` row (by position: exports read many)."""
    (pk, deck, deck_name, slug, kind, front, back, choices, answer, explanation, domain, tags,
     source, position, retired, sibling_of) = row[:16]  # fmt: skip
    return model.Card(
        pk=pk,
        deck=deck,
        deck_name=deck_name,
        id=slug,
        type=_CARD_TYPES.get(kind) or CardType(kind),
        front=front,
        back=back,
        choices=json_tuple(choices),
        answer=answer,
        explanation=explanation,
        domain=domain,
        tags=_tags_tuple(tags),
        source=source,
        position=position,
        retired=bool(retired),
        sibling_of=sibling_of,
    )


def history_from_row(row: Any) -> model.HistoryEntry:
    """A review log row as a history entry."""
    return model.HistoryEntry(
        id=row.id,
        reviewed_at=row.reviewed_at,
        day=row.day,
        grade=Grade(row.grade),
        kind=ReviewKind(row.kind),
        before=state_before_from_row(row),
        after=state_from_row(row),
        duration_ms=row.duration_ms,
        capped_from=row.capped_from,
        picked=row.picked,
    )


def json_tuple(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))


_tags_tuple = functools.lru_cache(maxsize=4096)(json_tuple)
"""json_tuple for tags: cards share a few tag lists, and exports read 100,000s."""
_CARD_TYPES = {t.value: t for t in CardType}


def states_cards_decks() -> Any:
    """Card states joined with their cards and decks."""
    return states_t.join(cards_t, cards_t.c.id == states_t.c.card_id).join(
        decks_t, decks_t.c.id == cards_t.c.deck_id
    )


def cards_decks() -> Any:
    """Cards joined with their decks."""
    return cards_t.join(decks_t, decks_t.c.id == cards_t.c.deck_id)


def exam_bank(decks: Any, *columns: Any) -> Select[Any]:
    """`columns` of the multiple-choice cards of `decks` that an exam can ask (not
    retired), by card id: the practice exam's bank, and the forecast's."""
    return (
        select(*columns)
        .select_from(cards_decks())
        .where(
            decks_t.c.slug.in_(list(decks)),
            cards_t.c.type == "mcq",
            cards_t.c.retired.is_(False),
        )
        .order_by(cards_t.c.id)
    )


def scope_filters(scope: model.Scope, decks_joined: bool = True) -> list[Any]:
    """WHERE clauses for --deck / --tag / --domain (cards joined with decks; or, with
    `decks_joined` False, cards alone: the decks by id, which leaves the planner free to
    start from another table)."""
    if decks_joined:
        filters: list[Any] = [decks_t.c.slug.in_(list(scope.decks))] if scope.decks else []
        filters += deck_and_domain(cards_t, scope._replace(decks=()))
    else:
        filters = deck_and_domain(cards_t, scope)
    if scope.tag:
        # tags are slugs stored as a JSON list: '"tag"' with its quotes is exact.
        filters.append(cards_t.c.tags.like(f'%"{scope.tag}"%'))
    return filters


def deck_and_domain(table: Any, scope: model.Scope) -> list[Any]:
    """WHERE clauses for --deck / --domain on a table of cards, card states or per-day
    counts: each row knows its deck (by id) and domain (not the card's tags)."""
    filters: list[Any] = []
    if scope.decks:
        ids = select(decks_t.c.id).where(decks_t.c.slug.in_(list(scope.decks)))
        filters.append(table.c.deck_id.in_(ids))
    if scope.domain:
        filters.append(func.lower(table.c.domain) == scope.domain.lower())
    return filters


def retired_cards() -> Select[Any]:
    """The ids of retired cards (few), as a subquery: `state.card_id IN (...)` reads the
    states from one index, where a join to `cards` would read a cards row per state."""
    return select(cards_t.c.id).where(cards_t.c.retired.is_(True))


def retired_states(learner_id: int) -> Any:
    """This learner's states of retired cards (few): `(learner, card) IN (...)`, so each
    is looked up by the states' primary key. Give it without `learner_id = ?` beside
    it: with one, SQLite would rather read all of the learner's states from a covering
    index and test each (7 ms at 100,000 states, against 0.1 ms)."""
    return _states_of(learner_id, retired_cards())


def suspended_states(learner_id: int) -> Any:
    """This learner's states of the cards they suspended (few), as `retired_states`."""
    return _states_of(
        learner_id, select(suspended_t.c.card_id).where(suspended_t.c.learner_id == learner_id)
    )


def set_aside_states(learner_id: int) -> Any:
    """This learner's states of cards out of review: retired, or suspended (few)."""
    return or_(retired_states(learner_id), suspended_states(learner_id))


def _states_of(learner_id: int, cards: Select[Any]) -> Any:
    learner = literal(learner_id, Integer)
    pairs = cards.with_only_columns(learner, *cards.selected_columns)
    return tuple_(states_t.c.learner_id, states_t.c.card_id).in_(pairs)


def share(total: int | None, passed: int | None) -> float | None:
    """passed / total, or None when there is nothing to divide."""
    return (passed or 0) / total if total else None


def is_(column: Any, value: Any) -> Any:
    """column = value, or IS NULL for None (SQL's = never matches NULL)."""
    return column.is_(None) if value is None else column == value


def deck_id_of(conn: Connection, deck: str | None) -> int | None:
    if deck is None:
        return None
    found = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
    if found is None:
        raise NotFound(f"no deck {deck!r}")
    return int(found)


def suspended(learner_id: int) -> Any:
    """Whether this learner suspended the card (cards joined)."""
    return (
        select(suspended_t.c.card_id)
        .where(suspended_t.c.learner_id == learner_id, suspended_t.c.card_id == cards_t.c.id)
        .exists()
    )
