"""rich renderables of the review screen: the header, the card, the answer, the grade keys.

Drawn by cli/terminal.py; like views.py, imported only for a person at a terminal.
"""

from __future__ import annotations

from typing import Any

from rich.panel import Panel
from rich.text import Text

from srs_crss.cli.render.text import grade_legend, letter_of, lettered, one_line, summary_lines
from srs_crss.model import Card, CardType, Progress, Summary
from srs_crss.untrusted.text import visible


def session_header(progress: Progress) -> Text:
    """Cards done and left, by kind."""
    head = Text()
    head.append(f" {progress.done} done", style="bold")
    head.append(f" · {progress.left} left  ")
    if progress.missed:
        head.append(f"missed in practice exam {progress.missed}", style="red")
        head.append(" · ")
    head.append(f"new {progress.new}", style="cyan")
    head.append(" · ")
    head.append(f"review {progress.review}", style="green")
    head.append(" · ")
    head.append(f"again today {progress.extra}", style="yellow")
    return head


def card_panel(
    card: Card, choices: list[str], picked: str | None = None, compact: bool = False
) -> Any:
    """The question and its choices; after an answer, the choices marked right and wrong.
    `compact`: no blank lines around them (for a small window)."""
    body = Text(visible(card.front), style="bold")
    if choices:
        if not compact:
            body.append("\n")
        for letter, choice in lettered(choices):
            style, mark = "", " "
            if picked is not None and choice == card.answer:
                style, mark = "bold green", "✓"
            elif picked is not None and choice == picked:
                style, mark = "red strike", "✗"
            body.append(f"\n{mark}{letter}  ", style=style or "bold cyan")
            body.append(visible(choice), style=style)
    title = card.deck_name + (f" · {card.domain}" if card.domain else "")
    return Panel(
        body,
        title=Text(one_line(title)),
        title_align="left",
        subtitle=Text(one_line(card.qualified_id), style="dim"),
        subtitle_align="right",
        border_style="blue",
        padding=(0, 2) if compact else (1, 2),
    )


def answer_panel(
    card: Card,
    choices: list[str],
    picked: str | None,
    explanation: str | None = None,
    source: bool = True,
) -> Any:
    """The answer (with the verdict on a multiple-choice card), explanation and source.

    `explanation` replaces the card's, and `source=False` leaves the source out (the
    review screen cuts a long explanation to fit the window).
    """
    explanation = card.explanation if explanation is None else explanation
    body = Text()
    if card.type is CardType.MCQ:
        right = letter_of(card.answer, choices)
        if picked == card.answer:
            body.append("Correct! ", style="bold green")
        else:
            body.append(f"Not quite: you chose {letter_of(picked, choices)}. ", style="bold red")
        body.append(f"The answer is {right}: {visible(card.answer or '')}")
    else:
        body.append(visible(card.back or ""))
    if explanation:
        body.append("\n\n")
        body.append(visible(explanation))
    if card.source and source:
        body.append("\n\nSource: ", style="dim")
        body.append(visible(card.source), style="dim")
    return Panel(body, title="Answer", title_align="left", border_style="green")


SHORT_MEANINGS = {
    "0": "blackout",
    "1": "wrong, familiar",
    "2": "wrong, easy once seen",
    "3": "right, hard",
    "4": "right, hesitated",
    "5": "perfect",
}


def grade_keys(allowed: str, one_line: bool = False) -> Text:
    """The grades that may be given, key first: one per line, or all on one line."""
    legend = Text()
    for q, meaning in grade_legend(allowed):
        legend.append(f" {q} ", style="bold reverse")
        legend.append(f" {SHORT_MEANINGS[q]}  " if one_line else f" {meaning}\n")
    legend.rstrip()
    return legend


def summary_panel(summary: Summary) -> Any:
    return Panel("\n".join(summary_lines(summary)[1:]), title="Session over", border_style="blue")
