"""The `srs-crss` command line: thin typer commands over srs_crss.service.

    app.py        the typer app, global options, the error boundary, main()
    study.py      review, decks, show, stats
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

Each command builds the App, calls one method and prints the result.
"""

from srs_crss.cli import (  # noqa: F401 - registers commands
    anki,
    authoring,
    config,
    exam,
    forecast,
    mock,
    serve,
    study,
    users,
)
from srs_crss.cli.app import app, main

__all__ = ["app", "main"]
