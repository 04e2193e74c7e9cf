"""Typing slips on the command line get click's usage message (exit 2), never "unexpected".

The generated test walks the real command tree, so a new command or option is
thrown odd values without being listed here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from srs_crss.cli import app
from tests.conftest import NOW, Invoke

SLIPS = [
    (("revew",), "Did you mean 'review', 'serve'?"),  # serve is a close match too
    (("decks", "--foo"), "No such option: --foo"),
    (("exam", "clear", "--json"), "No such option: --json"),
    (("sync", "--json"), "No such option: --json"),
    (("review", "--new", "-1"), "-1 is not in the range"),
    (("review", "--limit", "0"), "0 is not in the range"),
    (("review", "--new", "2.5"), "'2.5' is not a valid"),
    (("review", "--limit", "99999999999999999999"), "1<=x<=100000"),
]


@pytest.mark.parametrize(("args", "message"), SLIPS)
def test_usage_slips_get_the_usage_message(
    cli: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Usage: srs-crss" in result.output
    assert "please report this" not in result.output


def test_a_group_without_its_subcommand_shows_its_help(cli: Invoke) -> None:
    result = cli("exam")
    assert result.exit_code in (0, 2)
    assert "set" in result.output and "clear" in result.output
    assert "please report this" not in result.output


def test_an_unwritable_export_path_is_bad_input(cli: Invoke) -> None:
    result = cli("export-anki", "--out", "/proc/x.apkg")
    assert result.exit_code == 2 and "cannot write to the folder /proc" in result.output
    assert "please report this" not in result.output


def test_output_an_ascii_terminal_cannot_show_falls_back_to_ascii(db: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW}
    for command in ("stats", "decks", "exam", "show"):
        args = [command] if command != "show" else [command, "crss/empathy-core-quality"]
        done = subprocess.run(
            [sys.executable, "-m", "srs_crss", *args],
            capture_output=True,
            env=env,
            check=False,
        )
        assert b"please report this" not in done.stderr and b"Traceback" not in done.stderr
        assert done.returncode in (0, 2), done.stderr
        done.stdout.decode("ascii")  # nothing but ASCII reached the terminal
    assert (
        b"Exam domains"
        in subprocess.run(
            [sys.executable, "-m", "srs_crss", "stats"], capture_output=True, env=env, check=False
        ).stdout
    )


def _command_lines() -> list[tuple[list[str], list[str]]]:
    """(command path, its option names) for every command of the real app."""
    root = typer.main.get_command(app)
    found: list[tuple[list[str], list[str]]] = []

    def walk(command: object, path: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
            return
        options = [
            opt for param in getattr(command, "params", []) for opt in getattr(param, "opts", [])
        ]
        found.append((path, [o for o in options if o.startswith("-")]))

    walk(root, [])
    return found


RUNS_UNTIL_STOPPED = {"serve"}
"""Commands that run until stopped (a web server): tests/program/test_serve.py starts
them in their own process; here they would never return."""
COMMANDS = [c for c in _command_lines() if " ".join(c[0]) not in RUNS_UNTIL_STOPPED]
ODD = [
    "", "-1", "0", "1", "2.5", "99999999999999999999", "nope", "crss", "crss/nope", "x/y/z",
    "José", "2027-01-20", "1999-01-01", "not-a-date", "--json", "/proc/x.apkg", "a.apkg",
    "Advocacy", "Advocay", "empathy", "--help",
]  # fmt: skip


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path, options = draw(st.sampled_from(COMMANDS))
    argv = list(path)
    for _ in range(draw(st.integers(0, 3))):
        with_option: bool = draw(st.booleans())
        if options and with_option:
            argv.append(draw(st.sampled_from(options)))
        argv.append(draw(st.sampled_from(ODD)))
    return argv


def test_the_command_tree_is_walked() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"review", "exam set", "export-anki", "sync", "check"} <= names
    assert {" ".join(path) for path, _ in _command_lines()} - names == RUNS_UNTIL_STOPPED


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines())
def test_generated_command_lines_never_crash(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "SRS_CRSS_DB": str(Path(folder) / "fuzz.db"),
            "SRS_CRSS_NOW": NOW,
            "SRS_CRSS_LEARNER": "alex",
            "NO_COLOR": "1",
            "COLUMNS": "80",
        }
        cwd = os.getcwd()
        os.chdir(folder)  # exports land in the throwaway folder
        try:
            result = CliRunner().invoke(app, argv, env=env, input="q\n")
        finally:
            os.chdir(cwd)
    assert "please report this" not in result.output, (argv, result.output)  # the bug marker
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        argv,
        repr(result.exception),
    )
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("stats", "--learner", "bob"), "`srs-crss --learner NAME stats ...`"),
        (("review", "--db=x.db"), "`srs-crss --db PATH review ...`"),
        (("decks", "--rollover-hour", "5"), "`srs-crss --rollover-hour HOUR decks ...`"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(
    cli: Invoke, args: tuple[str, ...], where: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "is a global option: it goes before the command" in said and where in said


@pytest.mark.parametrize(
    ("args", "said", "not_said"),
    [
        (("review", "--tag", "empathi"), "did you mean 'empathy'?", "'mat'"),
        (
            ("show", "crss/role-no-diagnose"),
            "no card 'role-no-diagnose' in deck 'crss'; did you mean "
            "'role-no-diagnose-treat-prescribe'",
            "srs-crss cards",
        ),
        (("config", "set", "new-per-dy", "5"), "did you mean 'new-per-day'?", "Traceback"),
        (
            ("mock", "--profile", "crs"),
            "There is no exam profile 'crs'; did you mean 'crss'?",
            "?.",
        ),
    ],
)
def test_a_mistyped_name_gets_a_did_you_mean(
    cli: Invoke, args: tuple[str, ...], said: str, not_said: str
) -> None:
    result = cli(*args, input="")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert said in text and not_said not in text
