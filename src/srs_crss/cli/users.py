"""Cohort accounts: users add, list, reset, remove (for `serve --cohort`).

Run by whoever runs the server, against the server's database (--db). No
password is ever printed except the one-time password of `add` and `reset`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import Group, JsonOption, commands, open_app, print_json
from srs_crss.errors import UsageError

if TYPE_CHECKING:
    from srs_crss.cohort.accounts import NewPassword

users_app = typer.Typer(
    cls=Group,
    help="Accounts for a cohort server: who may sign in, as a learner or an instructor.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
commands.add_typer(users_app, name="users")

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The account's name.")]


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: NameArgument,
    instructor: Annotated[
        bool, typer.Option("--instructor", help="An instructor: sees the class, studies nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create an account and print its one-time password."""
    from srs_crss.cohort.accounts import Role

    made = open_app(ctx).accounts.add(name, Role.INSTRUCTOR if instructor else Role.LEARNER)
    _show_password(made, as_json, reset=False)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every account, its role, and whether it still has a one-time password."""
    accounts = open_app(ctx).accounts.all()
    if as_json:
        print_json([render.cohort.account_json(account) for account in accounts])
    else:
        for line in render.cohort.accounts_lines(accounts):
            typer.echo(line)


@users_app.command("reset")
def users_reset(ctx: typer.Context, name: NameArgument, as_json: JsonOption = False) -> None:
    """A new one-time password for someone who forgot theirs (signs them out everywhere)."""
    _show_password(open_app(ctx).accounts.reset(name), as_json, reset=True)


@users_app.command("remove")
def users_remove(
    ctx: typer.Context,
    name: NameArgument,
    keep_history: Annotated[
        bool | None,
        typer.Option(
            "--keep-history/--delete-history",
            help="Keep their answers and progress, or delete them too (asked when not given).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Remove an account, keeping or deleting the learner's study history."""
    application = open_app(ctx)
    application.accounts.get(name)  # an unknown name is said before any question
    if keep_history is None:
        if not sys.stdin.isatty():
            raise UsageError(
                "say whether to keep their study history: --keep-history or --delete-history"
            )
        keep_history = not typer.confirm(
            f"Also delete all of {name!r}'s study history? It cannot be undone", default=False
        )
    removed = application.accounts.remove(name, keep_history=keep_history)
    typer.echo(render.cohort.removed_line(removed, kept=keep_history))


def _show_password(made: NewPassword, as_json: bool, *, reset: bool) -> None:
    if as_json:
        print_json(render.cohort.new_password_json(made))
    else:
        for line in render.cohort.new_password_lines(made, reset=reset):
            typer.echo(line)


cohort_app = typer.Typer(
    cls=Group,
    help="Running a cohort server: the database, the class's exam date.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
commands.add_typer(cohort_app, name="cohort")


@cohort_app.command("setup-db")
def cohort_setup_db(
    ctx: typer.Context,
    app_role: Annotated[
        str,
        typer.Option(
            "--app-role",
            metavar="ROLE",
            help="The PostgreSQL role the server connects as (created if missing).",
        ),
    ],
) -> None:
    """Upgrade the schema and make PostgreSQL keep learners apart (run as the tables' owner)."""
    application = open_app(ctx)
    secured = application.cohort.setup_database(app_role)
    for line in render.cohort.setup_lines(app_role, secured, application.store.location.display()):
        typer.echo(line)


exam_app = typer.Typer(
    cls=Group,
    help="The class's exam date: used by every learner who has not set their own.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
cohort_app.add_typer(exam_app, name="exam")
DeckOption = Annotated[
    str | None, typer.Option("--deck", metavar="ID", help="For this deck only (default: all).")
]


@exam_app.command("set")
def cohort_exam_set(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(metavar="YYYY-MM-DD")],
    deck: DeckOption = None,
) -> None:
    """Set the class's exam date."""
    day = open_app(ctx).cohort.set_exam(date, deck)
    typer.echo(render.cohort.cohort_exam_line(day, deck))


@exam_app.command("clear")
def cohort_exam_clear(ctx: typer.Context, deck: DeckOption = None) -> None:
    """Remove the class's exam date (learners' own dates stay)."""
    done = open_app(ctx).cohort.clear_exam(deck)
    typer.echo(render.cohort.cohort_exam_line(None, deck, done))


@commands.command("class")
def class_table(
    ctx: typer.Context,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (for a spreadsheet).")] = False,
) -> None:
    """For instructors: every learner's progress, and who is at risk."""
    application = open_app(ctx)
    rows, risks = application.cohort.class_table()
    if as_csv:
        typer.echo(render.cohort.class_csv(rows, risks), nl=False)
    elif as_json:
        print_json(render.cohort.class_json(rows, risks))
    else:
        for line in render.cohort.class_lines(rows, risks, application.today()):
            typer.echo(line)


@commands.command("items")
def items(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """For authors: how each practice-exam item fared across the class."""
    stats = open_app(ctx).cohort.items()
    if as_json:
        print_json(render.cohort.items_json(stats))
    else:
        for line in render.cohort.items_lines(stats):
            typer.echo(line)
