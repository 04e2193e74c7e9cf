"""Siblings (cards testing the same fact) never share a study day; optional decks are
studied only when named."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from srs_crss.decks.deckfile import parse_deck
from srs_crss.errors import DeckError
from tests.conftest import Invoke

TWINS = """\
[deck]
id = "twins"
name = "Twins"

[[cards]]
id = "why-try"
front = "What is the why-try effect?"
back = "Self-stigma that stops people pursuing goals."
domain = "Advocacy"

[[cards]]
id = "why-try-mcq"
type = "mcq"
sibling_of = "why-try"
front = "Which effect of self-stigma stops people pursuing goals?"
choices = ["The why-try effect", "The helper effect", "The halo effect", "The spotlight effect"]
answer = "The why-try effect"
explanation = "x"
domain = "Advocacy"

[[cards]]
id = "other"
front = "Another card"
back = "Another back"
domain = "Advocacy"
"""
TOMORROW = "2026-11-23T10:00:00+00:00"
DAY_AFTER = "2026-11-24T10:00:00+00:00"


def shown(output: str) -> list[str]:
    return re.findall(r"^\[(\S+)\]", output, flags=re.MULTILINE)


@pytest.fixture
def twins(cli: Invoke, tmp_path: Path) -> Path:
    path = tmp_path / "twins.toml"
    path.write_text(TWINS)
    assert cli("sync", str(path)).exit_code == 0
    return path


def test_a_sibling_waits_for_another_day(cli: Invoke, twins: Path) -> None:
    today = cli("review", "--deck", "twins", "--new", "3", input="4\n4\n")
    assert shown(today.output) == ["twins/why-try", "twins/other"]
    again = cli("review", "--deck", "twins", "--new", "3", input="")
    assert "twins/why-try-mcq" not in again.output  # still today: still buried
    # tomorrow why-try is due again: answering it buries its twin once more
    tomorrow = cli("review", "--deck", "twins", "--new", "3", input="4\n4\n", now=TOMORROW)
    assert shown(tomorrow.output)[0] == "twins/why-try"
    assert "twins/why-try-mcq" not in tomorrow.output
    # the day after, why-try is not due (6 days): its twin is introduced
    after = cli("review", "--deck", "twins", "--new", "3", input="q\n", now=DAY_AFTER)
    assert shown(after.output) == ["twins/why-try-mcq"]


def test_a_failed_card_still_comes_back_the_same_day(cli: Invoke, twins: Path) -> None:
    result = cli("review", "--deck", "twins", "--new", "3", input="1\n4\n4\n")
    assert shown(result.output) == ["twins/why-try", "twins/other", "twins/why-try"]


@pytest.mark.parametrize(
    ("edit", "message", "line"),
    [
        (('sibling_of = "why-try"', 'sibling_of = "why-try-mcq"'), "names itself", 14),
        (('sibling_of = "why-try"', 'sibling_of = "nope"'), "'nope': no such card", 14),
        (
            ('id = "other"\n', 'id = "other"\nsibling_of = "why-try-mcq"\n'),
            "that card is itself a sibling of 'why-try'",
            23,
        ),
    ],
)
def test_sibling_of_must_name_another_card_of_the_deck(
    edit: tuple[str, str], message: str, line: int
) -> None:
    text = TWINS.replace(*edit)
    with pytest.raises(DeckError) as raised:
        parse_deck(text, Path("twins.toml"))
    assert message in str(raised.value) and raised.value.line == line


OPTIONAL = """\
[deck]
id = "elsewhere"
name = "Another state's credential"
optional = true

[[cards]]
id = "only-here"
front = "Front"
back = "Back"
domain = "Advocacy"
"""


def test_an_optional_deck_is_studied_only_when_named(
    cli: Invoke, twins: Path, tmp_path: Path
) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(OPTIONAL)
    assert cli("sync", str(path)).exit_code == 0
    plain = cli("review", "--new", "10", input="")
    assert "elsewhere/" not in plain.output and "twins/" in plain.output
    named = cli("review", "--deck", "elsewhere", "--new", "10", input="")
    assert shown(named.output) == ["elsewhere/only-here"]
    listed = [line for line in cli("decks").output.splitlines() if "elsewhere" in line]
    assert len(listed) == 1 and "optional: study it with --deck" in listed[0]
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["today"]["new"] <= 3  # only the twins deck counts


def test_optional_must_be_true_or_false() -> None:
    with pytest.raises(DeckError, match="optional must be true or false, not a string"):
        parse_deck(OPTIONAL.replace("optional = true", 'optional = "yes"'), Path("x.toml"))


def write_pairs(path: Path, pairs: int, singles: int) -> Path:
    """`pairs` notes of two sibling cards (pNNa, pNNb), then `singles` lone cards (sNN)."""
    parts = ['[deck]\nid = "pairs"\nname = "Pairs"\n']
    card = '[[cards]]\nid = "{id}"\nfront = "Front {id}"\nback = "Back {id}"\ndomain = "Advocacy"\n'
    for n in range(pairs):
        parts.append(card.format(id=f"p{n:02d}a"))
        parts.append(card.format(id=f"p{n:02d}b") + f'sibling_of = "p{n:02d}a"\n')
    parts += [card.format(id=f"s{n:02d}") for n in range(singles)]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def new_on(db: Path, day: str) -> int:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT count(*) FROM reviews WHERE kind = 'new' AND day = ?", (day,)
        ).fetchone()
    return int(found[0])


def test_a_new_card_held_back_by_a_sibling_is_replaced_by_the_next_one(
    cli: Invoke, tmp_path: Path, db: Path
) -> None:
    assert cli("sync", str(write_pairs(tmp_path / "pairs.toml", 20, 40))).exit_code == 0
    # day one: 20 new cards (the usual number), never two of one note
    first = cli("review", "--deck", "pairs", input="4\n" * 100)
    assert "0 done, 20 left (20 new," in first.output
    assert new_on(db, "2026-11-22") == 20
    assert len({card.rstrip("ab") for card in shown(first.output)}) == 20
    second = cli("review", "--deck", "pairs", input="4\n" * 100)
    assert "(20 new" not in second.output and new_on(db, "2026-11-22") == 20
    # day two: the due cards come first and hold their new siblings back; each of those is
    # replaced by the next new card, so the day still brings 20 new ones
    cli("review", "--deck", "pairs", input="4\n" * 100, now=TOMORROW)
    assert new_on(db, "2026-11-23") == 20
