"""Decks and cards: what sync needs to plan, applying its plans, deck counts, one card's view."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, bindparam, case, false, func, insert, select, update

from srs_crss import model
from srs_crss.errors import NotFound
from srs_crss.names import unknown_name
from srs_crss.storage import driver, totals
from srs_crss.storage.driver import in_list, in_values
from srs_crss.storage.engine import Database
from srs_crss.storage.prepared import Prepared
from srs_crss.storage.rows import (
    card_from_row,
    card_select,
    cards_decks,
    history_from_row,
    json_tuple,
    retired_states,
    state_for,
)
from srs_crss.storage.schema import cards_t, decks_t, exam_tasks_t, reviews_t, states_t

if TYPE_CHECKING:  # deck files are read, checked and planned only when decks are synced
    from srs_crss.decks.sync import DeckPlan

_CONTENT_COLUMNS = (
    "type", "front", "back", "choices", "answer", "explanation", "domain", "tags", "source",
    "sibling_of", "content_hash",
)  # fmt: skip


_CARDS_BY_PK = Prepared(card_select().where(in_list(cards_t.c.id)))
"""Built once and rendered once, run on the driver: a review session reads a batch of
cards' content with it every few answers (storage/driver.py)."""


class Decks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def slugs(self) -> list[str]:
        with self.db.read() as conn:
            return list(conn.scalars(select(decks_t.c.slug).order_by(decks_t.c.slug)))

    def studied_by_default(self) -> list[str] | None:
        """The decks a command covers when none is named: every deck but the optional
        ones; None when no deck is optional (then no filter is needed at all)."""
        with self.db.read() as conn:
            rows = conn.execute(select(decks_t.c.slug, decks_t.c.optional)).all()
        if not any(optional for _, optional in rows):
            return None
        return sorted(slug for slug, optional in rows if not optional)

    def exists(self, slug: str) -> bool:
        with self.db.read() as conn:
            return conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == slug)) is not None

    def existing(self, slugs: Sequence[str]) -> dict[str, model.ExistingDeck]:
        """What sync needs to plan changes for these decks."""
        result: dict[str, model.ExistingDeck] = {}
        with self.db.read() as conn:
            rows = conn.execute(
                select(
                    decks_t.c.id,
                    decks_t.c.slug,
                    decks_t.c.name,
                    decks_t.c.description,
                    decks_t.c.source_path,
                    decks_t.c.source_hash,
                ).where(decks_t.c.slug.in_(list(slugs)))
            ).all()
            ids = {row.id: row.slug for row in rows}
            for row in rows:
                result[row.slug] = model.ExistingDeck(
                    name=row.name,
                    description=row.description,
                    source_path=row.source_path,
                    fingerprint=row.source_hash,
                    cards={},
                )
            if ids:
                cards = conn.execute(
                    select(
                        cards_t.c.deck_id,
                        cards_t.c.slug,
                        cards_t.c.content_hash,
                        cards_t.c.position,
                        cards_t.c.retired,
                        cards_t.c.task,
                    ).where(cards_t.c.deck_id.in_(list(ids)))
                )
                for deck_id, slug, content_hash, position, retired, task in cards:
                    result[ids[deck_id]].cards[slug] = model.ExistingCard(
                        content_hash=content_hash,
                        position=position,
                        retired=bool(retired),
                        task=task,
                    )
                listed: dict[int, list[tuple[str, str, str]]] = {}
                for deck_id, task_id, domain, title in conn.execute(
                    select(
                        exam_tasks_t.c.deck_id,
                        exam_tasks_t.c.slug,
                        exam_tasks_t.c.domain,
                        exam_tasks_t.c.title,
                    )
                    .where(exam_tasks_t.c.deck_id.in_(list(ids)))
                    .order_by(exam_tasks_t.c.deck_id, exam_tasks_t.c.position)
                ):
                    listed.setdefault(deck_id, []).append((task_id, domain, title))
                for deck_id, task_list in listed.items():
                    slug = ids[deck_id]
                    result[slug] = result[slug]._replace(tasks=tuple(task_list))
        return result

    def sources(self) -> list[tuple[str | None, str | None]]:
        """Every deck's file and that file's fingerprint at its last sync (None, None for
        a deck not from a file); none before the first deck. One read of a few rows,
        on the start of every command (`Context.ensure_decks`)."""
        query = select(decks_t.c.source_path, decks_t.c.source_hash)
        with self.db.read() as conn:
            return [(path, digest) for path, digest in conn.execute(query)]

    def with_fingerprints(self, fingerprints: dict[str, str]) -> dict[str, model.UnchangedDeck]:
        """Decks last synced from exactly these files (path -> fingerprint of its bytes).

        A file whose bytes match what was last applied needs no parsing: the
        database already holds exactly its content.
        """
        if not fingerprints:
            return {}
        active = (
            select(func.count())
            .where(cards_t.c.deck_id == decks_t.c.id, cards_t.c.retired.is_(False))
            .scalar_subquery()
        )
        query = select(
            decks_t.c.slug, decks_t.c.name, decks_t.c.source_path, decks_t.c.source_hash, active
        ).where(decks_t.c.source_path.in_(list(fingerprints)))
        with self.db.read() as conn:
            return {
                path: model.UnchangedDeck(id=slug, name=name, cards=count)
                for slug, name, path, digest, count in conn.execute(query)
                if fingerprints.get(path) == digest
            }

    def apply(self, plans: Sequence[DeckPlan], now: dt.datetime) -> None:
        """Apply sync plans in one transaction: all of them or none."""
        with self.db.write() as conn:
            for plan in plans:
                if plan.changes_anything:
                    _apply_plan(conn, plan, now)

    def summaries(self, learner_id: int, today: dt.date) -> list[model.DeckSummary]:
        """Per deck: active cards, new, due today (or overdue), retired.

        Reads of indexes, no card rows, each deck's counts a range of one: its active
        cards (ix_cards_deck_position), the learner's states of it, seen and due
        (ix_card_states_deck_due; due ones only up to today: a third of the time of
        testing every state's due day); the retired cards (few, ix_cards_retired);
        and, taken off the states, those of retired cards (each by its key:
        rows.retired_states).
        """
        due = func.coalesce(func.sum(case((states_t.c.due <= today, 1), else_=0)), 0)
        of_deck = (states_t.c.learner_id == learner_id, states_t.c.deck_id == decks_t.c.id)

        def count(*where: Any) -> Any:
            return select(func.count()).where(*where).correlate(decks_t).scalar_subquery()

        live_in = count(cards_t.c.deck_id == decks_t.c.id, cards_t.c.retired.is_(False))
        with self.db.read() as conn:
            decks = conn.execute(
                select(
                    decks_t.c.id, decks_t.c.slug, decks_t.c.name, decks_t.c.optional, live_in,
                    count(*of_deck), count(*of_deck, states_t.c.due <= today),
                ).order_by(decks_t.c.slug)
            ).all()  # fmt: skip
            retired: dict[int, int] = dict(
                conn.execute(
                    select(cards_t.c.deck_id, func.count())
                    .where(cards_t.c.retired.is_(True))
                    .group_by(cards_t.c.deck_id)
                ).all()
            )
            gone = {  # the states of retired cards (few), each by its key
                deck_id: (int(seen), int(late))
                for deck_id, seen, late in conn.execute(
                    select(states_t.c.deck_id, func.count(), due)
                    .where(retired_states(learner_id))
                    .group_by(states_t.c.deck_id)
                )
            }
        summaries = []
        for deck_id, slug, name, optional, live, seen, late in decks:
            seen_off, late_off = gone.get(deck_id, (0, 0))
            summaries.append(
                model.DeckSummary(
                    id=slug,
                    name=name,
                    cards=int(live),
                    new=int(live) - (int(seen) - seen_off),
                    due=int(late) - late_off,
                    retired=int(retired.get(deck_id, 0)),
                    optional=bool(optional),
                )
            )
        return summaries

    def card_view(self, learner_id: int, deck: str, card: str) -> model.CardView:
        """A card with this learner's state and full history."""
        with self.db.read() as conn:
            row = conn.execute(
                card_select().where(decks_t.c.slug == deck, cards_t.c.slug == card)
            ).first()
            if row is None:
                known = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == deck))
                if known is None:
                    raise NotFound(f"no deck {deck!r}")
                slugs = conn.scalars(select(cards_t.c.slug).where(cards_t.c.deck_id == known)).all()
                raise NotFound(
                    unknown_name("card", card, slugs, where=f" in deck {deck!r}", listed=False)
                )
            found = card_from_row(row)
            state = state_for(conn, learner_id, found.pk)
            history = conn.execute(
                select(reviews_t)
                .where(reviews_t.c.learner_id == learner_id, reviews_t.c.card_id == found.pk)
                .order_by(reviews_t.c.id)
            ).all()
        return model.CardView(
            card=found, state=state, history=tuple(history_from_row(h) for h in history)
        )

    def topics(self, decks: Sequence[str]) -> model.Topics:
        """Exam domains and tags of the active cards (of these decks, or all), with counts."""
        query = select(cards_t.c.domain, cards_t.c.tags).select_from(cards_decks())
        query = query.where(cards_t.c.retired.is_(False))
        if decks:
            query = query.where(decks_t.c.slug.in_(list(decks)))
        domains: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        with self.db.read() as conn:
            for domain, tag_list in conn.execute(query):
                if domain:
                    domains[domain] += 1
                tags.update(json_tuple(tag_list))
        return model.Topics(
            domains=tuple(sorted(domains.items())), tags=tuple(sorted(tags.items()))
        )

    def cards_by_pk(self, pks: Sequence[int]) -> dict[int, model.Card]:
        """Card content for these ids."""
        if not pks:
            return {}
        found = {}
        with driver.read(self.db) as conn:
            for values in in_values(pks):
                for row in conn.all(_CARDS_BY_PK, values):
                    found[row.id] = card_from_row(row)
        return found


