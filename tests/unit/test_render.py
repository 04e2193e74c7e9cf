"""Output shapes (render): lettered choices, plain card lines, JSON shapes."""

from __future__ import annotations

import datetime as dt
import io
import string

import pytest

from srs_crss.cli.render import shapes, text
from srs_crss.model import Card, CardType, CardView, Summary
from srs_crss.sm2 import CardState

MCQ = Card(
    pk=1,
    deck="d",
    id="q",
    type=CardType.MCQ,
    front="Which?",
    back=None,
    choices=("One", "Two", "Three"),
    answer="Two",
    explanation="Because.",
    domain="Advocacy",
    tags=("t",),
    source="A source",
    position=0,
    retired=False,
    deck_name="Deck",
)


def test_every_choice_gets_a_letter_up_to_z() -> None:
    many = [f"choice {n}" for n in range(26)]
    assert [letter for letter, _ in text.lettered(many)] == list(string.ascii_uppercase)
    with pytest.raises(ValueError):
        text.lettered([*many, "one more"])
    assert text.letter_of("Two", MCQ.choices) == "B" and text.letter_of("x", MCQ.choices) == "?"


def test_plain_card_lines() -> None:
    assert list(text.front_lines(MCQ, ["Three", "Two", "One"])) == [
        "[d/q] Deck / Advocacy",
        "Q: Which?",
        "  A) Three",
        "  B) Two",
        "  C) One",
    ]
    back = list(text.back_lines(MCQ, ["Three", "Two", "One"], "One", "012"))
    assert back[:3] == ["Not quite. Answer: B) Two", "Why: Because.", "Source: A source"]
    assert back[3].startswith("Grades: 0 ") and back[3].count("|") == 2


def test_summary_lines() -> None:
    summary = Summary(reviewed=4, correct=3, seconds=75.4, due_tomorrow=2, streak=1)
    assert text.summary_lines(summary) == [
        "Session over.",
        "Reviewed: 4   Correct: 75%   Time: 1m 15s",
        "Still due today: 0   Due tomorrow: 2   Streak: 1 day",
    ]
    nothing = Summary(reviewed=0, correct=0, seconds=0, due_tomorrow=0, streak=0, due_today=3)
    assert text.summary_lines(nothing)[1:] == [
        "No answers this session.",
        "Still due today: 3   Due tomorrow: 0   Streak: 0 days",
    ]


def test_card_json_shape() -> None:
    state = CardState(repetitions=1, ef=250, interval=1, due=dt.date(2026, 11, 23))
    data = shapes.card_json(CardView(card=MCQ, state=state))
    assert data["type"] == "mcq" and data["choices"] == ["One", "Two", "Three"]
    assert "back" not in data and data["state"]["ef"] == 2.5
    assert data["state"]["due"] == "2026-11-23" and data["history"] == []


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_forecast_chart_fits_the_window(width: int) -> None:
    from rich.console import Console
    from rich.text import Text

    from srs_crss.cli.render import charts

    today = dt.date(2026, 12, 4)
    days = [(today + dt.timedelta(days=n), n % 5) for n in range(30)]
    out = Console(width=width, record=True, color_system=None, file=io.StringIO())
    out.print(Text.assemble(*charts.columns(days, today, out.width)))
    lines = out.export_text().rstrip("\n").splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    assert len(lines) == 8  # title, six rows of columns, the dates: nothing wrapped
    dates = ["↑11 Dec", "↑18 Dec", "↑25 Dec", "↑01 Jan"]
    if width < 66:  # one character a day: no room for the space
        dates = [date.replace(" ", "") for date in dates]
    assert " ".join(lines[-1].split()) == " ".join(["↑today", *dates])
    # each label's arrow stands under its own day's column (today's is the first one), so
    # tomorrow's column is not read as today's
    step = 2 if 6 + 2 * 30 <= width else 1
    arrows = [i for i, char in enumerate(lines[-1]) if char == "↑"]
    assert arrows == [6 + step * n for n in range(0, 30, 7)][: len(arrows)]


@pytest.mark.parametrize("width", [40, 60, 80])
def test_the_heat_map_rows_never_wrap(width: int) -> None:
    from rich.console import Console
    from rich.text import Text

    from srs_crss.cli.render import charts

    today = dt.date(2026, 12, 4)
    days = [(today - dt.timedelta(days=n), 1 + n % 4) for n in range(400)]
    out = Console(width=width, record=True, color_system=None, file=io.StringIO())
    out.print(Text.assemble(*charts.calendar(days, today, out.width)))
    lines = out.export_text().rstrip("\n").splitlines()
    rows = [line for line in lines if line[:2] in {f"{d} " for d in "MTWFS"}]
    assert len(rows) == 7  # one line a weekday: nothing wrapped
    assert all(len(line.rstrip()) <= width for line in lines)
    assert rows[4].rstrip().endswith(("░", "▒", "▓", "█"))  # Friday the 4th: today is shown
