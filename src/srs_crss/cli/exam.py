"""Exam-date commands: exam set, show, clear."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import Group, JsonOption, commands, open_app, print_json
from srs_crss.exams.profiles import DEFAULT_PROFILE

exam_app = typer.Typer(
    cls=Group,
    help="Plan for an exam date: no card scheduled past it, every card seen a week before.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
commands.add_typer(exam_app, name="exam")

DeckOption = Annotated[
    str | None,
    typer.Option("--deck", metavar="ID", help="The deck (default: the exam covers all decks)."),
]


@exam_app.command("set")
def exam_set(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(metavar="YYYY-MM-DD", help="The exam date.")],
    deck: DeckOption = None,
) -> None:
    """Set (or move) your exam date, for one deck or all decks."""
    application = open_app(ctx)
    plan, moved = application.exam_dates.set(date, deck)
    typer.echo(render.text.exam_set_line(plan.exam_day.isoformat(), deck, moved))
    for report in application.exam_reports():
        if report.plans and report.plans[0].deck == deck:
            render.views.print_plan(render.views.console(), report.plans[0], report)


@exam_app.command("show")
def exam_show(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show the plan for each exam: days left, new cards a day, expected reviews, readiness."""
    application = open_app(ctx)
    reports = application.exam_reports()
    if not reports:
        print_json([]) if as_json else typer.echo(render.text.NO_EXAM)
        return
    # the exam-day forecast covers every deck studied, on the earliest exam date
    found = application.forecasting.readiness_if_quick(DEFAULT_PROFILE)
    if as_json:
        forecast = render.forecast.readiness_json(found) if found else None
        print_json(
            [r | {"exam_forecast": forecast} for r in render.shapes.exam_reports_json(reports)]
        )
        return
    console = render.views.console()
    for report in reports:
        render.views.print_plan(console, report.plans[0], report)
    mocks = render.mocktext.recent_mocks(reports[0].mocks, reports[0].mock_trend)
    console.print(
        f"Practice exams (oldest to latest): {mocks}"
        if mocks
        else "No practice exam yet: `srs-crss mock` takes one like the real exam."
    )
    if reports[0].weakest_tasks:
        console.print(render.examscreen.tasks_grid(reports[0].weakest_tasks))
    for line in render.forecast.summary_lines(found):
        console.print(line, markup=False, highlight=False)


@exam_app.command("clear")
def exam_clear(ctx: typer.Context, deck: DeckOption = None) -> None:
    """Remove an exam date (scheduling goes back to plain SM-2)."""
    typer.echo(render.text.exam_cleared_line(open_app(ctx).exam_dates.clear(deck), deck))
