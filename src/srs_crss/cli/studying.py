"""What `review`, `decks` and `stats` do once their options are read, without typer.

Their typer commands (cli/study.py) and the quick entry (cli/quick.py) both
call these, so the two ways in cannot drift apart. Each is handed how to open
the App (`opening`), and opens it once its options are found sound.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from srs_crss.cli import render
from srs_crss.cli.entry import echo, print_json
from srs_crss.errors import UsageError
from srs_crss.exams.profiles import DEFAULT_PROFILE

if TYPE_CHECKING:
    from srs_crss.service import App

MAX_CARDS = 100_000
"""The most cards --new and --limit accept (far more than a day's study)."""


Opening = Callable[[], "App"]


def decks(opening: Opening, as_json: bool) -> None:
    summaries = opening().decks()
    if as_json:
        print_json(render.shapes.decks_json(summaries))
    else:
        render.views.console().print(render.views.decks_table(summaries))


def review(
    opening: Opening,
    deck: Sequence[str] | None = None,
    new: int | None = None,
    limit: int | None = None,
    tag: str | None = None,
    domain: str | None = None,
    cram: bool = False,
    mistakes: int | None = None,
    ahead: int | None = None,
    plain: bool = False,
) -> None:
    check_cram_options(cram, mistakes, ahead, new)
    crams = cram or mistakes is not None or ahead is not None
    application = opening()
    session = application.review_session(
        decks=deck or (),
        tag=tag,
        domain=domain,
        new=new,
        limit=limit,
        cram=crams,
        mistakes=mistakes,
        ahead=ahead,
    )
    from srs_crss.cli import ui  # the review loop: loaded only to review

    # today's plan above the first card, for the day's whole review with an exam date set
    whole = not (deck or tag or domain or crams)
    found = application.todays_plan(DEFAULT_PROFILE) if whole else None
    header = render.forecast.plan_header(found) if found else None
    if ui.interactive() and not plain:
        from srs_crss.cli import terminal  # rich: only for a person at a terminal

        fd = sys.stdin.fileno()
        screen = terminal.TerminalScreen(render.views.console(), fd)
        if header:
            screen.note(header)
        with terminal.cbreak(fd, redraw=screen.request_redraw):
            ui.run(session, screen)
    else:
        if ui.at_terminal() and not plain and not ui.single_keys():
            echo(ui.NO_SINGLE_KEYS, err=True)
        plain_screen = ui.PlainScreen(sys.stdin, sys.stdout)
        if header:
            plain_screen.note(header)
        ui.run(session, plain_screen)


def stats(opening: Opening, deck: str | None, as_json: bool) -> None:
    application = opening()
    report = application.stats(deck)
    # the exam-day forecast covers every deck studied: shown with the whole picture only
    whole = deck is None
    found = application.forecasting.readiness_if_quick(DEFAULT_PROFILE) if whole else None
    if as_json:
        data = render.shapes.report_json(report)
        if whole:
            data["exam_forecast"] = render.forecast.readiness_json(found) if found else None
        print_json(data)
    else:
        console = render.views.console()
        render.views.print_stats(console, report)
        for line in render.forecast.summary_lines(found) if whole else ():
            console.print(line, markup=False, highlight=False)  # wrapped to the window


def check_cram_options(
    cram: bool, mistakes: int | None, ahead: int | None, new: int | None
) -> None:
    """Options that contradict each other are refused, not quietly combined."""
    if mistakes is not None and ahead is not None:
        raise UsageError(
            "--mistakes and --ahead choose different cards to cram (the cards you failed, "
            "or the cards due soon): use one of them"
        )
    if new is not None and (cram or mistakes is not None or ahead is not None):
        chosen = "--cram" if cram else "--mistakes" if mistakes is not None else "--ahead"
        raise UsageError(
            f"--new does not go with {chosen}: cramming goes over cards you have already "
            "seen (new cards come with plain review)"
        )
