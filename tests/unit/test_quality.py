"""Quality warnings for deck authors (pure: deck specs in, warnings out)."""

from __future__ import annotations

from pathlib import Path

from srs_crss.decks.deckfile import load_deck
from srs_crss.decks.quality import check_decks

WEAK = """\
[deck]
id = "weak"
name = "Weak deck"

[[cards]]
id = "no-source"
front = "What does a recovery coach do?"
back = "Supports a person's own recovery plan."
domain = "Advocacy"

[[cards]]
id = "no-domain"
front = "Name the four dimensions of recovery."
back = "Health, home, purpose, community."
source = "SAMHSA"

[[cards]]
id = "long-back"
front = "Explain recovery capital."
back = "{long}"
domain = "Advocacy"
source = "Granfield and Cloud"

[[cards]]
id = "same-front"
front = "what does a Recovery Coach do"
back = "Something else."
domain = "Advocacy"
source = "x"

[[cards]]
id = "near-front"
front = "Which stage of change comes right after contemplation in the model?"
back = "Preparation."
domain = "Advocacy"
source = "x"

[[cards]]
id = "near-front-2"
front = "Which stage of change comes right after contemplation in this model?"
back = "Preparation."
domain = "Advocacy"
source = "x"

[[cards]]
id = "giveaway"
type = "mcq"
front = "Which quality matters most?"
choices = ["Empathy", "Empathy and charisma", "Charisma", "Assertiveness"]
answer = "Empathy"
domain = "Advocacy"
source = "x"
""".replace("{long}", "word " * 100)


def test_quality_warnings(tmp_path: Path) -> None:
    path = tmp_path / "weak.toml"
    path.write_text(WEAK)
    messages = [(w.line, w.card, w.message) for w in check_decks([load_deck(path)])]
    assert messages == [
        (5, "no-source", "no source (say where the fact comes from)"),
        (11, "no-domain", "no domain"),
        (17, "long-back", "back is 499 characters (over 400: split it)"),
        (24, "same-front", "same front as weak/no-source (line 5)"),
        (38, "near-front-2", "front nearly the same as weak/near-front (line 31)"),
        (45, "giveaway", "distractor 'Empathy and charisma' repeats the answer"),
        (45, "giveaway", "multiple-choice card has no explanation"),
    ]


def _mcq(card_id: str, answer: str, distractors: list[str]) -> str:
    choices = ", ".join(f'"{c}"' for c in [*distractors, answer])
    return (
        f'\n[[cards]]\nid = "{card_id}"\ntype = "mcq"\nfront = "Question {card_id}?"\n'
        f'choices = [{choices}]\nanswer = "{answer}"\nexplanation = "x"\n'
        f'domain = "Advocacy"\nsource = "x"\n'
    )


def test_answers_that_give_themselves_away_by_length(tmp_path: Path) -> None:
    path = tmp_path / "cues.toml"
    head = '[deck]\nid = "cues"\nname = "Cues"\n'
    items = [
        _mcq("long-answer", "a" * 26, ["b" * 20, "c" * 20, "d" * 20]),  # 1.30x: warned
        _mcq("fair-answer", "a" * 25, ["b" * 20, "c" * 20, "d" * 20]),  # 1.25x: not warned
        _mcq("short-answer", "a" * 10, ["b" * 20, "c" * 20, "d" * 20]),
        _mcq("middle-answer", "a" * 20, ["b" * 30, "c" * 10, "d" * 20]),
    ]
    path.write_text(head + "".join(items))
    messages = [(w.card, w.message) for w in check_decks([load_deck(path)])]
    assert messages == [
        (
            "deck cues",
            "the answer is the longest choice in 2 of 4 multiple-choice cards (50%, over 30%): "
            "candidates learn to pick the longest",
        ),
        (
            "long-answer",
            "the answer is 1.30 times as long as the average distractor (over 1.25): "
            "length gives it away; lengthen the distractors",
        ),
    ]
    fillers = [_mcq(f"filler-{n}", "a" * 10, ["b" * 20, "c" * 20, "d" * 20]) for n in range(3)]
    path.write_text(head + "".join(items + fillers))
    cards = {w.card for w in check_decks([load_deck(path)])}
    assert cards == {"long-answer"}  # 2 of 7 = 29%: not over 30%


NEAR = """\
[deck]
id = "near"
name = "Near"

[[cards]]
id = "hope-basic"
front = "How does a peer's own story of recovery give hope?"
back = "It shows that recovery is possible."
domain = "Advocacy"
source = "x"

[[cards]]
id = "hope-mcq"
type = "mcq"
front = "She says people like her never recover. How does a peer's own recovery story give hope?"
choices = [
  "It shows that recovery is possible", "It proves she is wrong", "It sets a deadline",
  "It ends the talk",
]
answer = "It shows that recovery is possible"
explanation = "x"
domain = "Advocacy"
source = "x"

[[cards]]
id = "unrelated-mcq"
type = "mcq"
front = "Which federal regulation protects substance use disorder treatment records?"
choices = ["42 CFR Part 2", "The ADA", "Olmstead", "IPS"]
answer = "42 CFR Part 2"
explanation = "x"
domain = "Advocacy"
source = "x"
"""


def test_untied_near_duplicate_questions_are_warned(tmp_path: Path) -> None:
    """Issue 28: a basic card and an item asking the same thing must not share a day."""
    path = tmp_path / "near.toml"
    path.write_text(NEAR)
    warnings = [(w.line, w.card, w.message) for w in check_decks([load_deck(path)])]
    assert [w for w in warnings if "nearly the same" in w[2]] == [
        (
            12,
            "hope-mcq",
            "asks nearly the same as hope-basic (line 5): tie them with sibling_of "
            "so they never come the same day",
        )
    ]
    path.write_text(
        NEAR.replace('id = "hope-mcq"\n', 'id = "hope-mcq"\nsibling_of = "hope-basic"\n')
    )
    assert not [w for w in check_decks([load_deck(path)]) if "nearly the same" in w.message]


def test_two_basic_cards_on_one_list_are_not_near_duplicate_items(tmp_path: Path) -> None:
    """A list's member card and its 'which is missing' card are designed to differ."""
    path = tmp_path / "near.toml"
    mcq = NEAR.replace('type = "mcq"\n', "", 1)
    start, end = mcq.index("choices = ["), mcq.index('explanation = "x"\n')
    basic = mcq[:start] + 'back = "It shows that recovery is possible."\n' + mcq[end + 18 :]
    path.write_text(basic)
    assert not [w for w in check_decks([load_deck(path)]) if "nearly the same" in w.message]
