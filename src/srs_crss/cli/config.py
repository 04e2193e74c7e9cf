"""Settings commands: config set, show, unset."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import Group, JsonOption, commands, open_app, print_json

config_app = typer.Typer(
    cls=Group,
    help="Settings kept in the database for you: new cards a day, rollover hour, default deck.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
commands.add_typer(config_app, name="config")

DeckOption = Annotated[
    str | None,
    typer.Option("--deck", metavar="ID", help="For this deck only (new-per-day only)."),
]
KeyArgument = Annotated[
    str,
    typer.Argument(metavar="KEY", help="new-per-day, rollover-hour, default-deck or leech-lapses."),
]


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: KeyArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE")],
    deck: DeckOption = None,
) -> None:
    """Keep a setting, for all decks or (new-per-day) one deck."""
    name, stored = open_app(ctx).preferences.set(key, value, deck)
    typer.echo(render.text.config_set_line(name, stored, deck))


@config_app.command("show")
def config_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every setting, yours or the default."""
    rows = open_app(ctx).preferences.show()
    if as_json:
        print_json(render.shapes.config_json(rows))
    else:
        for line in render.text.config_lines(rows):
            typer.echo(line)


@config_app.command("unset")
def config_unset(ctx: typer.Context, key: KeyArgument, deck: DeckOption = None) -> None:
    """Go back to the default for a setting."""
    done = open_app(ctx).preferences.unset(key, deck)
    typer.echo(render.text.config_unset_line(key, deck, done))
