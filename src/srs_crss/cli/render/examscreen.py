"""rich renderables of the practice-exam screen (srs-crss mock): header, question,
keys, the result and the walk through missed questions.

Drawn by cli/mockui.py; imported only for a person at a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from srs_crss.cli.render.mocktext import PASS_ESTIMATE, clock, verdict
from srs_crss.cli.render.text import EXAM_TASKS, STATS_TASKS, lettered, one_line
from srs_crss.untrusted.text import visible

if TYPE_CHECKING:  # practice exams (exams.mock) load only for `mock` and `stats`
    from srs_crss.exams.mock import Question, Result
    from srs_crss.exams.tasks import TaskScore

EXAM_KEYS = (
    "{letters} answer · Enter next · p back · f flag · u unanswered · r flagged · "
    "g go to · s submit · q stop"
)
WALK_KEYS = "Enter next · p back · q done"


def exam_header(question: Question, total: int, answered: int, flagged: int, left: float) -> Text:
    """One line (it is redrawn in place every second): where, how far, the clock."""
    head = Text()
    head.append(f" Question {question.position} of {total}", style="bold")
    head.append(f" · {answered} answered")
    if flagged:
        head.append(f" · {flagged} flagged", style="yellow")
    head.append(" · ")
    head.append(f"{clock(math.ceil(left))} left", style="bold red" if left < 300 else "bold")
    return head


def _choices(rows: Sequence[tuple[str, str, str]]) -> Table:
    """Lettered choices whose wrapped lines stay under their text: (mark+letter, text, style)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for head, choice, style in rows:
        grid.add_row(Text(head, style=style or "bold cyan"), Text(visible(choice), style=style))
    return grid


def question_panel(question: Question, title: str) -> Panel:
    """The question and its choices, the one picked marked."""
    rows = [
        ("▶ " + letter if choice == question.picked else "  " + letter, choice,
         "reverse" if choice == question.picked else "")
        for letter, choice in lettered(question.choices)
    ]  # fmt: skip
    flag = " · ⚑ flagged for review" if question.flagged else ""
    return Panel(
        Group(Text(visible(question.front), style="bold"), Text(""), _choices(rows)),
        title=Text(one_line(f"{title}{flag}")),
        title_align="left",
        border_style="yellow" if question.flagged else "blue",
        padding=(1, 2),
    )


def exam_keys(choices: int) -> Text:
    letters = "A-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[max(0, choices - 1)]
    return Text(EXAM_KEYS.format(letters=letters), style="dim")


def result_table(result: Result, time_limit_ms: int) -> Any:
    """The score, pass or not, time used, one row per domain, the weakest tasks."""
    good = result.passed
    title = Text()
    title.append(f"{result.correct} of {result.asked} ({result.percent:.0f}%) ", style="bold")
    title.append(verdict(result), style="bold green" if good else "bold red")
    title.append(f"  pass mark {result.pass_percent}%", style="dim")
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("Domain")
    table.add_column("Right", justify="right")
    table.add_column("Asked", justify="right")
    table.add_column("%", justify="right")
    for d in result.domains:
        weak = d.domain == result.weakest
        table.add_row(
            Text(
                one_line(d.domain) + (" (weakest)" if weak else ""),
                style="bold yellow" if weak else "",
            ),
            str(d.correct),
            str(d.asked),
            f"{d.percent:.0f}%",
        )
    note = Text(
        f"Time used: {clock(result.seconds_used)} of {clock(time_limit_ms / 1000)}", style="dim"
    )
    parts: list[Any] = [table, note]
    if result.pass_is_estimate:
        parts.append(Text(PASS_ESTIMATE, style="dim"))
    if result.weakest_tasks:
        parts.append(tasks_grid(result.weakest_tasks, EXAM_TASKS))
    return parts


def tasks_grid(weakest: Sequence[TaskScore], heading: str = STATS_TASKS) -> Group:
    """The weakest exam tasks under `heading`: right of asked, then the domain and the
    task, wrapped beside the figures (text.weakest_task_lines is the plain form)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for s in weakest:
        grid.add_row(
            f"  {s.right} of {s.asked} right", f"{one_line(s.domain)} · {one_line(s.title)}"
        )
    return Group(Text(heading, style="bold"), grid)


def missed_panel(question: Question, index: int, count: int) -> Panel:
    """A missed question: the pick struck through, the answer ticked, why, the source."""
    rows = []
    for letter, choice in lettered(question.choices):
        style, mark = "", " "
        if choice == question.answer:
            style, mark = "bold green", "✓"
        elif choice == question.picked:
            style, mark = "red strike", "✗"
        rows.append((f"{mark} {letter}", choice, style))
    parts: list[Any] = [Text(visible(question.front), style="bold"), Text(""), _choices(rows)]
    if question.picked is None:
        parts.append(Text("\nYou left this one unanswered.", style="yellow"))
    if question.explanation:
        parts.append(Text("\n" + visible(question.explanation)))
    if question.source:
        parts.append(Text(f"\nSource: {visible(question.source)}", style="dim"))
    return Panel(
        Group(*parts),
        title=f"Missed {index} of {count} · question {question.position}",
        title_align="left",
        subtitle=Text(one_line(question.card_id), style="dim"),
        subtitle_align="right",
        border_style="red",
        padding=(0, 1),
    )


def confirm_lines(unanswered: Sequence[int], flagged: Sequence[int], total: int) -> Text:
    """What submitting now leaves behind."""
    text = Text("Submit the exam now?", style="bold")
    if unanswered and len(unanswered) == total:
        text.append("\nNo question has an answer: it will be abandoned, not scored.")
    elif unanswered:
        text.append(f"\nUnanswered ({len(unanswered)}): {_numbers(unanswered)}", style="yellow")
    if flagged:
        text.append(f"\nFlagged ({len(flagged)}): {_numbers(flagged)}", style="yellow")
    if not unanswered and not flagged:
        text.append("\nEvery question has an answer.")
    text.append("\ny submit · any other key: back to the exam", style="dim")
    return text


def _numbers(positions: Sequence[int], most: int = 20) -> str:
    shown = ", ".join(map(str, positions[:most]))
    return shown + (f" and {len(positions) - most} more" if len(positions) > most else "")
