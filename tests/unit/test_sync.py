"""Sync planning (pure): the one planner production runs, unchanged-file shortcut included."""

from __future__ import annotations

from pathlib import Path

from srs_crss.decks.deckfile import parse_deck
from srs_crss.decks.spec import CardSpec
from srs_crss.decks.sync import UnchangedFile, plan_sync
from srs_crss.model import ExistingCard, ExistingDeck, UnchangedDeck
from tests.conftest import MINI_DECK

PATH = Path("mini.toml")


def _stored(cards: dict[str, ExistingCard]) -> ExistingDeck:
    return ExistingDeck(name="Mini deck", description="Two cards for tests", cards=cards)


def test_a_new_deck_adds_every_card_in_file_order() -> None:
    spec = parse_deck(MINI_DECK, PATH)
    (plan,) = plan_sync([spec], {}).plans
    assert plan.new_deck and [card.id for _, card in plan.added] == ["empathy-basics", "quality"]
    assert plan.changes_anything


def test_edits_moves_retirements_and_restores() -> None:
    spec = parse_deck(MINI_DECK, PATH)
    basics, quality = spec.cards
    stored = _stored(
        {
            "quality": ExistingCard(content_hash=quality.content_hash(), position=0, retired=True),
            "empathy-basics": ExistingCard(content_hash="old", position=1, retired=False),
            "gone": ExistingCard(content_hash="x", position=2, retired=False),
        }
    )
    (plan,) = plan_sync([spec], {"mini": stored}).plans
    assert [card.id for _, card in plan.updated] == ["empathy-basics"]
    assert plan.restored == ("quality",) and plan.moved == ((1, "quality"),)
    assert plan.retired == ("gone",) and plan.added == ()


def test_an_unchanged_file_plans_nothing_and_needs_nothing_stored() -> None:
    same = UnchangedFile(PATH, UnchangedDeck(id="mini", name="Mini deck", cards=2))
    (plan,) = plan_sync([same], {}).plans
    assert not plan.changes_anything and plan.unchanged == 2 and plan.spec.path == PATH
    assert not plan_sync([same], {}).changed


def test_plans_keep_file_order_across_both_kinds() -> None:
    spec = parse_deck(MINI_DECK.replace('id = "mini"', 'id = "other"'), Path("other.toml"))
    same = UnchangedFile(PATH, UnchangedDeck(id="mini", name="Mini deck", cards=2))
    report = plan_sync([same, spec], {})
    assert [plan.spec.id for plan in report.plans] == ["mini", "other"] and report.changed
    assert isinstance(spec.cards[0], CardSpec)
