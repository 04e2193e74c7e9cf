"""Fuzzed deck files: every outcome is a clean load or a DeckError with a line, never a
traceback, and a failed sync writes nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srs_crss.decks.deckfile import parse_deck
from srs_crss.errors import DeckError
from tests.conftest import MINI_DECK

VALID = MINI_DECK

keys = st.sampled_from(
    ["id", "front", "back", "type", "choices", "answer", "tags", "domain", "source",
     "explanation", "bakc", "name", "deck", "cards"]
)  # fmt: skip
values = st.one_of(
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\\\", "").replace('"', "") + '"'),
    st.integers().map(str),
    st.sampled_from(['["a", "b"]', "[]", "true", '"mcq"', '"basic"', "[1, 2]", '"Empathy"']),
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid deck file with a few random edits: lines dropped, duplicated, keys changed."""
    lines = VALID.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "key", "value", "garbage", "swap"]))
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "key":
            lines.insert(index, f"{draw(keys)} = {draw(values)}")
        elif action == "value" and " = " in lines[index]:
            lines[index] = lines[index].split(" = ")[0] + " = " + draw(values)
        elif action == "garbage":
            lines.insert(index, draw(st.text(max_size=15)))
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        if not lines:
            break
    return "\n".join(lines) + "\n"


def load_or_error(text: str) -> None:
    try:
        parse_deck(text, Path("fuzz.toml"))
    except DeckError as error:
        assert str(error).startswith("fuzz.toml")
        assert "\n" not in str(error).strip() or "TOML" in str(error)
        if text.strip():
            assert error.line is not None and error.line >= 1, str(error)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_files_load_or_fail_with_a_line(text: str) -> None:
    load_or_error(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text_loads_or_fails_cleanly(text: str) -> None:
    load_or_error(text)
