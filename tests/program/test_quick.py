"""The quick entry (cli/quick.py) reads a command line exactly as the typer app does,
or leaves it to the typer app; and it is what `srs-crss review/decks/stats` run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from srs_crss.cli import app, entry, quick
from tests.conftest import NOW

_ENV_NAMES = (entry.DB_ENV, entry.LEARNER_ENV, entry.ROLLOVER_ENV)


def _root() -> Any:
    return typer.main.get_command(app)


def _options(params: list[Any]) -> dict[str, Any]:
    return {p.name: p for p in params if p.name not in ("help", "version")}


def _spec(opt: quick.Opt) -> dict[str, Any]:
    return {
        "names": [opt.name],
        "flag": opt.kind is bool,
        "many": opt.many,
        "number": opt.kind is int,
        "range": (opt.low, opt.high),
        "envvar": opt.envvar,
    }


def _click(param: Any) -> dict[str, Any]:
    return {
        "names": [*param.opts, *param.secondary_opts],
        "flag": bool(param.is_flag),
        "many": bool(param.multiple),
        "number": param.type.name.startswith("int"),
        "range": (getattr(param.type, "min", None), getattr(param.type, "max", None)),
        "envvar": param.envvar,
    }


def test_the_quick_options_are_the_typer_commands_own() -> None:
    root = _root()
    assert {name: _spec(o) for o in quick.GLOBAL for name in [o.param]} == {
        name: _click(p) for name, p in _options(root.params).items()
    }
    for command, spec in quick.COMMANDS.items():
        built = root.commands[command]
        assert {o.param: _spec(o) for o in spec} == {
            name: _click(p) for name, p in _options(built.params).items()
        }, command
        assert not any(p.param_type_name == "argument" for p in built.params), command
    assert set(quick.RUN) == set(quick.COMMANDS)


def _clicks_reading(argv: list[str], environ: dict[str, str]) -> tuple[Any, str, dict[str, Any]]:
    """How click reads the line: the global options, the command, its parameters."""
    saved = {name: os.environ.pop(name, None) for name in _ENV_NAMES}
    os.environ.update(environ)
    try:
        root = _root()
        ctx = root.make_context("srs-crss", list(argv))
        name, command, rest = root.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        sub = command.make_context(name, rest, parent=ctx)
        given = {k: v for k, v in ctx.params.items() if k != "version"}
        assert not ctx.params["version"]
        return entry.Options(**given), name, dict(sub.params)
    finally:
        for name in _ENV_NAMES:
            os.environ.pop(name, None)
            value = saved[name]
            if value is not None:
                os.environ[name] = value


def _same(values: dict[str, Any]) -> dict[str, Any]:
    """A repeatable option's values as a tuple (click gives () where none are given)."""
    return {k: tuple(v or ()) if isinstance(v, list | tuple) or k == "deck" else v
            for k, v in values.items()}  # fmt: skip


_WORDS = [
    "review", "decks", "stats", "show", "--deck", "--deck=crss", "--new", "--limit", "--tag",
    "--domain", "--cram", "--no-cram", "--mistakes", "--ahead", "--plain", "--json",
    "--json=1", "--db", "--db=x.db", "--learner", "--rollover-hour", "--rollover-hour=5",
    "--version", "--help", "-h", "--", "-", "crss", "x y", "", "0", "1", "3", "-1", "365",
    "366", "100000", "100001", " 7 ", "1_0", "2.5", "abc", "٣", "--learner=-x",
]  # fmt: skip
_ENVIRONS = st.fixed_dictionaries(
    {},
    optional={
        entry.DB_ENV: st.sampled_from(["", "env.db"]),
        entry.LEARNER_ENV: st.sampled_from(["", "sam"]),
        entry.ROLLOVER_ENV: st.sampled_from(["", "3", "x", "-2"]),
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=st.lists(st.sampled_from(_WORDS), max_size=7), environ=_ENVIRONS)
@example(
    argv=["--db", "a.db", "review", "--deck", "crss", "--deck=legal", "--new", "3"], environ={}
)
@example(argv=["stats", "--deck", "crss", "--json"], environ={entry.ROLLOVER_ENV: "3"})
@example(argv=["decks", "--json", "--json"], environ={entry.LEARNER_ENV: "sam"})
def test_a_line_the_quick_entry_reads_click_reads_the_same(
    argv: list[str], environ: dict[str, str]
) -> None:
    parsed = quick.parse(argv, environ)
    if parsed is None:
        return  # the typer app reads it, from the start
    options, name, params = _clicks_reading(argv, environ)
    assert (parsed.options, parsed.command) == (options, name)
    assert _same(parsed.values) == _same(params)


@st.composite
def _plain_lines(draw: st.DrawFn) -> list[str]:
    """A line in the forms the quick entry reads: each option once (a repeatable one
    maybe more), as `--name value` or `--name=value`, numbers in range."""

    def given(opt: quick.Opt) -> list[str]:
        if opt.kind is bool:
            return [opt.name]
        if opt.kind is int:
            low = 0 if opt.low is None else opt.low
            value = str(draw(st.integers(low, 23 if opt.high is None else opt.high)))
        else:
            value = draw(st.text("abcxyz-./ é", min_size=1, max_size=6).filter(
                lambda v: not v.startswith("-")
            ))  # fmt: skip
        return [f"{opt.name}={value}"] if draw(st.booleans()) else [opt.name, value]

    line: list[str] = []
    for opt in draw(st.lists(st.sampled_from(quick.GLOBAL), max_size=3, unique=True)):
        line += given(opt)
    command = draw(st.sampled_from(sorted(quick.COMMANDS)))
    line.append(command)
    spec = quick.COMMANDS[command]
    once: set[str] = set()
    for opt in draw(st.lists(st.sampled_from(spec), max_size=6)):
        if opt.many or opt.kind is bool or opt.name not in once:
            line += given(opt)
            once.add(opt.name)
    return line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=_plain_lines(), environ=_ENVIRONS)
