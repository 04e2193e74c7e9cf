"""The exam-day forecast: `readiness` (will I pass on the day?) and `today` (what to do)."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import JsonOption, commands, open_app, print_json
from srs_crss.exams.profiles import DEFAULT_PROFILE

ProfileOption = Annotated[
    str,
    typer.Option("--profile", metavar="NAME", help="The exam (see `srs-crss mock --help`)."),
]


@commands.command()
def readiness(
    ctx: typer.Context,
    profile: ProfileOption = DEFAULT_PROFILE,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day to forecast (default: your exam date if set, else today).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Forecast your score and your chance of passing on exam day, from your own study."""
    found = open_app(ctx).forecasting.readiness(profile, date)
    if as_json:
        print_json(render.forecast.readiness_json(found))
        return
    for line in render.forecast.readiness_lines(found):
        typer.echo(line)


@commands.command()
def today(
    ctx: typer.Context, profile: ProfileOption = DEFAULT_PROFILE, as_json: JsonOption = False
) -> None:
    """What to study today for the most gain on exam day, each step with its effect."""
    found = open_app(ctx).forecasting.today(profile)
    if as_json:
        print_json(render.forecast.day_plan_json(found))
        return
    for line in render.forecast.day_plan_lines(found):
        typer.echo(line)
