"""The `srs-crss` command line: thin typer commands over srs_crss.service.

Each command builds the App from the global options, calls one method and
prints the result. Errors from the library (SrsError) become "Error: ..."
on stderr with their exit code; nothing shows a traceback to a user.
Heavy imports (SQLAlchemy, rich, genanki) happen inside commands, so
`--help` and `--version` stay fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from srs_crss import __version__
from srs_crss.errors import SrsError

if TYPE_CHECKING:
    from srs_crss.service import App

DEBUG_ENV = "SRS_CRSS_DEBUG"
DB_ENV = "SRS_CRSS_DB"
LEARNER_ENV = "SRS_CRSS_LEARNER"
ROLLOVER_ENV = "SRS_CRSS_ROLLOVER_HOUR"


class _Group(TyperGroup):
    """Turns library errors into a one-line message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SrsError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # the reader went away (e.g. `| head`): stop quietly, like other tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            typer.echo(
                f"Error: unexpected {type(exc).__name__}: {exc} "
                f"(set {DEBUG_ENV}=1 for details; please report this)",
                err=True,
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="srs-crss",
    help="Spaced repetition (exact SM-2) for peer recovery certification exams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"srs-crss {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            envvar=DB_ENV,
            help="Database: a file path or any SQLAlchemy URL. "
            "Default: srs-crss.db in the per-user app folder.",
            show_default=False,
        ),
    ] = None,
    learner: Annotated[
        str | None,
        typer.Option(
            "--learner",
            metavar="NAME",
            envvar=LEARNER_ENV,
            help="Whose progress to use (default: your OS user name).",
            show_default=False,
        ),
    ] = None,
    rollover_hour: Annotated[
        int,
        typer.Option(
            "--rollover-hour",
            metavar="HOUR",
            envvar=ROLLOVER_ENV,
            help="Hour (0-23, local time) at which a new study day starts.",
        ),
    ] = 4,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Spaced repetition (exact SM-2) for peer recovery certification exams."""
    from srs_crss.service import Settings, default_database, default_learner

    ctx.obj = Settings(
        database=db or default_database(typer.get_app_dir("srs-crss")),
        learner=learner or default_learner(),
        rollover_hour=rollover_hour,
    )


def _app(ctx: typer.Context) -> App:
    from srs_crss.service import App

    application = App(ctx.obj)
    ctx.call_on_close(application.close)
    return application


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command()
def sync(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Deck files or folders of them (default: the bundled decks).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load deck files into the database, keeping every learner's history.

    All files are checked first; one bad file means nothing is applied.
    """
    from srs_crss import render
    from srs_crss.deckfile import bundled_deck_dir

    report = _app(ctx).sync(paths or [bundled_deck_dir()])
    for line in render.sync_lines(report):
        typer.echo(line)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Deck files or folders of them (default: the bundled decks).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) when there are warnings.")
    ] = False,
) -> None:
    """Check deck files for authors: errors as sync reports them, plus quality warnings.

    Never touches the database. Exit 2 if a file does not load; with --strict,
    exit 1 if there are warnings.
    """
    from srs_crss.deckfile import bundled_deck_dir, load_decks
    from srs_crss.quality import check_decks

    decks = load_decks(paths or [bundled_deck_dir()])
    warnings = check_decks(decks)
    for warning in warnings:
        typer.echo(str(warning))
    cards = sum(len(deck.cards) for deck in decks)
    files = "file" if len(decks) == 1 else "files"
    typer.echo(f"{len(decks)} {files}, {cards} cards, {len(warnings)} warnings")
    if strict and warnings:
        raise typer.Exit(1)


