"""rich renderables for a terminal: tables, panels, charts and the card on screen.

The only module that draws with rich (with cli/terminal.py, the key reader).
rich costs about a tenth of a second to import, so commands import this
module inside their bodies, when they print to a terminal: `--help`,
`--json` and piped review sessions never load it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, cast

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from srs_crss.cli.render import charts
from srs_crss.cli.render.examscreen import tasks_grid
from srs_crss.cli.render.mocktext import recent_mocks
from srs_crss.cli.render.text import (
    card_status,
    days_left,
    lettered,
    one_line,
    plan_new_cards,
    reviews_a_day,
)
from srs_crss.exams.planning import Plan
from srs_crss.exams.planning import warnings as exam_warnings
from srs_crss.model import CardType, CardView, DeckSummary
from srs_crss.sm2 import ReviewKind
from srs_crss.study.stats import HARD_DAYS, MATURE_DAYS, Report, readiness
from srs_crss.untrusted.text import visible

PROGRESS_FROM = 2000
"""Exports of at least this many notes show a progress bar (in a terminal)."""


@contextmanager
def export_progress(
    out: Console,
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A progress bar for large exports: yields (on_start(total), advance(n))."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # exports only

    bar = Progress(
        TextColumn("Writing notes"), BarColumn(), MofNCompleteColumn(), console=out, transient=True
    )
    task: list[Any] = []

    def on_start(total: int) -> None:
        if total >= PROGRESS_FROM and out.is_terminal:
            bar.start()
            task.append(bar.add_task("export", total=total))

    def advance(count: int) -> None:
        if task:
            bar.advance(task[0], count)

    try:
        yield on_start, advance
    finally:
        if task:
            bar.stop()


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr): ASCII where it cannot encode more; emoji codes as typed."""
    stream = sys.stderr if stderr else sys.stdout
    if _encodes(stream, "█·←✓"):
        return Console(stderr=stderr, highlight=False, emoji=False)
    return Console(file=cast(IO[str], _AsciiStream(stream)), highlight=False, emoji=False)


def echo_lines(lines: Iterable[str]) -> None:
    """Plain lines on stdout, as ASCII where stdout cannot encode more (the marks and
    dashes as their ASCII look-alikes, anything else, emoji too, as '?')."""
    stream: Any = sys.stdout if _encodes(sys.stdout, "█·←✓…") else _AsciiStream(sys.stdout)
    for line in lines:
        stream.write(line + "\n")
    stream.flush()


