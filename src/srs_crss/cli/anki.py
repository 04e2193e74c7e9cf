"""Anki commands: export-anki and import-anki."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import JsonOption, commands, open_app, print_json


@commands.command("export-anki")
def export_anki(
    ctx: typer.Context,
    deck: Annotated[
        list[str] | None,
        typer.Option(
            "--deck", metavar="ID", help="Deck to export (repeatable; default: every deck)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FILE.apkg",
            help="The .apkg file to write (default: exports/<deck>.apkg, or "
            "exports/srs-crss.apkg for several decks).",
            show_default=False,
        ),
    ] = None,
    scheduling: Annotated[
        bool,
        typer.Option(
            "--scheduling/--no-scheduling",
            help="Carry each card's SM-2 schedule and review history (default), or export "
            "every card as new.",
        ),
    ] = True,
) -> None:
    """Export decks as an Anki package (.apkg) that imports cleanly into Anki or AnkiDroid.

    Re-importing a newer export updates edited notes in place, with no duplicates.
    """
    console = render.views.console(stderr=True)
    # The export builds 100,000s of records and none is cyclic garbage, yet each
    # full collection would walk them all: 2 s of 10 on 100,000 cards. Paused.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with render.views.export_progress(console) as (on_start, advance):
            result = open_app(ctx).export_anki(deck or [], out, scheduling, advance, on_start)
    finally:
        if collecting:
            gc.enable()
    typer.echo(
        render.text.export_line(
            str(result.path), result.notes, result.cards, result.reviews, scheduling
        )
    )


@commands.command("import-anki")
def import_anki(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A package exported by Anki: .apkg (with scheduling information) or .colpkg.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be imported; write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring reviews done in Anki (desktop, AnkiDroid, AnkiMobile) back into your history.

    Notes are matched by the id export-anki gave them; your own Anki notes are
    skipped. Reviews already here are recognised, so importing twice changes nothing.
    """
    from srs_crss.service.anki_import import import_anki as run_import

    result = run_import(open_app(ctx), file, dry_run)
    if as_json:
        print_json(render.shapes.import_json(result))
        return
    for line in render.text.import_lines(result):
        typer.echo(line)
