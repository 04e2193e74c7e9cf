"""Content checks for the bundled deck, decks/crss.toml.

These pin the deck's promises (size, domain balance, concept coverage, exam-style
multiple-choice items, sources, card shape) so a later edit cannot quietly break
them. Only the standard library's tomllib is used, not the project's loader.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DECK_PATH = Path(__file__).parents[2] / "decks" / "crss.toml"

DOMAINS = {
    "Advocacy",
    "Mentoring and Education",
    "Recovery and Wellness Support",
    "Ethical Responsibility",
}
CONCEPT_TAGS = ("empathy", "trust", "stigma-reduction", "accountability")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BASIC_REQUIRED = {"id", "front", "back", "domain", "tags", "source"}
BASIC_KEYS = BASIC_REQUIRED | {"type", "explanation", "sibling_of"}
MCQ_KEYS = {"id", "type", "front", "choices", "answer", "explanation", "domain", "tags", "source"}
OPTIONAL_KEYS = {"sibling_of", "task"}  # task: issue 28, the exam task an item tests

MIN_CARDS = 200
MIN_PER_DOMAIN = 40
MIN_PER_CONCEPT = 8
MIN_MCQ = 60
MAX_BACK_CHARS = 400

Card = dict[str, Any]


def _load_cards() -> list[Card]:
    with DECK_PATH.open("rb") as f:
        data = tomllib.load(f)
    cards: list[Card] = data["cards"]
    return cards


CARDS = _load_cards()
MCQS = [c for c in CARDS if c.get("type") == "mcq"]
BASICS = [c for c in CARDS if c.get("type", "basic") == "basic"]


def _ids(cards: list[Card]) -> list[str]:
    return [str(c.get("id", "?")) for c in cards]


def test_deck_header() -> None:
    with DECK_PATH.open("rb") as f:
        deck = tomllib.load(f)["deck"]
    assert deck["id"] == "crss"
    assert deck["name"] == "CRSS Exam Prep"
    assert deck["description"].strip()


def test_total_card_count() -> None:
    assert len(CARDS) >= MIN_CARDS


def test_every_card_is_basic_or_mcq() -> None:
    assert len(BASICS) + len(MCQS) == len(CARDS)


def test_domains_are_allowed_and_balanced() -> None:
    counts = Counter(c.get("domain") for c in CARDS)
    assert set(counts) <= DOMAINS, f"unknown domains: {set(counts) - DOMAINS}"
    for domain in DOMAINS:
        assert counts[domain] >= MIN_PER_DOMAIN, f"{domain}: only {counts[domain]} cards"


@pytest.mark.parametrize("tag", CONCEPT_TAGS)
def test_concept_tag_coverage(tag: str) -> None:
    tagged = [c for c in CARDS if tag in c.get("tags", [])]
    assert len(tagged) >= MIN_PER_CONCEPT, f"{tag}: only {len(tagged)} cards"


def test_mcq_count() -> None:
    assert len(MCQS) >= MIN_MCQ


@pytest.mark.parametrize("card", MCQS, ids=_ids(MCQS))
def test_mcq_is_well_formed(card: Card) -> None:
    choices: list[str] = card["choices"]
    answer: str = card["answer"]
    assert len(choices) == 4
    assert len({c.strip().casefold() for c in choices}) == 4, "choices must be distinct"
    assert choices.count(answer) == 1, "answer must equal exactly one choice"
    assert card["explanation"].strip()
    for choice in choices:
        if choice != answer:
            assert answer.casefold() not in choice.casefold(), f"distractor {choice!r}"


def test_classic_empathy_item() -> None:
    seed = next(c for c in CARDS if c["id"] == "seed-essential-quality")
    assert seed["type"] == "mcq"
    assert seed["answer"] == "Empathy"
    assert set(seed["choices"]) == {
        "Empathy",
        "Expertise in many recovery frameworks",
        "Charisma",
        "Assertiveness",
    }


def test_every_card_has_a_source() -> None:
    missing = [c["id"] for c in CARDS if not str(c.get("source", "")).strip()]
    assert not missing


def test_basic_backs_are_short() -> None:
    long_backs = [c["id"] for c in BASICS if len(c["back"]) >= MAX_BACK_CHARS]
    assert not long_backs


def test_fronts_are_unique() -> None:
    normalised = Counter(" ".join(c["front"].split()).casefold() for c in CARDS)
    assert not [front for front, n in normalised.items() if n > 1]


def test_ids_are_unique_slugs() -> None:
    ids = _ids(CARDS)
    assert len(ids) == len(set(ids)), "duplicate card ids"
    assert not [i for i in ids if not SLUG.match(i)]


def test_tags_are_slugs() -> None:
    bad = [(c["id"], t) for c in CARDS for t in c.get("tags", []) if not SLUG.match(t)]
    assert not bad


@pytest.mark.parametrize("card", CARDS, ids=_ids(CARDS))
def test_only_allowed_keys(card: Card) -> None:
    if card.get("type") == "mcq":
        assert MCQ_KEYS <= set(card) <= MCQ_KEYS | OPTIONAL_KEYS
    else:
        assert card.get("type", "basic") == "basic"
        assert BASIC_REQUIRED <= set(card) <= BASIC_KEYS


def test_project_loader_reads_the_same_deck() -> None:
    from srs_crss.decks.deckfile import load_deck

    deck = load_deck(DECK_PATH)
    assert deck.id == "crss"
    assert [c.id for c in deck.cards] == _ids(CARDS)


LISTS = {
    "samhsa-principle": [
        "hope", "person-driven", "many-pathways", "holistic", "peer-support", "relational",
        "culture", "addresses-trauma", "strengths-responsibility", "respect",
    ],
    "wellness": [
        "emotional", "environmental", "financial", "intellectual", "occupational", "physical",
        "social", "spiritual",
    ],
}  # fmt: skip


@pytest.mark.parametrize("prefix", sorted(LISTS))
def test_lists_have_one_card_per_member_and_a_missing_card(prefix: str) -> None:
    ids = set(_ids(CARDS))
    for member in LISTS[prefix]:
        assert f"{prefix}-{member}" in ids
    assert any(i.startswith(prefix) and i.endswith("-missing") for i in ids)
    missing = [c for c in CARDS if str(c["id"]).startswith(prefix) and c["id"].endswith("-missing")]
    for card in missing:
        assert len(str(card["back"])) < 80  # names the one missing member, not the whole list


def test_answers_are_not_given_away_by_their_length() -> None:
    """Issue 13: no answer over 1.25x its distractors' mean length; across the deck the
    answer is the strictly longest choice in at most 30% of items."""
    longest = 0
    for card in MCQS:
        others = [len(c) for c in card["choices"] if c != card["answer"]]
        assert len(card["answer"]) <= 1.25 * sum(others) / len(others), card["id"]
        longest += all(len(card["answer"]) > n for n in others)
    assert longest <= 0.30 * len(MCQS)


def test_twins_are_declared_siblings() -> None:
    ids = set(_ids(CARDS))
    siblings = [c for c in CARDS if "sibling_of" in c]
    assert len(siblings) >= 40
    assert all(c["sibling_of"] in ids and c["sibling_of"] != c["id"] for c in siblings)


# ---- issue 13: the exam outline, domain weights and the practice-exam bank ----------

MIN_MCQ_BANK = 530  # issue 28: five non-repeating 100-question exams (320 in issue 13)
MIN_MCQ_PER_DOMAIN = 115  # issue 28: at least 100 in each domain (70 in issue 13)
MIN_SCENARIO_SHARE = 0.5
MIN_TEACHING_SHARE = {
    "Ethical Responsibility": 0.28,
    "Advocacy": 0.18,
    "Mentoring and Education": 0.18,
    "Recovery and Wellness Support": 0.18,
}
PA_PATH = DECK_PATH.with_name("pa-crs.toml")
LEGAL_CITATION = re.compile(r"\b(CFR|ILCS|U\.S\.C\.|Stat\.)", re.I)
YEAR = re.compile(r"\b(19|20)\d\d\b")
WEB = re.compile(r"\b[\w-]+\.(org|gov|com|edu|net)\b|\?item=|/")


def test_the_bank_is_big_enough_for_practice_exams_that_do_not_repeat() -> None:
    assert len(MCQS) >= MIN_MCQ_BANK
    per_domain = Counter(c["domain"] for c in MCQS)
    for domain in DOMAINS:
        assert per_domain[domain] >= MIN_MCQ_PER_DOMAIN, f"{domain}: {per_domain[domain]} items"


def test_at_least_half_the_items_are_scenarios() -> None:
    scenarios = [c for c in MCQS if "scenario" in c.get("tags", [])]
    assert len(scenarios) / len(MCQS) >= MIN_SCENARIO_SHARE


def test_teaching_cards_are_balanced_like_the_exam() -> None:
    """Credential facts (eligibility, fees, renewal) do not count toward a domain's share."""
    teaching = [c for c in CARDS if "credential" not in c.get("tags", [])]
    counts = Counter(c["domain"] for c in teaching)
    for domain, share in MIN_TEACHING_SHARE.items():
        assert counts[domain] / len(teaching) >= share, f"{domain}: {counts[domain]}"


