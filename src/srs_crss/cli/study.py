"""Study commands: review, decks, show, stats."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.app import JsonOption, commands, open_app, print_json
from srs_crss.errors import UsageError
from srs_crss.exams.profiles import DEFAULT_PROFILE
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY

MAX_CARDS = 100_000
"""The most cards --new and --limit accept (far more than a day's study)."""

CardArgument = Annotated[
    str, typer.Argument(metavar="DECK/CARD", help="e.g. crss/seed-essential-quality")
]


@commands.command()
def decks(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """List decks with total, new, due-today and retired card counts."""
    summaries = open_app(ctx).decks()
    if as_json:
        print_json(render.shapes.decks_json(summaries))
    else:
        render.views.console().print(render.views.decks_table(summaries))


TopicDeck = Annotated[
    str | None, typer.Option("--deck", metavar="ID", help="Only this deck (default: all).")
]


@commands.command()
def domains(ctx: typer.Context, deck: TopicDeck = None, as_json: JsonOption = False) -> None:
    """List the exam domains (for review --domain) with their card counts.

    Without --deck: the decks review studies (an optional deck only with --deck)."""
    _topics(ctx, deck, as_json, "domains")


@commands.command()
def tags(ctx: typer.Context, deck: TopicDeck = None, as_json: JsonOption = False) -> None:
    """List the tags (for review --tag) with their card counts.

    Without --deck: the decks review studies (an optional deck only with --deck)."""
    _topics(ctx, deck, as_json, "tags")


def _topics(ctx: typer.Context, deck: str | None, as_json: bool, kind: str) -> None:
    topics = open_app(ctx).topics(deck)
    counts = topics.domains if kind == "domains" else topics.tags
    if as_json:
        print_json(render.shapes.counts_json(counts, "domain" if kind == "domains" else "tag"))
    else:
        render.views.console().print(render.views.counts_table(counts, kind))


@commands.command()
def info(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Where your data lives (to back it up), who you are studying as, and what it holds."""
    details = open_app(ctx).info()
    if as_json:
        print_json(render.shapes.info_json(details))
    else:
        for line in render.text.info_lines(details):
            typer.echo(line)


@commands.command()
def flag(
    ctx: typer.Context,
    card_id: CardArgument,
    note: Annotated[str, typer.Argument(metavar="NOTE", help="What looks wrong, in a few words.")],
) -> None:
    """Tell the deck's authors a card looks wrong (it changes nothing in your study)."""
    application = open_app(ctx)
    flagged = application.marks.flag(card_id, note)
    typer.echo(render.text.flag_line(flagged, application.store.sqlite_file))


@commands.command()
def suspend(ctx: typer.Context, card_id: CardArgument) -> None:
    """Take a card out of review until you unsuspend it (its history is kept)."""
    card, changed = open_app(ctx).marks.suspend(card_id)
    typer.echo(render.text.suspend_line(card, True, changed))


@commands.command()
def unsuspend(ctx: typer.Context, card_id: CardArgument) -> None:
    """Bring a suspended card back into review."""
    card, changed = open_app(ctx).marks.suspend(card_id, suspend=False)
    typer.echo(render.text.suspend_line(card, False, changed))


@commands.command()
def flags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """For deck authors: every card learners flagged, with their notes and its source."""
    found = open_app(ctx).marks.all_flags()
    if as_json:
        print_json(render.shapes.flags_json(found))
    else:
        render.views.echo_lines(render.text.flags_lines(found))


@commands.command()
def show(
    ctx: typer.Context,
    card_id: CardArgument,
    as_json: JsonOption = False,
) -> None:
    """Show a card's content, your state on it and its full review history."""
    view = open_app(ctx).show(card_id)
    if as_json:
        print_json(render.shapes.card_json(view))
    else:
        render.views.print_card(render.views.console(), view)


@commands.command()
def review(
    ctx: typer.Context,
    deck: Annotated[
        list[str] | None, typer.Option("--deck", metavar="ID", help="Only this deck (repeatable).")
    ] = None,
    new: Annotated[
        int | None,
        typer.Option(
            "--new",
            min=0,
            max=MAX_CARDS,
            metavar="N",
            help="New cards this session (default: what is left of today's limit of "
            f"{DEFAULT_NEW_PER_DAY}).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            max=MAX_CARDS,
            metavar="N",
            help="At most this many cards this session.",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", metavar="TAG", help="Only cards with this tag.")
    ] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", metavar="NAME", help="Only cards of this exam domain.")
    ] = None,
    cram: Annotated[
        bool,
        typer.Option(
            "--cram",
            help="Go over cards you have seen (with --deck, --domain, --tag) without changing "
            "their schedule.",
        ),
    ] = False,
    mistakes: Annotated[
        int | None,
        typer.Option(
            "--mistakes",
            min=1,
            max=365,
            metavar="DAYS",
            help="Cram the cards you failed in the last DAYS days (1: today's mistakes).",
            show_default=False,
        ),
    ] = None,
    ahead: Annotated[
        int | None,
        typer.Option(
            "--ahead",
            min=0,
            max=365,
            metavar="DAYS",
            help="Cram the cards due within DAYS days.",
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain lines, one answer per line (for screen readers): the answer is read "
            "out only after an empty line.",
        ),
    ] = False,
) -> None:
    """Study: due cards first, then new ones. Keys: Space reveal, 0-5 grade, u undo, q quit.

    In a terminal each key acts at once. With --plain or piped input, one key per
    line: an empty line shows the answer, then the grade (or the grade at once);
    for a multiple-choice card, the letter, then the grade.
    """
    _check_cram_options(cram, mistakes, ahead, new)
    application = open_app(ctx)
    session = application.review_session(
        decks=deck or (),
        tag=tag,
        domain=domain,
        new=new,
        limit=limit,
        cram=cram or mistakes is not None or ahead is not None,
        mistakes=mistakes,
        ahead=ahead,
    )
    from srs_crss.cli import ui  # the review loop: loaded only to review

    # today's plan above the first card, for the day's whole review with an exam date set
    whole = not (deck or tag or domain or cram or mistakes is not None or ahead is not None)
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
            typer.echo(ui.NO_SINGLE_KEYS, err=True)
        plain_screen = ui.PlainScreen(sys.stdin, sys.stdout)
        if header:
            plain_screen.note(header)
        ui.run(session, plain_screen)


@commands.command()
def stats(
    ctx: typer.Context,
    deck: Annotated[
        str | None, typer.Option("--deck", metavar="ID", help="Only this deck.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Your progress: today, streak, a year of reviews, retention, domains, forecast.

    Also the hardest cards, and the exam plan and readiness when an exam date is set.
    """
    application = open_app(ctx)
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


def _check_cram_options(
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
