"""The quick entry: `review`, `decks` and `stats` in their plain forms, without typer.

Importing typer and building the typer app costs about 20 ms of every start
(issue 30), more than anything these commands do before their first line. So
`parse` reads the command lines it is sure of: the global options, then one of
these commands with its own options, each given once in full (`--deck X` or
`--deck=X`), values that convert and lie in range. It hands back None for
anything else (`--help`, a slip, an unknown option, a value out of range, an
option given twice), and the typer app parses that line from the start, so every
mistake gets click's message and usage line as before.

The options here are the typer commands' own (cli/study.py, cli/typerapp.py): a
test compares them with the click parameters typer builds, and checks that every
line `parse` reads, click reads the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from srs_crss.cli import entry, studying
from srs_crss.cli.entry import DB_ENV, LEARNER_ENV, ROLLOVER_ENV, Options


class Opt(NamedTuple):
    """One option as click knows it: its name, its parameter, its type and range."""

    name: str
    param: str
    kind: type[Any]  # str, int, or bool (a flag)
    many: bool = False
    low: int | None = None
    high: int | None = None
    envvar: str | None = None


GLOBAL = (
    Opt("--db", "db", str, envvar=DB_ENV),
    Opt("--learner", "learner", str, envvar=LEARNER_ENV),
    Opt("--rollover-hour", "rollover_hour", int, envvar=ROLLOVER_ENV),
)
JSON = Opt("--json", "as_json", bool)
COMMANDS: dict[str, tuple[Opt, ...]] = {
    "review": (
        Opt("--deck", "deck", str, many=True),
        Opt("--new", "new", int, low=0, high=studying.MAX_CARDS),
        Opt("--limit", "limit", int, low=1, high=studying.MAX_CARDS),
        Opt("--tag", "tag", str),
        Opt("--domain", "domain", str),
        Opt("--cram", "cram", bool),
        Opt("--mistakes", "mistakes", int, low=1, high=365),
        Opt("--ahead", "ahead", int, low=0, high=365),
        Opt("--plain", "plain", bool),
    ),
    "decks": (JSON,),
    "stats": (Opt("--deck", "deck", str), JSON),
}
RUN: dict[str, Callable[..., None]] = {
    "review": studying.review,
    "decks": studying.decks,
    "stats": studying.stats,
}


class Parsed(NamedTuple):
    options: Options
    command: str
    values: dict[str, Any]
    """Every parameter of the command: as given, else its default (None, or False)."""


def parse(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Parsed | None:
    """The command line read as the typer app reads it, or None where unsure."""
    given: dict[str, Any] = {}
    at = 0
    while at < len(argv) and argv[at].startswith("-"):
        taken = _take(GLOBAL, argv, at, given)
        if taken is None:
            return None
        at = taken
    if at >= len(argv) or argv[at] not in COMMANDS:
        return None
    command, at = argv[at], at + 1
    values: dict[str, Any] = {}
    while at < len(argv):
        taken = _take(COMMANDS[command], argv, at, values)
        if taken is None:
            return None
        at = taken
    for opt in GLOBAL:  # click reads a variable only for an option not given
        found = environ.get(opt.envvar or "")
        if opt.param not in given and found:  # (an empty one counts as unset)
            value = _convert(opt, found)
            if value is None:
                return None
            given[opt.param] = value
    options = Options(**{opt.param: given.get(opt.param) for opt in GLOBAL})
    for opt in COMMANDS[command]:
        values.setdefault(opt.param, False if opt.kind is bool else None)
    return Parsed(options, command, values)


def _take(spec: Sequence[Opt], argv: Sequence[str], at: int, into: dict[str, Any]) -> int | None:
    """Read the option at `argv[at]` into `into`; where the next one starts, or None."""
    name, equals, inline = argv[at].partition("=")
    opt = next((o for o in spec if o.name == name), None)
    if opt is None:
        return None
    if opt.kind is bool:
        if equals:
            return None
        into[opt.param] = True
        return at + 1
    if equals:
        raw, after = inline, at + 1
    elif at + 1 < len(argv) and not argv[at + 1].startswith("-"):
        raw, after = argv[at + 1], at + 2
    else:
        return None
    value = _convert(opt, raw)
    if value is None:
        return None
    if opt.many:
        into[opt.param] = (*into.get(opt.param, ()), value)
    elif opt.param in into:
        return None
    else:
        into[opt.param] = value
    return after


def _convert(opt: Opt, raw: str) -> Any:
    """The value as click converts it (int() for a number), or None where click would
    refuse it (it says why)."""
    if opt.kind is str:
        return raw
    try:
        number = int(raw)
    except ValueError:
        return None
    if (opt.low is not None and number < opt.low) or (opt.high is not None and number > opt.high):
        return None
    return number


def run(argv: Sequence[str]) -> int | None:
    """Run the command line if `parse` reads it: its exit code; else None."""
    parsed = parse(argv)
    if parsed is None:
        return None
    entry.never_fail_to_print()
    entry.hold_collector()
    closing: list[Callable[[], None]] = []
    try:
        try:
            opening = lambda: entry.open_app(parsed.options, closing.append)  # noqa: E731
            RUN[parsed.command](opening, **parsed.values)
        finally:
            for close in closing:
                close()
            entry.release_collector(freeze=False)  # (if the command did not)
    except BaseException as exc:
        code = entry.failure(exc, parsed.options)
        if code is None:
            raise
        return code
    return 0