def _apply_plan(conn: Connection, plan: DeckPlan, now: dt.datetime) -> None:
    spec = plan.spec
    deck_values = {
        "name": spec.name,
        "description": spec.description,
        "source_path": str(spec.path.resolve()),
        "source_hash": spec.fingerprint,
        "synced_at": now,
        "optional": spec.optional,
    }
    if plan.new_deck:
        deck_id = conn.scalar(
            insert(decks_t).values(slug=spec.id, **deck_values).returning(decks_t.c.id)
        )
    else:
        deck_id = conn.scalar(select(decks_t.c.id).where(decks_t.c.slug == spec.id))
        conn.execute(update(decks_t).where(decks_t.c.id == deck_id).values(**deck_values))
    assert deck_id is not None
    if plan.added:
        # The timestamps are the deck's synced_at (just written as `now`): taken
        # from the deck row in SQL rather than converted again for every row.
        stamp = select(decks_t.c.synced_at).where(decks_t.c.id == deck_id).scalar_subquery()
        conn.execute(
            insert(cards_t).values(
                deck_id=deck_id, retired=false(), created_at=stamp, content_changed_at=stamp
            ),
            [
                {"slug": card.id, "position": position, "task": card.task, **card.columns()}
                for position, card in plan.added
            ],
        )
    where_card = and_(cards_t.c.deck_id == deck_id, cards_t.c.slug == bindparam("b_slug"))
    if plan.updated:
        edited = [card.id for _, card in plan.updated]
        domains = dict(
            conn.execute(
                select(cards_t.c.slug, cards_t.c.domain).where(
                    cards_t.c.deck_id == deck_id, cards_t.c.slug.in_(edited)
                )
            ).all()
        )
        moved_domain = any(domains.get(card.id) != card.domain for _, card in plan.updated)
        conn.execute(
            update(cards_t)
            .where(where_card)
            .values(
                {name: bindparam(f"b_{name}") for name in (*_CONTENT_COLUMNS, "position")}
                | {"content_changed_at": now}
            ),
            [
                {"b_slug": card.id, "b_position": position}
                | {f"b_{k}": v for k, v in card.columns().items()}
                for position, card in plan.updated
            ],
        )
        if moved_domain:  # the states and the per-day counts of `stats` know domains
            conn.execute(
                update(states_t)
                .where(states_t.c.deck_id == deck_id)
                .values(
                    domain=select(cards_t.c.domain)
                    .where(cards_t.c.id == states_t.c.card_id)
                    .scalar_subquery()
                )
            )
            totals.recount_deck(conn, deck_id)
    if plan.moved:
        conn.execute(
            update(cards_t).where(where_card).values(position=bindparam("b_position")),
            [{"b_slug": slug, "b_position": position} for position, slug in plan.moved],
        )
    if plan.retasked:
        conn.execute(
            update(cards_t).where(where_card).values(task=bindparam("b_task")),
            [{"b_slug": slug, "b_task": task} for slug, task in plan.retasked],
        )
    if plan.tasks_changed:
        _write_tasks(conn, deck_id, tuple((t.id, t.domain, t.task) for t in spec.tasks))
    for slugs, retired in ((plan.restored, False), (plan.retired, True)):
        if slugs:
            conn.execute(
                update(cards_t)
                .where(cards_t.c.deck_id == deck_id, cards_t.c.slug.in_(slugs))
                .values(retired=retired)
            )


def _write_tasks(conn: Connection, deck_id: int, rows: Sequence[tuple[str, str, str]]) -> None:
    """Replace a deck's stored exam task list (a few dozen rows)."""
    conn.execute(exam_tasks_t.delete().where(exam_tasks_t.c.deck_id == deck_id))
    if rows:
        conn.execute(
            insert(exam_tasks_t),
            [
                {"deck_id": deck_id, "slug": slug, "position": n, "domain": domain, "title": title}
                for n, (slug, domain, title) in enumerate(rows)
            ],
        )