@app.command()
def decks(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """List decks with total, new, due-today and retired card counts."""
    from srs_crss import render

    summaries = _app(ctx).decks()
    if as_json:
        _print_json(render.decks_json(summaries))
    else:
        render.console().print(render.decks_table(summaries))


@app.command()
def show(
    ctx: typer.Context,
    card_id: Annotated[
        str, typer.Argument(metavar="DECK/CARD", help="e.g. crss/empathy-core-quality")
    ],
    as_json: JsonOption = False,
) -> None:
    """Show a card's content, your state on it and its full review history."""
    from srs_crss import render

    view = _app(ctx).show(card_id)
    if as_json:
        _print_json(render.card_json(view))
    else:
        render.print_card(render.console(), view)


@app.command()
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
            metavar="N",
            help="New cards this session (default: what is left of today's limit of 20).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
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
) -> None:
    """Study: due cards first, then new ones. Keys: Space reveal, 0-5 grade, u undo, q quit.

    In a terminal each key acts at once. With piped input, one key per line
    (reveal is implied; for a multiple-choice card, the letter then the grade).
    """
    from srs_crss import ui
    from srs_crss.model import Scope
    from srs_crss.session import QueueOptions

    options = QueueOptions(
        scope=Scope(decks=tuple(deck or ()), tag=tag, domain=domain), new=new, limit=limit
    )
    session = _app(ctx).review_session(options)
    if ui.interactive():
        from srs_crss import render

        fd = sys.stdin.fileno()
        with ui.cbreak(fd):
            ui.run(session, ui.TerminalScreen(render.console(), fd))
    else:
        ui.run(session, ui.PlainScreen(sys.stdin, sys.stdout))


@app.command("export-anki")
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
    from srs_crss import render

    console = render.console(stderr=True)
    with render.export_progress(console) as (on_start, advance):
        result = _app(ctx).export_anki(deck or [], out, scheduling, advance, on_start)
    carried = f", {result.reviews} reviews carried" if scheduling else " (all as new cards)"
    typer.echo(f"Wrote {result.path}: {result.notes} notes, {result.cards} cards{carried}")


@app.command()
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
    from srs_crss import render
    from srs_crss.stats import report_json

    report = _app(ctx).stats(deck)
    if as_json:
        _print_json(report_json(report))
    else:
        render.print_stats(render.console(), report)


exam_app = typer.Typer(
    cls=_Group,
    help="Plan for an exam date: no card scheduled past it, every card seen a week before.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(exam_app, name="exam")

DeckOption = Annotated[
    str | None,
    typer.Option("--deck", metavar="ID", help="The deck (default: the exam covers all decks)."),
]


@exam_app.command("set")
def exam_set(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(metavar="YYYY-MM-DD", help="The exam date.")],
    deck: DeckOption = None,
) -> None:
    """Set (or move) your exam date, for one deck or all decks."""
    from srs_crss import render

    application = _app(ctx)
    plan = application.exam_set(date, deck)
    scope = f"deck {deck}" if deck else "all decks"
    typer.echo(f"Exam set for {plan.exam_day.isoformat()} ({scope}).")
    for report in application.exam_reports():
        if report.plans and report.plans[0].deck == deck:
            render.print_plan(render.console(), report.plans[0], report)


@exam_app.command("show")
def exam_show(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show the plan for each exam: days left, new cards a day, expected reviews, readiness."""
    from srs_crss import render
    from srs_crss.stats import plan_json, readiness

    reports = _app(ctx).exam_reports()
    if as_json:
        _print_json(
            [
                plan_json(r.plans[0]) | {"readiness": [readiness(d) for d in r.stats.domains]}
                for r in reports
            ]
        )
        return
    if not reports:
        typer.echo("No exam date set. Set one with: srs-crss exam set YYYY-MM-DD [--deck ID]")
        return
    console = render.console()
    for report in reports:
        render.print_plan(console, report.plans[0], report)


@exam_app.command("clear")
def exam_clear(ctx: typer.Context, deck: DeckOption = None) -> None:
    """Remove an exam date (scheduling goes back to plain SM-2)."""
    scope = f"deck {deck}" if deck else "all decks"
    if _app(ctx).exam_clear(deck):
        typer.echo(f"Exam date cleared ({scope}).")
    else:
        typer.echo(f"No exam date was set ({scope}).")


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="srs-crss")
    except KeyboardInterrupt:  # pragma: no cover - interrupted before a command ran
        sys.exit(130)
