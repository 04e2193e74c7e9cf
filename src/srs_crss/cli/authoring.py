"""Commands for deck authors: sync, check."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import DeckFiles, commands, open_app
from srs_crss.untrusted.text import visible


@commands.command()
def sync(
    ctx: typer.Context,
    paths: DeckFiles = None,
) -> None:
    """Load deck files into the database, keeping every learner's history.

    All files are checked first; one bad file means nothing is applied.
    """
    report = open_app(ctx).sync(paths or None)
    for line in render.text.sync_lines(report):
        typer.echo(line)


@commands.command()
def check(
    ctx: typer.Context,
    paths: DeckFiles = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) when there are warnings.")
    ] = False,
) -> None:
    """Check deck files for authors: errors as sync reports them, plus quality warnings.

    Never touches the database. Exit 2 if a file does not load; with --strict,
    exit 1 if there are warnings.
    """
    decks, warnings = open_app(ctx).check(paths or None)
    for warning in warnings:
        typer.echo(visible(str(warning)))
    cards = sum(len(deck.cards) for deck in decks)
    typer.echo(render.text.check_total(len(decks), cards, len(warnings)))
    if strict and warnings:
        raise typer.Exit(1)
