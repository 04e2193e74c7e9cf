"""The test-wise detector (issue 28): cues a content-blind guesser can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs_crss.decks import testwise
from srs_crss.decks.quality import check_decks
from srs_crss.decks.spec import CardSpec, DeckSpec
from srs_crss.model import CardType

WARM = "Ask her gently what she wants and support her own choice"
COLD = ["Tell her she must stop at once", "Insist she never goes back", "Tell her only rules count"]
NEUTRAL = [
    "Give her the leaflet about it",
    "Call the office on her behalf",
    "Wait until the next week",
]


def _item(n: int, answer: str, distractors: list[str], front: str | None = None) -> CardSpec:
    choices = (*distractors[:2], answer, *distractors[2:])
    return CardSpec(
        id=f"item-{n}",
        type=CardType.MCQ,
        front=front or f"Scenario number {n} about a person. Question wording {n}?",
        choices=choices,
        answer=answer,
        explanation="x",
        domain="Advocacy",
        source="x",
        line=n,
    )


def _deck(cards: list[CardSpec]) -> DeckSpec:
    return DeckSpec(id="d", name="D", path=Path("d.toml"), cards=tuple(cards))


def _plain(
    n: int,
    answer: str | None = None,
    distractors: list[str] | None = None,
    front: str | None = None,
) -> CardSpec:
    """An item with no cue: the answer reads like its distractors."""
    return _item(n, answer or f"Look up option {n}", list(distractors or NEUTRAL), front)


def _messages(deck: DeckSpec) -> list[str]:
    return [f.message for f in testwise.analyse(deck).deck_findings]


def test_a_house_style_bank_is_beaten_by_a_guesser_reading_only_tone() -> None:
    deck = _deck([_item(n, WARM, COLD) for n in range(20)])
    report = testwise.analyse(deck)
    assert report.guessers["tone of the choices"] == 1.0
    assert report.chance == 0.25
    [message] = [m for m in _messages(deck) if m.startswith("a guesser reading only the tone of")]
    assert "scores 100% (chance is 25%, limit 30%)" in message


def test_a_bank_whose_distractors_share_the_answer_tone_is_not() -> None:
    # every choice is warm: the kind move that crosses a line sounds as kind as the answer
    warm = [
        "Ask her and support her plan",
        "Support her and ask the office",
        "Listen and offer a lift",
    ]
    items = [_item(n, "Ask her and explore the options", warm) for n in range(20)]
    report = testwise.analyse(_deck(items))
    assert report.guessers["tone of the choices"] == 0.25
    assert not [m for m in _messages(_deck(items)) if "guesser" in m]


def test_the_stem_echo_guesser_finds_answers_that_repeat_the_stem() -> None:
    items = [
        _item(n, "Write an advance directive", NEUTRAL, f"Which plan is made in advance? Case {n}.")
        for n in range(20)
    ]
    report = testwise.analyse(_deck(items))
    assert report.guessers["words shared with the question"] == 1.0


@pytest.mark.parametrize(("supervisor_answers", "warned"), [(9, True), (8, False)])
def test_supervisor_as_the_answer_in_over_40_percent_of_the_items_offering_it(
    supervisor_answers: int, warned: bool
) -> None:
    items = [
        _plain(n, answer="Talk to your supervisor about it")
        if n < supervisor_answers
        else _plain(n, distractors=["Talk to your supervisor about it", *NEUTRAL[1:]])
        for n in range(20)
    ]
    report = testwise.analyse(_deck(items))
    assert (report.supervisor_answer, report.supervisor_offered) == (supervisor_answers, 20)
    found = [m for m in _messages(_deck(items)) if "supervisor is the answer" in m]
    assert bool(found) is warned


@pytest.mark.parametrize(("cued", "warned"), [(2, True), (1, False)])
def test_absolutes_only_in_distractors(cued: int, warned: bool) -> None:
    absolutes = ["Never call the office again", "Always wait a week first", NEUTRAL[2]]
    items = [_plain(n, distractors=absolutes) if n < cued else _plain(n) for n in range(20)]
    report = testwise.analyse(_deck(items))
    assert len(report.absolute_only) == cued
    assert bool([m for m in _messages(_deck(items)) if "absolutes" in m]) is warned


def test_an_absolute_in_the_answer_too_is_no_cue() -> None:
    card = _plain(0, answer="Always ask her first", distractors=COLD)
    assert not testwise.analyse(_deck([card])).absolute_only


@pytest.mark.parametrize(("shared", "warned"), [(2, True), (1, False)])
def test_a_question_wording_shared_by_over_6_percent(shared: int, warned: bool) -> None:
    items = [
        _plain(n, front=f"Case {n}. What is the BEST response?") if n < shared else _plain(n)
        for n in range(20)
    ]
    assert testwise.analyse(_deck(items)).top_question[1] == shared
    assert bool([m for m in _messages(_deck(items)) if "end with the question" in m]) is warned


@pytest.mark.parametrize(
    ("front", "negative"),
    [
        ("Which of these is NOT a stage of change?", True),
        ("Which is the LEAST helpful reply?", True),
        ("All of these help EXCEPT which?", True),
        ("Which of the following is not part of the spirit of MI?", True),
        ("He says his drinking is not a problem. Which stage fits?", False),
        ("She is not sure she wants to try again. What fits where she is?", False),
    ],
)
def test_negative_stems(front: str, negative: bool) -> None:
    findings = testwise.analyse(_deck([_plain(0, front=front)])).item_findings
    assert bool(findings) is negative


@pytest.mark.parametrize(
    ("choice", "flagged"),
    [
        ("None of these; wanting to work is enough", True),
        ("All of the above", True),
        ("Both of these", True),
        ("Nobody; they should wait", False),
        ("All four dimensions at once", False),
    ],
)
def test_all_or_none_of_the_above(choice: str, flagged: bool) -> None:
    card = _plain(0, distractors=[choice, *NEUTRAL[1:]])
    assert bool(testwise.analyse(_deck([card])).item_findings) is flagged


def test_small_decks_get_no_deck_wide_rates() -> None:
    deck = _deck([_item(n, WARM, COLD) for n in range(testwise.MIN_ITEMS - 1)])
    assert not testwise.analyse(deck).deck_findings


def test_check_reports_findings_as_warnings_with_lines_and_examples() -> None:
    items = [_item(n, WARM, COLD) for n in range(20)]
    items[3] = _plain(3, front="Which of these is NOT helpful?")
    warnings = check_decks([_deck(items)])
    item = [w for w in warnings if w.card == "item-3"]
    assert [(w.line, w.message) for w in item] == [
        (3, "negative stem (NOT, EXCEPT...): ask for the right thing")
    ]
    [deck] = [w for w in warnings if w.card == "deck d" and "tone of the choices" in w.message]
    assert deck.message.endswith("(e.g. item-0, item-1, item-2, item-4, item-5 and 14 more)")
    assert str(deck).startswith("d.toml: warning: deck d: a guesser reading only")


@pytest.mark.parametrize(
    ("answer", "distractors", "flagged"),
    [
        (
            "Ask her and support her choice",
            ["Tell her to stop", "Call the office", "Wait a week"],
            True,
        ),
        ("Ask what she hopes for", ["Tell her to stop", "Call the office", "Wait a week"], False),
        ("Ask her and support her choice", ["Ask and support the office", "Call", "Wait"], False),
    ],
)
def test_an_item_whose_answer_alone_sounds_warm(
    answer: str, distractors: list[str], flagged: bool
) -> None:
    """Per item: the answer's tone outscores every distractor's by two or more."""
    findings = testwise.analyse(_deck([_plain(0, answer=answer, distractors=distractors)]))
    messages = [f.message for f in findings.item_findings]
    assert bool([m for m in messages if m.startswith("only the answer has the warm")]) is flagged


def test_the_parts_guesser_finds_answers_that_do_two_things_where_distractors_do_one() -> None:
    items = [
        _item(n, "Thank her, listen, and then plan together", ["Call the office", "Wait", "Go"])
        for n in range(20)
    ]
    report = testwise.analyse(_deck(items))
    assert report.guessers["number of parts in each choice"] == 1.0
    assert any("number of parts in each choice scores 100%" in m for m in _messages(_deck(items)))
    assert testwise.parts("Thank her, listen, and then plan together") == 4
