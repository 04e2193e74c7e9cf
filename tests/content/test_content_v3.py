"""Issue 28 (content v3): the fixes, the optional legal-details deck, and the deck's layout.

Standard library only (tomllib), like test_bundled_deck.py, except where the project's
own checker is the thing under test.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

DECKS = Path(__file__).parents[2] / "decks"
CRSS = DECKS / "crss.toml"
LEGAL = DECKS / "legal-details.toml"

Card = dict[str, Any]


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def _cards(path: Path) -> dict[str, Card]:
    return {c["id"]: c for c in _load(path)["cards"]}


CARDS = _cards(CRSS)
LEGAL_CARDS = _cards(LEGAL)

# Details the exam will not test: phone numbers, penalty classes, compliance dates.
MINUTIAE = re.compile(
    r"\b1-8\d\d-|\bClass [A-Z4] (misdemeanor|felony)|\b(January|February|April) \d+, 20\d\d"
)


def _text(card: Card) -> str:
    fields = ("front", "back", "answer", "explanation")
    return " ".join([*(str(card.get(k, "")) for k in fields), *card.get("choices", [])])


def test_the_role_model_item_says_the_peer_felt_the_same() -> None:
    card = CARDS["me4-role-model-hope"]
    assert "you yourself once felt" in card["answer"]
    assert "she once felt" not in _text(card)


def test_the_crss_recertification_split_follows_the_idhs_page() -> None:
    crss = CARDS["crss-recert-illinois"]["back"]
    assert "40 CEUs" in crss and "15" in crss and "25" in crss
    assert "ethics" not in crss  # the 6 ethics hours are in the CPRS column
    cprs = CARDS["cprs-recert-illinois"]["back"]
    assert "30 CEUs" in cprs and "6 of them in CPRS ethics" in cprs


def test_the_redisclosure_notice_card_adds_the_2024_copy_of_the_consent() -> None:
    back = LEGAL_CARDS["part2-redisclosure-notice"]["back"]
    assert "copy of the consent" in back and "explanation of its scope" in back


def test_legal_minutiae_live_in_an_optional_deck() -> None:
    legal = _load(LEGAL)["deck"]
    assert legal["id"] == "legal-details" and legal["optional"] is True
    assert len(LEGAL_CARDS) >= 20
    assert not set(LEGAL_CARDS) & set(CARDS)
    assert not [i for i, c in CARDS.items() if MINUTIAE.search(_text(c))]
    assert all(c["sibling_of"] in LEGAL_CARDS for c in LEGAL_CARDS.values() if "sibling_of" in c)
    # what a peer must know to act stays in the default deck
    kept = ("part2-written-consent", "mandated-reporting-part2", "il-ancra-trigger", "il-aps-24h")
    assert set(kept) <= set(CARDS)


def _banners(path: Path) -> list[tuple[str, list[str]]]:
    """Each `# ===== Domain: topic =====` banner with the ids of the cards under it."""
    sections: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        banner = re.match(r"# ===== (.+) =====$", line)
        if banner:
            sections.append((banner.group(1), []))
        card = re.match(r'id = "([^"]+)"', line)
        if card and sections:
            sections[-1][1].append(card.group(1))
    return sections


def test_every_banner_has_cards_of_its_own_domain_and_topic() -> None:
    for banner, ids in _banners(CRSS):
        assert ids, f"empty banner: {banner}"
        domain = banner.split(": ", 1)[0]
        assert {CARDS[i]["domain"] for i in ids} == {domain}, banner
        if "Adult Protective" in banner:
            assert not [i for i in ids if i.startswith("part2")], banner