_ASCII = str.maketrans(
    {"·": "-", "—": "-", "←": "<", "↑": "^", "✓": "+", "✗": "x", "░": ".", "▒": ":", "▓": "%"}
    | {"…": "...", "▶": ">", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"}
    | dict.fromkeys("█▉▊▋▌▍▎▏▇▆▅▄▃▂▁", "#")
)


def _encodes(stream: Any, sample: str) -> bool:
    try:
        sample.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class _AsciiStream:
    """A text stream that writes charts and marks as ASCII, anything else as '?'.

    rich sees `encoding = "ascii"` and draws its boxes with + - | too.
    """

    encoding = "ascii"

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        plain = text.translate(_ASCII).encode("ascii", "replace").decode("ascii")
        return int(self._stream.write(plain))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _m(text: str, *, lines: bool = False) -> str:
    """Text from a file or a person inside rich markup: control characters escaped
    (safetext.visible) and markup shown literally ("[bold]" prints as written)."""
    return escape(visible(text, lines=lines))


def _cell(text: str) -> Text:
    """Text from a file or a person as a table cell: one line, never read as markup."""
    return Text(one_line(text))


def decks_table(summaries: Sequence[DeckSummary]) -> Table:
    table = Table(title="Decks", title_justify="left")
    table.add_column("id", style="bold")
    table.add_column("name")
    for label in ("cards", "new", "due", "retired"):
        table.add_column(label, justify="right")
    for s in summaries:
        name = _m(s.name) + (" [dim](optional: study it with --deck)[/dim]" if s.optional else "")
        table.add_row(_cell(s.id), name, str(s.cards), str(s.new), str(s.due), str(s.retired))
    if not summaries:
        table.caption = "No decks yet: run `srs-crss sync`."
    return table


# ---- show ------------------------------------------------------------------


def counts_table(counts: Sequence[tuple[str, int]], kind: str) -> Table:
    """Domains or tags with their card counts, and how to use them with review."""
    option = "--domain" if kind == "domains" else "--tag"
    table = Table(title=kind.capitalize(), title_justify="left")
    table.add_column(kind[:-1])
    table.add_column("cards", justify="right")
    for name, n in counts:
        table.add_row(_cell(name), str(n))
    table.caption = f"srs-crss review {option} NAME studies one" if counts else "None yet."
    table.caption_justify = "left"
    return table


def print_card(out: Console, view: CardView) -> None:
    card, state = view.card, view.state
    out.print(
        f"[bold]{_m(card.qualified_id)}[/bold]  ({card.type}, {_m(card.domain or 'no domain')})"
    )
    status = card_status(card.qualified_id, card.retired, view.suspended)
    if status:
        out.print(f"[bold yellow]{escape(status)}[/bold yellow]")
    out.print(f"[bold]Front:[/bold] {_m(card.front, lines=True)}")
    if card.type is CardType.MCQ:
        for letter, choice in lettered(card.choices):
            mark = "  <- answer" if choice == card.answer else ""
            out.print(f"  {letter}. {_m(choice, lines=True)}{mark}")
    else:
        out.print(f"[bold]Back:[/bold] {_m(card.back or '', lines=True)}")
    if card.explanation:
        out.print(f"[bold]Why:[/bold] {_m(card.explanation, lines=True)}")
    if card.tags:
        out.print(f"[bold]Tags:[/bold] {_m(', '.join(card.tags))}")
    if card.source:
        out.print(f"[bold]Source:[/bold] {_m(card.source, lines=True)}")
    if state.is_new:
        out.print("[bold]State:[/bold] new (never reviewed)")
    else:
        again = "; to see again today" if state.extra else ""
        if view.moved_from:
            again += f"; pulled in from {view.moved_from} by the exam date"
        out.print(
            f"[bold]State:[/bold] right {state.repetitions} in a row, ease {state.ef_decimal}, "
            f"next gap {state.interval} d, due {state.due}, forgotten {state.lapses} times"
            f"{again}"
        )
    if view.history:
        mcq = card.type is CardType.MCQ
        table = Table(title="History", title_justify="left", box=box.SIMPLE_HEAD)
        labels = ("when (UTC)", "grade", *(("picked",) if mcq else ()), "kind", "ease", "due")
        for label in labels:
            table.add_column(label, overflow="fold")
        for h in view.history:
            picked = []
            if mcq:
                mark = "✓ " if h.picked == card.answer else "✗ " if h.picked else ""
                picked = [mark + _m(h.picked or "—")]
            table.add_row(
                h.reviewed_at.strftime("%Y-%m-%d %H:%M"),
                str(int(h.grade)),
                *picked,
                KIND_WORDS[h.kind],
                str(h.after.ef_decimal),
                str(h.after.due),
            )
        out.print(table)


KIND_WORDS = {
    ReviewKind.NEW: "first time",
    ReviewKind.REVIEW: "review",
    ReviewKind.RELEARN: "after a miss",
    ReviewKind.EXTRA: "again today",
}
"""The kinds of answer, in plain words."""


# ---- stats and exams -----------------------------------------------------------

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, width: int) -> str:
    """A horizontal bar of `width` cells for a share 0-1, in eighths."""
    value = min(max(value, 0.0), 1.0)
    eighths = round(value * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[rest] if rest else "")).ljust(width)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def print_stats(out: Console, report: Report) -> None:
    s = report.stats
    correct = report.correct_today
    head = Text()
    head.append("Today  ", style="bold")
    head.append(f"due {s.due}  ·  new {report.new_today}  ·  reviewed {s.reviewed_today}")
    head.append(f"  ·  {correct:.0f}% correct" if correct is not None else "")
    head.append(f"  ·  crammed {s.crammed_today}" if s.crammed_today else "")
    head.append("\nStreak ", style="bold")
    head.append(f"{report.streak} day{'s' if report.streak != 1 else ''}")
    head.append("\nRetention ", style="bold")
    head.append(f"last 30 days {_share(s.retention_30)}  ·  all time {_share(s.retention_all)}")
    head.append("  (reviews of learned cards graded 3 or more)", style="dim")
    if s.suspended:
        head.append("\nSuspended ", style="bold")
        head.append(
            f"{s.suspended} (out of review; `srs-crss unsuspend DECK/CARD` brings one back)"
        )
    if s.leeches:
        head.append("\nLeeches ", style="bold")
        leeches = one_line(", ".join(s.leeches))
        head.append(leeches + " (forgotten too often: read the source, rewrite)")
    mocks = recent_mocks(report.mocks, report.mock_trend)
    if mocks:
        head.append("\nPractice exams ", style="bold")
        head.append("(oldest to latest) ", style="dim")
        head.append(mocks)
        head.append("  (srs-crss mock --history)", style="dim")
    out.print(Panel(head, title="Progress", title_align="left", border_style="blue"))

    out.print(Text.assemble(*charts.calendar(s.calendar, report.today, out.width)))

    weakest = report.weakest
    domains = Table(
        title="Exam domains",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        caption=f"well known: interval {MATURE_DAYS}+ days · retention: graded 3+ in 30 days",
        caption_justify="left",
    )
    for label in ("domain", "seen", "well known", "retention"):
        domains.add_column(label, justify="left" if label == "domain" else "right")
    for d in s.domains:
        mark = d is weakest
        if d.seen == 0:
            retention = "not started"
        elif d.retention is None:
            retention = "—"
        else:
            retention = f"{bar(d.retention, 8)} {_share(d.retention)}"
        domains.add_row(
            _cell(d.domain + ("  ← weakest" if mark else "")),
            f"{d.seen} of {d.cards}",
            str(d.mature),
            retention,
            style="bold red" if mark else None,
        )
    out.print(domains)
    if report.weakest_tasks:
        out.print(tasks_grid(report.weakest_tasks))

    out.print(Text.assemble(*charts.columns(s.forecast, report.today, out.width)))

    if s.hardest:
        hard = Table(
            title=f"Hardest cards, last {HARD_DAYS} days (see one: srs-crss show ID)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            caption="ease: how easily a card comes back (2.50 to start, 1.30 at the lowest)",
            caption_justify="left",
        )
        for label in ("id", "failed", "ease"):
            hard.add_column(label, justify="left" if label == "id" else "right")
        for h in s.hardest:
            hard.add_row(_cell(h.id), f"{h.failed} of {h.answers}", f"{h.ef / 100:.2f}")
        out.print(hard)
    for plan in report.plans:
        print_plan(out, plan, report)


