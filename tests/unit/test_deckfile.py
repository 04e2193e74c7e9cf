"""Deck file validation: good files load, every mistake names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs_crss.decks.deckfile import load_deck, load_decks, parse_deck
from srs_crss.errors import DeckError
from tests.conftest import MINI_DECK


def test_mini_deck_loads(mini: Path) -> None:
    deck = load_deck(mini)
    assert (deck.id, deck.name, deck.description) == ("mini", "Mini deck", "Two cards for tests")
    basic, mcq = deck.cards
    assert (basic.id, basic.type, basic.back, basic.tags, basic.line) == (
        "empathy-basics", "basic", "Feeling with someone.", ("empathy",), 6,
    )  # fmt: skip
    assert mcq.type == "mcq" and mcq.answer == "Empathy" and len(mcq.choices) == 4
    assert mcq.line == 14


def test_content_hash_changes_with_text_only(mini: Path) -> None:
    a = load_deck(mini).cards[0]
    edited = parse_deck(MINI_DECK.replace("Feeling with someone.", "Feeling with."), mini)
    assert edited.cards[0].content_hash() != a.content_hash()
    assert edited.cards[1].content_hash() == load_deck(mini).cards[1].content_hash()


CARD = 'id = "c1"\nfront = "F"\nback = "B"\n'
MCQ = '[[cards]]\nid = "m"\ntype = "mcq"\nfront = "F"\n'


def deck(cards: str, header: str = '[deck]\nid = "d"\nname = "D"\n') -> str:
    return header + "\n" + cards


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "file is empty"),
        ("   \n\n", None, "file is empty"),
        (deck('[[cards]]\nid = "c1"\nfront = "F\nback = "B"\n'), 7, "TOML syntax error"),
        (
            deck(f"[[cards]]\n{CARD}\n[[cards]]\n{CARD}"),
            11,
            "duplicate card id 'c1' (first at line 5)",
        ),
        (deck('[[cards]]\nid = "c1"\nback = "B"\n'), 5, "missing front"),
        (deck('[[cards]]\nid = "c1"\nfront = "F"\n'), 5, "missing back"),
        (
            deck('[[cards]]\nid = "c1"\nfront = "F"\nback = "B"\nbakc = "x"\n'),
            9,
            "unknown key 'bakc'",
        ),
        (
            deck('[[cards]]\nid = "c1"\nfront = "F"\nback = "B"\ntags = "a"\n'),
            9,
            "tags must be a list",
        ),
        (deck('[[cards]]\nid = "c1"\nfront = "F"\nback = "B"\ntags = ["A B"]\n'), 9, "bad tag"),
        (deck('[[cards]]\nid = "c1"\nfront = 3\nback = "B"\n'), 7, "front must be a string"),
        (
            deck(f"[[cards]]\n{CARD}", '[deck]\nid = "Bad Id"\nname = "D"\n'),
            2,
            "bad deck id 'Bad Id'",
        ),
        (deck(f"[[cards]]\n{CARD}", '[deck]\nname = "D"\n'), 1, "missing deck id"),
        (deck(f"[[cards]]\n{CARD}", '[deck]\nid = "d"\n'), 1, "missing name"),
        (
            deck(f"[[cards]]\n{CARD}", '[deck]\nid = "d"\nname = "D"\ncolour = "red"\n'),
            4,
            "unknown key 'colour' in [deck]",
        ),
        (f"[[cards]]\n{CARD}", 1, "missing [deck] table"),
        (deck('[[cards]]\nid = "C_1"\nfront = "F"\nback = "B"\n'), 6, "bad card id 'C_1'"),
        (deck('[[cards]]\nfront = "F"\nback = "B"\n'), 5, "missing card id"),
        (
            deck('[[cards]]\nid = "c1"\ntype = "cloze"\nfront = "F"\n'),
            7,
            "unknown card type 'cloze'",
        ),
        (
            deck(MCQ + 'choices = ["a"]\nanswer = "a"\n'),
            9,
            "at least 2 choices, not 1",
        ),
        (
            deck(MCQ + 'choices = ["a", "b"]\nanswer = "c"\n'),
            10,
            "answer 'c' is not one of the choices",
        ),
        (
            deck(MCQ + 'choices = ["a", "a"]\nanswer = "a"\n'),
            9,
            "choices must be distinct",
        ),
        (
            deck(MCQ + 'back = "B"\nchoices = ["a", "b"]\nanswer = "a"\n'),
            9,
            "'back' belongs to basic cards",
        ),
        (deck('[[cards]]\nid = "c1"\nfront = "  "\nback = "B"\n'), 7, "front is empty"),
        ('extra = 1\n[deck]\nid = "d"\nname = "D"\n', 1, "unknown top-level key 'extra'"),
    ],
)
def test_bad_files_name_file_and_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    error = caught.value
    assert message in str(error)
    assert error.line == line
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert str(error).startswith(where)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no such file"):
        load_deck(tmp_path / "nope.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[deck]\nid = "d"\nname = "caf\xe9"\n')
    with pytest.raises(DeckError, match="not UTF-8") as caught:
        load_deck(path)
    assert caught.value.line == 3


def test_same_deck_id_in_two_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(deck(f"[[cards]]\n{CARD}"))
    b.write_text(deck(f"[[cards]]\n{CARD}"))
    with pytest.raises(DeckError, match="already used by") as caught:
        load_decks([a, b])
    assert caught.value.path == b and caught.value.line == 2


def test_directory_expands_to_toml_files(tmp_path: Path, mini: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a deck")
    assert [d.id for d in load_decks([tmp_path])] == ["mini"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DeckError, match="no .toml deck files"):
        load_decks([empty])


def test_text_is_stripped_and_tags_deduplicated(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        deck('[[cards]]\nid = "c"\nfront = """\n  F  \n"""\nback = "B"\ntags = ["a", "a"]\n')
    )
    card = load_deck(path).cards[0]
    assert card.front == "F" and card.tags == ("a",)
