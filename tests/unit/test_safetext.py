"""safetext: the one rule for showing text from a file, a package or a person."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srs_crss.untrusted.text import (
    control_characters,
    hide_password,
    json_safe,
    name_key,
    name_problem,
    visible,
)

HOSTILE = [
    ("\x1b[2Jclear", "\\x1b[2Jclear"),
    ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
    ("clip\x1b]52;c;aGk=\x1b\\", "clip\\x1b]52;c;aGk=\\x1b\\"),
    ("over\rwrite\b\b", "over\\x0dwrite\\x08\\x08"),
    ("c1 \x9b31m \x9d0;x\x9c", "c1 \\x9b31m \\x9d0;x\\x9c"),
    ("del\x7f", "del\\x7f"),
    ("\u202eesrever \u2066iso\u2069", "\\u202eesrever \\u2066iso\\u2069"),
    ("sep\u2028line", "sep\\u2028line"),
    ("nul\x00 us\x1f", "nul\\x00 us\\x1f"),
]


@pytest.mark.parametrize(("raw", "shown"), HOSTILE)
def test_control_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(raw, lines=False) == shown


def test_ordinary_text_is_kept_as_it_is() -> None:
    text = "Brené Brown: « empathy » — 感情, العربية, emoji 🙂, [bold]not markup[/bold]"
    assert visible(text) == text
    assert visible("two\nlines\twith a tab") == "two\nlines with a tab"
    assert visible("one\nline", lines=False) == "one\\x0aline"


@given(st.text())
def test_nothing_unsafe_is_left_and_escaping_is_stable(text: str) -> None:
    shown = visible(text, lines=False)
    assert not any(_unsafe(ch) for ch in shown)
    assert visible(shown, lines=False) == shown  # escaping escaped text changes nothing
    kept = visible(text)
    assert kept.count("\n") == text.count("\n")  # card text keeps its lines
    assert not any(_unsafe(ch) for ch in kept.replace("\n", ""))


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u202e\u202d\u2066\u2067\u2068\u2069"


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_keeps_every_string_and_escapes_controls(data: object) -> None:
    dumped = json_safe(json.dumps(data, ensure_ascii=False))
    assert json.loads(dumped) == data
    assert not any(_unsafe(ch) for ch in dumped.replace("\n", ""))


def test_control_characters_lists_each_once() -> None:
    assert control_characters("a\x1b[1m\x1b[0m\n\t\u202eb") == ["\\x1b", "\\u202e"]
    assert control_characters("plain text\nwith lines") == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("alex", None),
        ("Brené", None),
        ("María José", None),
        ("bob\nNew learner 'eve'", "control character (\\x0a)"),
        ("tab\there", "control character (\\x09)"),
        ("\x1b[2Jbob", "control character (\\x1b)"),
        ("\u202eecila", "text-direction control character (\\u202e)"),
        ("al\u200bice", "invisible character (\\u200b)"),
        ("al\u2060ice", "invisible character (\\u2060)"),
        ("\ufeffalice", "invisible character (\\ufeff)"),
    ],
)
def test_names_refuse_control_bidi_and_invisible_characters(name: str, problem: str | None) -> None:
    found = name_problem(name)
    assert found == problem if problem is None else problem in (found or "")


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("postgres://srs:PW@host/db", "postgres://srs:***@host/db"),
        ("srs:PW@host://x", "srs:***@host://x"),
        ("postgresql://srs:p@s/s@host:notaport/db", "postgresql://srs:***@host:notaport/db"),
        (
            "postgresql://h/db?sslmode=require&password=PW",
            "postgresql://h/db?sslmode=require&password=***",
        ),
        ("postgresql://srs@host/db", "postgresql://srs@host/db"),
        ("/home/pat/srs-crss.db", "/home/pat/srs-crss.db"),
    ],
)
def test_passwords_are_hidden_even_in_urls_that_do_not_parse(target: str, shown: str) -> None:
    assert hide_password(target) == shown


def test_names_have_one_key_whatever_their_width_or_case() -> None:
    assert name_key("Ａlice") == name_key("alice") == name_key("ALICE")
    assert name_key("Jose\u0301") == name_key("José")
    assert name_key("alice") != name_key("alicia")