def test_pennsylvania_cards_live_in_their_own_optional_deck() -> None:
    assert not [c["id"] for c in CARDS if "pa-crs" in c.get("tags", [])]
    with PA_PATH.open("rb") as f:
        pa = tomllib.load(f)
    assert pa["deck"]["id"] == "pa-crs" and pa["deck"]["optional"] is True
    assert pa["cards"] and all("pa-crs" in c["tags"] for c in pa["cards"])


def _specific(source: str) -> bool:
    """A year, a legal citation, a web address, or "Body, a title of four words or more"."""
    if YEAR.search(source) or LEGAL_CITATION.search(source) or WEB.search(source):
        return True
    _, _, title = source.partition(", ")
    return len(re.findall(r"[A-Za-z]+", title)) >= 4


def test_every_source_names_a_specific_document() -> None:
    """Never a bare topic ("Stages of change"), a domain page or "X research"."""
    vague = [(c["id"], c["source"]) for c in CARDS if not _specific(c["source"])]
    assert not vague


@pytest.mark.parametrize(
    "source",
    ["Stages of change (Prochaska and DiClemente)", "Corrigan, stigma research",
     "IC&RC Advocacy domain", "Motivational interviewing: OARS skills"],
)  # fmt: skip
def test_the_vague_sources_the_review_found_are_refused(source: str) -> None:
    assert not _specific(source)
