"""The typer app: global options, the error boundary, and what every command shares.

Errors from the library (SrsError) become "Error: ..." on stderr with their
exit code; nothing shows a traceback to a user. The commands live in the
modules beside this one (study, exam, authoring, anki), each registering
on `commands`; `app` builds a command's click parameters only when that
command runs (or `--help` shows it), not all of them on every run.
"""

from __future__ import annotations

import atexit
import inspect
import json
import os
import sys
import threading
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from srs_crss import __version__
from srs_crss.errors import SrsError
from srs_crss.untrusted.text import hide_parameters, json_safe, passwords_in, visible

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

DEBUG_ENV = "SRS_CRSS_DEBUG"
DB_ENV = "SRS_CRSS_DB"
LEARNER_ENV = "SRS_CRSS_LEARNER"
ROLLOVER_ENV = "SRS_CRSS_ROLLOVER_HOUR"


class Group(TyperGroup):
    """Turns library errors into a one-line message and an exit code.

    Usage mistakes (unknown commands and options, values out of range) are
    click's: its usual message with the usage line, exit 2. "unexpected" is
    kept for real bugs.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SrsError as exc:
            typer.echo(f"Error: {_shown(ctx, exc)}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # the reader went away (e.g. `| head`): stop quietly, like other tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except NoSuchOption as exc:
            _global_option_hint(exc)
            raise
        except (typer.Exit, typer.Abort, ClickException):
            raise  # usage mistakes: click prints the usage and exits 2
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            typer.echo(
                f"Error: unexpected {type(exc).__name__}: {_shown(ctx, exc)} "
                f"(set {DEBUG_ENV}=1 for details; please report this)",
                err=True,
            )
            raise typer.Exit(1) from None


def _shown(ctx: Any, exc: BaseException) -> str:
    """An error's text fit to print: control characters escaped (it may quote a file),
    and the --db password hidden wherever a driver's message repeats the URL."""
    text = hide_parameters(str(exc))
    options = ctx.obj
    db = options.db if isinstance(options, Options) and options.db else ""
    for secret in passwords_in(db):  # as in a URL; alone where too long to be a common word
        text = text.replace(f":{secret}@", ":***@")
        text = text.replace(secret, "***") if len(secret) >= 6 else text
    return visible(text)


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
    """The top-level group: its commands come from `commands`, built one at a time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lazy = _Commands(commands, self.commands)
        self.commands = self.lazy

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
    _never_fail_to_print()
    ctx.obj = Options(db=db, learner=learner, rollover_hour=rollover_hour)


def _never_fail_to_print() -> None:
    """Where the terminal cannot show a character (e.g. an ASCII locale), print '?' instead
    of failing: card text has names like Brené, and charts use block characters."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


class Options(NamedTuple):
    """The global options, as given (defaults are resolved by open_app)."""

    db: str | None
    learner: str | None
    rollover_hour: int | None


def open_app(ctx: typer.Context) -> App:
    """The App for this run, closed when the command ends.

    The library behind it is imported here, when a command runs, and never for
    `--help` (the way pip's create_command imports a command only to run it).
    """
    from srs_crss.service import App

    application = App(
        settings_of(ctx), notify=lambda message: typer.echo(visible(message), err=True)
    )
    ctx.call_on_close(application.close)
    return application


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this run: the global options, their defaults resolved."""
    from srs_crss.settings.run import Settings, default_database, default_learner

    options: Options = ctx.obj
    return Settings(
        database=options.db or default_database(typer.get_app_dir("srs-crss")),
        learner=default_learner() if options.learner is None else options.learner,
        rollover_hour=options.rollover_hour,
    )


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DeckFiles = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Deck files or folders of them (default: the bundled decks).", show_default=False
    ),
]


def print_json(data: Any) -> None:
    """JSON on stdout: text keeps every character, control characters as JSON escapes."""
    typer.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="srs-crss")
    except KeyboardInterrupt:  # pragma: no cover - interrupted before a command ran
        _exit_now(130)
    except SystemExit as done:  # typer ends every run with one
        code = done.code
        _exit_now(code if isinstance(code, int) else 0 if code is None else 1, str_code=code)
    _exit_now(0)


def _exit_now(code: int, str_code: object = None) -> None:
    """End the process without the interpreter's teardown, once nothing is left to do.

    The command is over and its database closed (the click context's close hook),
    so all that teardown would do is free, one by one, every object of some 300
    modules: about 40 ms of every command. Non-daemon threads are waited for and
    the atexit hooks run (temporary folders, weakref finalizers) as at a normal
    exit; the standard streams are flushed, and a pipe closed early is quiet.
    """
    if isinstance(str_code, str):  # sys.exit("message"): printed, exit status 1
        print(str_code, file=sys.stderr)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (ValueError, OSError):  # closed, or a reader gone away (`| head`): nothing to say
            pass
    os._exit(code)
