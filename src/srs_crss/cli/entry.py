"""What every command shares as it runs, without typer: the error boundary, the
settings, printing, the exit.

The quick entry (cli/quick.py) and the typer app (cli/typerapp.py) both use these,
so a command behaves the same whichever way it was started.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from srs_crss.errors import SrsError
from srs_crss.untrusted.text import hide_parameters, json_safe, passwords_in, visible

if TYPE_CHECKING:
    from srs_crss.service import App
    from srs_crss.settings.run import Settings

DEBUG_ENV = "SRS_CRSS_DEBUG"
DB_ENV = "SRS_CRSS_DB"
LEARNER_ENV = "SRS_CRSS_LEARNER"
ROLLOVER_ENV = "SRS_CRSS_ROLLOVER_HOUR"
APP_NAME = "srs-crss"


class Options(NamedTuple):
    """The global options, as given (defaults are resolved by `settings_of`)."""

    db: str | None
    learner: str | None
    rollover_hour: int | None


_collector_held = False
_frozen = False


def hold_collector() -> None:
    """Start-up allocates much and frees little (modules, classes, the first page of
    cards): Python's cycle collector would only walk it, again and again (15-35 ms of
    a review's first card here). So the quick entry holds it off while a command
    starts, and lets it go when the command ends, or where a command goes on (the
    review, once the first card is on screen: `release_collector`)."""
    global _collector_held
    if gc.isenabled():
        gc.disable()
        _collector_held = True


def release_collector(freeze: bool = True) -> None:
    """Start-up is over: the collector runs as usual. With `freeze` (once a process),
    what start-up built first goes to the collector's permanent generation, so no
    later collection (a full one would take 10-20 ms of some answer) walks it."""
    global _collector_held, _frozen
    if not _collector_held:
        return
    _collector_held = False
    if freeze and not _frozen:
        _frozen = True
        gc.freeze()
    gc.enable()


def failure(exc: BaseException, options: Options | None) -> int | None:
    """Say what went wrong in one line and give the exit code, for an error from the
    library (its own code), an interruption (130), a reader gone away (0), or a bug
    ("unexpected", 1); None for anything else (the caller lets it through).

    Usage mistakes are the typer app's (click's message with the usage line, exit 2).
    """
    if isinstance(exc, SrsError):
        echo(f"Error: {shown(options, exc)}", err=True)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        echo("", err=True)
        return 130
    if isinstance(exc, BrokenPipeError):
        # the reader went away (e.g. `| head`): stop quietly, like other tools
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if isinstance(exc, Exception) and not os.environ.get(DEBUG_ENV):
        echo(
            f"Error: unexpected {type(exc).__name__}: {shown(options, exc)} "
            f"(set {DEBUG_ENV}=1 for details; please report this)",
            err=True,
        )
        return 1
    return None


def shown(options: Options | None, exc: BaseException) -> str:
    """An error's text fit to print: control characters escaped (it may quote a file),
    and the --db password hidden wherever a driver's message repeats the URL."""
    text = hide_parameters(str(exc))
    db = options.db if options is not None and options.db else ""
    for secret in passwords_in(db):  # as in a URL; alone where too long to be a common word
        text = text.replace(f":{secret}@", ":***@")
        text = text.replace(secret, "***") if len(secret) >= 6 else text
    return visible(text)


def never_fail_to_print() -> None:
    """Where the terminal cannot show a character (e.g. an ASCII locale), print '?' instead
    of failing: card text has names like Brené, and charts use block characters."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def echo(text: str, err: bool = False) -> None:
    """A line on stdout (or stderr), written at once, as typer.echo writes it."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


def print_json(data: Any) -> None:
    """JSON on stdout: text keeps every character, control characters as JSON escapes."""
    echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))


def open_app(options: Options, on_close: Callable[[Callable[[], None]], Any]) -> App:
    """The App for this run; `on_close` is handed its close, to call when the command ends.

    The library behind it is imported here, when a command runs, and never for
    `--help` (the way pip's create_command imports a command only to run it).
    """
    from srs_crss.service import App

    application = App(settings_of(options), notify=lambda message: echo(visible(message), True))
    on_close(application.close)
    return application


def settings_of(options: Options) -> Settings:
    """The settings of this run: the global options, their defaults resolved."""
    from srs_crss.settings.run import Settings, default_database, default_learner

    return Settings(
        database=options.db or default_database(app_dir()),
        learner=default_learner() if options.learner is None else options.learner,
        rollover_hour=options.rollover_hour,
    )


def app_dir() -> str:
    """The per-user app folder, where click's `get_app_dir("srs-crss")` puts it (a test
    holds the two together): %APPDATA% on Windows, Application Support on macOS, else
    $XDG_CONFIG_HOME (or ~/.config)."""
    if sys.platform.startswith("win"):
        folder = os.environ.get("APPDATA")
        return os.path.join(os.path.expanduser("~") if folder is None else folder, APP_NAME)
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), APP_NAME)
    config = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))
    return os.path.join(config, APP_NAME)


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, once nothing is left to do.

    The command is over and its database closed, so all that teardown would do is
    free, one by one, every object of some 300 modules: about 40 ms of every
    command. Non-daemon threads are waited for and the atexit hooks run (temporary
    folders, weakref finalizers) as at a normal exit; the standard streams are
    flushed, and a pipe closed early is quiet.
    """
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
