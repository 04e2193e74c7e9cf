"""Study commands: review, decks, show, stats (what review, decks and stats do is in
cli/studying.py, shared with the quick entry, cli/quick.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from srs_crss.cli import render, studying
from srs_crss.cli.studying import MAX_CARDS
from srs_crss.cli.typerapp import JsonOption, commands, open_app, print_json
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY

CardArgument = Annotated[
    str, typer.Argument(metavar="DECK/CARD", help="e.g. crss/seed-essential-quality")
]


@commands.command()
def decks(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """List decks with total, new, due-today and retired card counts."""
    studying.decks(lambda: open_app(ctx), as_json)


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
    studying.review(
        lambda: open_app(ctx), deck, new, limit, tag, domain, cram, mistakes, ahead, plain
    )


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
    studying.stats(lambda: open_app(ctx), deck, as_json)
