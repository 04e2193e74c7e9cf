"""`srs-crss serve`: study in a browser (srs_crss/web) over the same database and learner."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli.typerapp import commands, settings_of
from srs_crss.errors import UsageError

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
    cohort: Annotated[
        bool,
        typer.Option(
            "--cohort",
            help="Serve a class: everyone signs in with an account (srs-crss users add); "
            "instructors see the class. See docs/cohort.md.",
        ),
    ] = False,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            metavar="ADDRESS",
            help="With --cohort: the address to listen on (default: 127.0.0.1; 0.0.0.0 "
            "for every interface). Serve HTTPS through a reverse proxy.",
        ),
    ] = None,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="With --cohort, behind a reverse proxy on this machine: trust its "
            "X-Forwarded-For and X-Forwarded-Proto (the client's address, HTTPS).",
        ),
    ] = False,
) -> None:
    """Study in your web browser (or on a phone with --lan): the same cards and progress."""
    from srs_crss.web import server  # Starlette and uvicorn: only to serve

    if not cohort and (host is not None or proxy_headers):
        raise UsageError(
            "--host and --proxy-headers are for a class's server: add --cohort (a learner's "
            "own server answers this computer only; --lan serves phones)"
        )
    if cohort and lan:
        raise UsageError(
            "--lan is for one learner's phone; a class's server (--cohort) listens where "
            "--host says and everyone signs in"
        )
    where = server.Cohort(host or server.LOOPBACK, proxy_headers) if cohort else None
    server.serve(settings_of(ctx), port, not no_browser, lan, say=typer.echo, cohort=where)
