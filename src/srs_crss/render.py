"""Turning records into text: JSON shapes, rich tables and plain lines.

Kept apart from the CLI so the shapes (which scripts rely on) are defined
and tested in one place. rich honours NO_COLOR and the terminal width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from srs_crss.model import CardView, DeckSummary, HistoryEntry
from srs_crss.sm2 import CardState
from srs_crss.sync import SyncReport

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


PROGRESS_FROM = 2000
"""Exports of at least this many notes show a progress bar (in a terminal)."""


@contextmanager
def export_progress(
    out: Console,
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A progress bar for large exports: yields (on_start(total), advance(n))."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

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
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


# ---- sync ------------------------------------------------------------------


def sync_lines(report: SyncReport) -> Iterator[str]:
    for plan in report.plans:
        parts = [
            f"{len(plan.added)} added",
            f"{len(plan.updated)} updated",
            f"{len(plan.retired)} retired",
        ]
        if plan.restored:
            parts.append(f"{len(plan.restored)} restored")
        parts.append(f"{plan.unchanged} unchanged")
        status = "new deck" if plan.new_deck else str(plan.spec.path)
        yield f"{plan.spec.id} ({plan.spec.name}, {status}): {', '.join(parts)}"
    if not report.changed:
        yield "Nothing to change: the database already matches these files."


# ---- decks -----------------------------------------------------------------


def decks_json(summaries: Sequence[DeckSummary]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "cards": s.cards,
            "new": s.new,
            "due": s.due,
            "retired": s.retired,
        }
        for s in summaries
    ]


def decks_table(summaries: Sequence[DeckSummary]) -> Table:
    from rich.table import Table

    table = Table(title="Decks", title_justify="left")
    table.add_column("id", style="bold")
    table.add_column("name")
    for label in ("cards", "new", "due", "retired"):
        table.add_column(label, justify="right")
    for s in summaries:
        table.add_row(s.id, s.name, str(s.cards), str(s.new), str(s.due), str(s.retired))
    if not summaries:
        table.caption = "No decks yet: run `srs-crss sync`."
    return table


# ---- show ------------------------------------------------------------------


def _state_json(state: CardState) -> dict[str, Any]:
    return {
        "repetitions": state.repetitions,
        "ef": float(state.ef_decimal),
        "interval": state.interval,
        "due": state.due.isoformat() if state.due else None,
        "extra": state.extra,
        "lapses": state.lapses,
    }


def _history_json(entry: HistoryEntry) -> dict[str, Any]:
    after = entry.after
    return {
        "reviewed_at": entry.reviewed_at.isoformat().replace("+00:00", "Z"),
        "day": entry.day.isoformat(),
        "grade": int(entry.grade),
        "kind": entry.kind.value,
        "repetitions": after.repetitions,
        "ef": float(after.ef_decimal),
        "interval": after.interval,
        "due": after.due.isoformat() if after.due else None,
    }


def card_json(view: CardView) -> dict[str, Any]:
    card = view.card
    data: dict[str, Any] = {
        "id": card.qualified_id,
        "deck": card.deck,
        "type": card.type,
        "front": card.front,
    }
    if card.type == "mcq":
        data["choices"] = list(card.choices)
        data["answer"] = card.answer
    else:
        data["back"] = card.back
    data |= {
        "explanation": card.explanation,
        "domain": card.domain,
        "tags": list(card.tags),
        "source": card.source,
        "retired": card.retired,
        "state": _state_json(view.state),
        "history": [_history_json(h) for h in view.history],
    }
    return data


def print_card(out: Console, view: CardView) -> None:
    from rich.table import Table

    card, state = view.card, view.state
    status = " [retired]" if card.retired else ""
    out.print(
        f"[bold]{card.qualified_id}[/bold]{status}  ({card.type}, {card.domain or 'no domain'})"
    )
    out.print(f"[bold]Front:[/bold] {_esc(card.front)}")
    if card.type == "mcq":
        for letter, choice in zip("ABCDEFGHIJ", card.choices, strict=False):
            mark = "  <- answer" if choice == card.answer else ""
            out.print(f"  {letter}. {_esc(choice)}{mark}")
    else:
        out.print(f"[bold]Back:[/bold] {_esc(card.back or '')}")
    if card.explanation:
        out.print(f"[bold]Why:[/bold] {_esc(card.explanation)}")
    if card.tags:
        out.print(f"[bold]Tags:[/bold] {', '.join(card.tags)}")
    if card.source:
        out.print(f"[bold]Source:[/bold] {_esc(card.source)}")
    if state.is_new:
        out.print("[bold]State:[/bold] new (never reviewed)")
    else:
        extra = ", extra review pending" if state.extra else ""
        out.print(
            f"[bold]State:[/bold] repetitions {state.repetitions}, EF {state.ef_decimal}, "
            f"interval {state.interval} d, due {state.due}, lapses {state.lapses}{extra}"
        )
    if view.history:
        table = Table(title="History", title_justify="left")
        for label in ("when (UTC)", "day", "grade", "kind", "n", "EF", "interval", "due"):
            table.add_column(label)
        for h in view.history:
            table.add_row(
                h.reviewed_at.strftime("%Y-%m-%d %H:%M"),
                h.day.isoformat(),
                str(int(h.grade)),
                h.kind.value,
                str(h.after.repetitions),
                str(h.after.ef_decimal),
                str(h.after.interval),
                str(h.after.due),
            )
        out.print(table)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
