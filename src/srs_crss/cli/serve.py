"""`srs-crss serve`: study in a browser (srs_crss/web) over the same database and learner."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli.app import commands, settings_of

PORT_HELP = "Port to listen on (default: 8370)."


@commands.command()
def serve(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, metavar="N", help=PORT_HELP)
    ] = 8370,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Also serve phones on the same Wi-Fi: prints a private link and its QR code.",
        ),
    ] = False,
) -> None:
    """Study in your web browser (or on a phone with --lan): the same cards and progress."""
    from srs_crss.web import server  # Starlette and uvicorn: only to serve

    server.serve(settings_of(ctx), port, not no_browser, lan, say=typer.echo)
