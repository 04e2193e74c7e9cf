"""The `srs-crss` command line: thin commands over srs_crss.service.

    entry.py      the error boundary, settings, printing, the exit: shared, without typer
    quick.py      review, decks and stats in their plain forms, started without typer
    typerapp.py   the typer app and global options: every other form and command
    study.py      review, decks, show, stats (typer); studying.py what review,
                  decks and stats do, for both ways in
    exam.py       exam set / show / clear
    forecast.py   readiness (the exam-day forecast)
    mock.py       mock (practice exams); mockui.py its terminal and piped screens
    config.py     config set / show / unset
    authoring.py  sync, check
    anki.py       export-anki
    serve.py      serve (the web front end in srs_crss/web)
    users.py      users (cohort accounts), cohort setup-db, class, items
    render/       every text and JSON shape a user sees
    ui.py         the review loop and the piped screen; terminal.py the terminal one
    keys.py       single key presses in a terminal (review and mock screens)

Each command builds the App, calls one method and prints the result. Importing
this package loads none of them: `app` (the typer app with every command) is
built on first use.
"""

from __future__ import annotations

import sys
from typing import Any

from srs_crss.cli.entry import APP_NAME, exit_now

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point.

    The command line goes first to cli/quick.py: the commands run most (`review`,
    `decks`, `stats`) in their plain forms start without importing typer and
    building the typer app (about 20 ms of every start, issue 30). Anything else,
    every slip and `--help` included, goes to the typer app, which parses, explains
    mistakes and runs commands as before.
    """
    from srs_crss.cli import quick

    try:
        code = quick.run(sys.argv[1:])
        if code is None:
            code = _typer_main()
    except KeyboardInterrupt:  # pragma: no cover - interrupted before a command ran
        code = 130
    exit_now(code)


def _typer_main() -> int:
    from srs_crss.cli.typerapp import full_app

    try:
        full_app()(prog_name=APP_NAME)
    except SystemExit as done:  # typer ends every run with one
        code = done.code
        if isinstance(code, str):  # sys.exit("message"): printed, exit status 1
            print(code, file=sys.stderr)
        return code if isinstance(code, int) else 0 if code is None else 1
    return 0


def __getattr__(name: str) -> Any:
    if name == "app":
        from srs_crss.cli.typerapp import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