def print_plan(out: Console, plan: Plan, report: Report) -> None:
    scope = f"deck {one_line(plan.deck)}" if plan.deck else "all decks"
    text = Text()
    text.append(f"Exam {plan.exam_day:%A %d %B %Y} ({scope}): ", style="bold")
    text.append(f"{days_left(plan.days_left)}.\n")
    if plan.days_left == 0:
        text.append("The exam is today: reviews are plain SM-2 again. Good luck!")
    else:
        text.append(f"{plan_new_cards(plan)}\n")
        text.append(
            f"Expect {reviews_a_day(plan.expected_reviews_per_day)}. "
            "Until the day before the exam no card is scheduled past it."
        )
    for warning in exam_warnings(plan):
        text.append("\n")
        text.append(warning, style="bold yellow")
    out.print(Panel(text, title="Exam plan", title_align="left", border_style="magenta"))
    table = Table(
        title="Readiness by domain",
        title_justify="left",
        caption=f"well known: interval {MATURE_DAYS}+ days · retention: graded 3+ in 30 days",
        caption_justify="left",
    )
    for label in ("domain", "seen", "well known", "retention"):
        table.add_column(label, justify="left" if label == "domain" else "right")
    for d in report.stats.domains:
        r = readiness(d)
        table.add_row(
            _cell(d.domain),
            f"{bar(r.seen, 10)} {r.seen * 100:.0f}%",
            f"{bar(r.mature, 10)} {r.mature * 100:.0f}%",
            _share(r.retention),
        )
    out.print(table)
