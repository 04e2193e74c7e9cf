"""The typer app: global options, the error boundary, and what every command shares.

Errors from the library (SrsError) become "Error: ..." on stderr with their
exit code (cli/entry.py's `failure`); nothing shows a traceback to a user. The
commands live in the modules beside this one (study, exam, authoring, anki),
each registering on `commands`; `app` builds a command's click parameters only
when that command runs (or `--help` shows it), not all of them on every run.
cli/quick.py runs the plain forms of `review`, `decks` and `stats` without
this module; everything else comes here (`full_app`).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from srs_crss import __version__
from srs_crss.cli import entry
from srs_crss.cli.entry import DB_ENV, LEARNER_ENV, ROLLOVER_ENV, Options, failure, print_json

if TYPE_CHECKING:
    from srs_crss.service import App
    from srs_crss.settings.run import Settings

try:  # typer 0.28 carries its own copy of click; earlier ones use the click package
    from typer._click.exceptions import ClickException, NoSuchOption
except ImportError:  # pragma: no cover - depends on the typer release installed
    from click.exceptions import (  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]
        ClickException,
        NoSuchOption,
    )

__all__ = ["Group", "commands", "open_app", "print_json", "settings_of"]

COMMAND_MODULES = (
    "anki",
    "authoring",
    "config",
    "exam",
    "forecast",
    "mock",
    "serve",
    "study",
    "users",
)
"""The modules beside this one that register commands (`full_app` imports them)."""


class Group(TyperGroup):
    """Turns library errors into a one-line message and an exit code.

    Usage mistakes (unknown commands and options, values out of range) are
    click's: its usual message with the usage line, exit 2. "unexpected" is
    kept for real bugs.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NoSuchOption as exc:
            _global_option_hint(exc)
            raise
        except (typer.Exit, typer.Abort, ClickException):
            raise  # usage mistakes: click prints the usage and exits 2
        except BaseException as exc:
            options = ctx.obj if isinstance(ctx.obj, Options) else None
            code = failure(exc, options)
            if code is None:
                raise
            raise typer.Exit(code) from None


GLOBAL_OPTIONS = {"--db": "PATH", "--learner": "NAME", "--rollover-hour": "HOUR"}


def _global_option_hint(exc: NoSuchOption) -> None:
    """A global option given after the command: say where it goes, with the command."""
    option = exc.option_name.split("=", 1)[0]
    if option not in GLOBAL_OPTIONS:
        return
    command = exc.ctx.info_name if exc.ctx is not None else "COMMAND"
    exc.message = (
        f"{option} is a global option: it goes before the command, e.g. "
        f"`srs-crss {option} {GLOBAL_OPTIONS[option]} {command} ...`"
    )


class _Commands(MutableMapping[str, Any]):
    """The registered commands by name, each built into its click command (its
    parameters read from the function's signature) the first time it is looked up:
    typer alone builds all of them, with every parameter, on every run."""

    def __init__(self, registry: typer.Typer, built: MutableMapping[str, Any]) -> None:
        self._infos: dict[str, CommandInfo | TyperInfo] = {}
        for command in registry.registered_commands:
            assert command.callback is not None
            name = command.name or typer.main.get_command_name(command.callback.__name__)
            self._infos[name] = command
        for group in registry.registered_groups:  # after the commands, as typer lists them
            self._infos[typer.main.solve_typer_info_defaults(group).name or ""] = group
        self._built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            info = self._infos[name]  # KeyError: no such command
            if isinstance(info, CommandInfo):
                self._built[name] = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )  # fmt: skip
            else:
                self._built[name] = typer.main.get_group_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short,
                    suggest_commands=app.suggest_commands, rich_markup_mode=app.rich_markup_mode,
                )  # fmt: skip
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._infos.pop(name, None)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._infos), **dict.fromkeys(self._built)})

    def __len__(self) -> int:
        return len(self._infos.keys() | self._built.keys())

    def listed(self, name: str) -> Any:
        """What `--help` shows of a command, without building its parameters."""
        info = self._infos.get(name)
        if name in self._built or info is None:
            return self[name]
        if isinstance(info, TyperInfo):
            info = typer.main.solve_typer_info_defaults(info)
            text = info.help
        else:
            assert info.callback is not None
            text = inspect.getdoc(info.callback) if info.help is None else info.help
        return TyperCommand(
            name=name, help=inspect.cleandoc(text) if isinstance(text, str) else None,
            short_help=info.short_help, hidden=bool(info.hidden), deprecated=info.deprecated,
            rich_markup_mode=app.rich_markup_mode,
        )  # fmt: skip


class Root(Group):
    """The top-level group: its commands come from `commands`, built one at a time. A
    line the quick entry reads (cli/quick.py) it runs, as `srs-crss` does, so the
    typer app (and every test driving it) behaves as the program does."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lazy = _Commands(commands, self.commands)
        self.commands = self.lazy

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        if options.get("standalone_mode", True):
            from srs_crss.cli import quick

            code = quick.run(sys.argv[1:] if args is None else list(args))
            if code is not None:
                sys.exit(code)  # as click's standalone mode ends a run
        return super().main(args, *rest, **options)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        shown = [(name, self.lazy.listed(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in shown if not command.hidden]
        if rows:  # as click lays them out (typer.core.TyperGroup.format_commands)
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, c.get_short_help_str(limit)) for name, c in rows])


commands = typer.Typer()
"""Where the command modules register their commands and groups (see Root)."""

app = typer.Typer(
    cls=Root,
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
        int | None,
        typer.Option(
            "--rollover-hour",
            metavar="HOUR",
            envvar=ROLLOVER_ENV,
            help="Hour (0-23, local time) at which a new study day starts "
            "(default: your setting, else 4).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Spaced repetition (exact SM-2) for peer recovery certification exams."""
    entry.never_fail_to_print()
    ctx.obj = Options(db=db, learner=learner, rollover_hour=rollover_hour)


def full_app() -> typer.Typer:
    """The typer app with every command registered (their modules imported)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"srs_crss.cli.{name}")
    return app


def open_app(ctx: typer.Context) -> App:
    """The App for this run (cli/entry.py), closed when the command ends."""
    return entry.open_app(ctx.obj, ctx.call_on_close)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this run: the global options, their defaults resolved."""
    return entry.settings_of(ctx.obj)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DeckFiles = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Deck files or folders of them (default: the bundled decks).", show_default=False
    ),
]
