"""Quality warnings for deck authors (pure: deck specs in, warnings out)."""

from __future__ import annotations

from pathlib import Path

from srs_crss.deckfile import load_deck
from srs_crss.quality import check_decks

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
