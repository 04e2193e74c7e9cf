"""Deck specs -> database changes, keeping every learner's history.

Planning is pure: compare the validated files with what is stored and say
what to add, update, retire and restore. The store applies a plan in one
transaction, so a sync is all or nothing.

A card is identified by (deck id, card id). Editing its text updates it in
place, so its history follows; removing it from its file retires it (kept,
with history, but out of review and export); adding it back restores it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from srs_crss.decks.spec import CardSpec, DeckSpec
from srs_crss.model import ExistingDeck, UnchangedDeck


@dataclass(frozen=True, slots=True)
class DeckPlan:
    """The changes one deck file makes to the database."""

    spec: DeckSpec
    new_deck: bool
    deck_changed: bool
    added: tuple[tuple[int, CardSpec], ...] = ()
    updated: tuple[tuple[int, CardSpec], ...] = ()
    restored: tuple[str, ...] = ()
    moved: tuple[tuple[int, str], ...] = ()
    retired: tuple[str, ...] = ()
    unchanged: int = 0
    retasked: tuple[tuple[str, str | None], ...] = ()
    """(card id, task): cards whose exam task changed (no content change: not `updated`)."""
    tasks_changed: bool = False
    """The deck's exam task list differs from the stored one."""

    @property
    def changes_anything(self) -> bool:
        """Whether applying this plan would write anything."""
        return bool(
            self.new_deck
            or self.deck_changed
            or self.added
            or self.updated
            or self.restored
            or self.moved
            or self.retired
            or self.retasked
            or self.tasks_changed
        )


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync did, per deck, for printing."""

    plans: tuple[DeckPlan, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        return any(plan.changes_anything for plan in self.plans)


def plan_deck(spec: DeckSpec, existing: ExistingDeck | None) -> DeckPlan:
    """Compare one validated deck file with what is stored for its deck id."""
    if existing is None:
        return DeckPlan(
            spec=spec,
            new_deck=True,
            deck_changed=False,
            added=tuple(enumerate(spec.cards)),
            tasks_changed=bool(spec.tasks),
        )
    added: list[tuple[int, CardSpec]] = []
    updated: list[tuple[int, CardSpec]] = []
    restored: list[str] = []
    moved: list[tuple[int, str]] = []
    retasked: list[tuple[str, str | None]] = []
    unchanged = 0
    for position, card in enumerate(spec.cards):
        stored = existing.cards.get(card.id)
        if stored is None:
            added.append((position, card))
            continue
        if stored.retired:
            restored.append(card.id)
        if stored.task != card.task:
            retasked.append((card.id, card.task))
        if stored.content_hash != card.content_hash():
            updated.append((position, card))
        elif stored.position != position:
            moved.append((position, card.id))
        elif not stored.retired:
            unchanged += 1
    in_file = {card.id for card in spec.cards}
    retired = tuple(
        slug
        for slug, stored in existing.cards.items()
        if slug not in in_file and not stored.retired
    )
    return DeckPlan(
        spec=spec,
        new_deck=False,
        deck_changed=(
            existing.name,
            existing.description,
            existing.fingerprint,
            existing.source_path,
        )
        != (spec.name, spec.description, spec.fingerprint, str(spec.path.resolve())),
        added=tuple(added),
        updated=tuple(updated),
        restored=tuple(restored),
        moved=tuple(moved),
        retired=retired,
        unchanged=unchanged,
        retasked=tuple(retasked),
        tasks_changed=existing.tasks != task_rows(spec),
    )


def task_rows(spec: DeckSpec) -> tuple[tuple[str, str, str], ...]:
    """A deck's exam task list as stored: (id, domain, statement), in list order."""
    return tuple((task.id, task.domain, task.task) for task in spec.tasks)


@dataclass(frozen=True, slots=True)
class UnchangedFile:
    """A deck file byte-for-byte what was last synced: not parsed, nothing to do."""

    path: Path
    deck: UnchangedDeck


def plan_sync(
    files: Sequence[DeckSpec | UnchangedFile], existing: Mapping[str, ExistingDeck]
) -> SyncReport:
    """Plan a whole sync: one DeckPlan per file, in file order.

    `existing` holds what is stored for the decks of the parsed files; an
    unchanged file needs nothing stored and plans no change.
    """
    return SyncReport(
        plans=tuple(
            _unchanged_plan(item)
            if isinstance(item, UnchangedFile)
            else plan_deck(item, existing.get(item.id))
            for item in files
        )
    )


def _unchanged_plan(item: UnchangedFile) -> DeckPlan:
    spec = DeckSpec(id=item.deck.id, name=item.deck.name, path=item.path)
    return DeckPlan(spec=spec, new_deck=False, deck_changed=False, unchanged=item.deck.cards)