def test_the_plain_forms_are_read_quickly_as_click_reads_them(
    argv: list[str], environ: dict[str, str]
) -> None:
    parsed = quick.parse(argv, environ)
    if environ.get(entry.ROLLOVER_ENV) == "x" and "--rollover-hour" not in " ".join(argv):
        assert parsed is None  # click would refuse the variable: it says why
        return
    assert parsed is not None, argv
    options, name, params = _clicks_reading(argv, environ)
    assert (parsed.options, parsed.command) == (options, name)
    assert _same(parsed.values) == _same(params)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["review", "--help"],
        ["review", "--nope"],
        ["review", "--new", "-1"],
        ["review", "--limit", "0"],
        ["review", "--new", "2", "--new", "3"],
        ["review", "crss"],
        ["decks", "--db", "x.db"],
        ["--json", "decks"],
        ["--version"],
        ["show", "crss/x"],
        ["review", "--cram=yes"],
    ],
)
def test_other_lines_are_left_to_the_typer_app(argv: list[str]) -> None:
    assert quick.parse(argv, {}) is None


def test_a_bad_number_in_the_environment_is_left_to_the_typer_app() -> None:
    assert quick.parse(["decks"], {entry.ROLLOVER_ENV: "soon"}) is None
    found = quick.parse(["decks"], {entry.ROLLOVER_ENV: "5", entry.LEARNER_ENV: ""})
    assert found is not None and found.options == entry.Options(None, None, 5)


@pytest.mark.parametrize("xdg", [None, "/tmp/config-here"])
def test_the_app_folder_is_where_click_puts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str | None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert entry.app_dir() == typer.get_app_dir("srs-crss")


_RUN = """
import atexit, sys
atexit.register(lambda: print("TYPER", "typer" in sys.modules, file=sys.stderr))
from srs_crss.cli import main
sys.argv = ["srs-crss", *sys.argv[1:]]
main()
"""


def _run(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "alex"}
    return subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_the_program_runs_the_plain_forms_without_typer(db: Path) -> None:
    for args in (["decks", "--json"], ["stats"], ["review", "--limit", "1"]):
        done = _run(db, *args, stdin="q\n")
        assert done.returncode == 0, done.stderr
        assert "TYPER False" in done.stderr, args
    assert '"id": "crss"' in _run(db, "decks", "--json").stdout


def test_the_program_leaves_slips_to_the_typer_app(db: Path) -> None:
    done = _run(db, "review", "--new", "-1")
    assert done.returncode == 2 and "TYPER True" in done.stderr
    assert "Invalid value for '--new'" in done.stderr and "Traceback" not in done.stderr


def test_errors_on_the_quick_way_are_one_plain_line(db: Path, tmp_path: Path) -> None:
    done = _run(db, "review", "--deck", "nosuch")
    assert done.returncode == 2 and "TYPER False" in done.stderr
    said = done.stderr.splitlines()  # (after "Created a new database")
    assert said[-2].startswith("Error: no deck 'nosuch'") and "Traceback" not in done.stderr
    done = _run(db, "review", "--mistakes", "2", "--ahead", "3")
    assert done.returncode == 2 and "--mistakes and --ahead" in done.stderr
    folder = tmp_path / "a-folder"
    folder.mkdir()
    done = _run(db, "--db", str(folder), "decks")
    assert done.returncode != 0 and done.stderr.splitlines()[-2].startswith("Error: ")
    assert "Traceback" not in done.stderr and "TYPER False" in done.stderr


_COLLECTOR = """
import atexit, gc, sys
seen = []
from srs_crss.cli import entry, ui
shown = ui.PlainScreen.show_front
def show_front(self, *args):
    seen.append(gc.isenabled())
    return shown(self, *args)
ui.PlainScreen.show_front = show_front
atexit.register(lambda: print("GC", seen[:2], gc.isenabled(), gc.get_freeze_count() > 0,
                              file=sys.stderr))
from srs_crss.cli import main
sys.argv = ["srs-crss", *sys.argv[1:]]
main()
"""


def test_the_collector_waits_for_the_first_card(db: Path) -> None:
    """Held off while a review starts, running again once the first card is on screen,
    with what start-up built frozen out of its way."""
    env = {**os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "alex"}
    done = subprocess.run(
        [sys.executable, "-c", _COLLECTOR, "review"], input="\n4\nq\n",
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "GC [False, True] True True" in done.stderr


def test_a_collector_held_elsewhere_is_left_alone() -> None:
    import gc

    gc.disable()
    try:
        entry.hold_collector()
        entry.release_collector()
        assert not gc.isenabled()
    finally:
        gc.enable()
    entry.hold_collector()
    assert not gc.isenabled()
    entry.release_collector(freeze=False)
    assert gc.isenabled()
