"""The command line end to end on real SQLite files: sync, decks, show, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from srs_crss import __version__
from srs_crss.cli import app
from tests.conftest import MINI_DECK, NOW, Invoke, digest


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"srs-crss {__version__}"


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, command in group.commands.items():
        assert command.help and len(command.help) > 20, name


def test_commands_are_built_as_typer_builds_them() -> None:
    """The root builds a command only when asked for it; what it lists, and what it
    builds, are what typer's own (eager) build of every registered command gives."""
    from srs_crss.cli.typerapp import commands

    eager = typer.main.get_group(commands).commands
    lazy = typer.main.get_command(app)
    assert isinstance(lazy, typer.core.TyperGroup)
    ctx = lazy.make_context("srs-crss", ["--help"], resilient_parsing=True)
    assert lazy.list_commands(ctx) == list(eager)
    assert dict(lazy.commands.items()).keys() == eager.keys()
    for name, command in eager.items():
        built = lazy.get_command(ctx, name)
        assert built is not None and type(built) is type(command), name
        assert built.get_short_help_str(60) == command.get_short_help_str(60), name
        assert [p.name for p in built.params] == [p.name for p in command.params], name


def test_help_lists_every_command(cli: Invoke) -> None:
    from srs_crss.cli.typerapp import commands

    listed = cli("--help").output.split("Commands:")[1].split()
    names = [c.name or c.callback.__name__ for c in commands.registered_commands if c.callback]
    groups = [g.name for g in commands.registered_groups]
    assert len(names) > 15 and all(name in listed for name in [*names, *groups])


def test_python_dash_m_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "srs_crss", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "sync" in done.stdout and "Usage" in done.stdout


def test_sync_is_idempotent_and_reports(cli: Invoke, mini: Path, db: Path) -> None:
    first = cli("sync", str(mini))
    assert first.exit_code == 0, first.output
    assert "mini (Mini deck, new deck): 2 added, 0 updated, 0 retired, 0 unchanged" in first.output
    before = digest(db)
    again = cli("sync", str(mini))
    assert again.exit_code == 0
    assert "0 added, 0 updated, 0 retired, 2 unchanged" in again.output
    assert "Nothing to change" in again.output
    assert digest(db) == before


def test_edit_keeps_history_and_removal_retires(cli: Invoke, mini: Path, db: Path) -> None:
    cli("sync", str(mini))
    add_review(db, "mini/empathy-basics")
    mini.write_text(MINI_DECK.replace("Feeling with someone.", "Sharing the feeling."))
    assert "1 updated" in cli("sync", str(mini)).output
    shown = json.loads(cli("show", "mini/empathy-basics", "--json").output)
    assert len(shown["history"]) == 1 and shown["state"]["repetitions"] == 1

    first_card_only = MINI_DECK.split('[[cards]]\nid = "quality"')[0]
    mini.write_text(first_card_only)
    assert "1 retired" in cli("sync", str(mini)).output
    decks = json.loads(cli("decks", "--json").output)
    assert decks == [
        {
            "id": "mini",
            "name": "Mini deck",
            "cards": 1,
            "new": 0,
            "due": 0,
            "retired": 1,
            "optional": False,
        }
    ]
    assert json.loads(cli("show", "mini/quality", "--json").output)["retired"] is True

    mini.write_text(MINI_DECK)
    result = cli("sync", str(mini))
    assert "1 restored" in result.output
    assert json.loads(cli("show", "mini/quality", "--json").output)["retired"] is False
    assert json.loads(cli("show", "mini/empathy-basics", "--json").output)["history"]


def test_one_bad_file_means_nothing_applied(
    cli: Invoke, mini: Path, tmp_path: Path, db: Path
) -> None:
    cli("sync", str(mini))
    before = digest(db)
    mini.write_text(MINI_DECK.replace("Feeling with someone.", "Changed."))
    bad = tmp_path / "bad.toml"
    bad.write_text('[deck]\nid = "bad"\nname = "B"\n\n[[cards]]\nid = "x"\nfront = "F"\n')
    result = cli("sync", str(mini), str(bad))
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {bad}:5: missing back"
    assert digest(db) == before


def test_decks_json_counts_due(cli: Invoke, mini: Path, db: Path) -> None:
    cli("sync", str(mini))
    add_review(db, "mini/empathy-basics", grade=4)  # due tomorrow
    data = json.loads(cli("decks", "--json").output)
    assert data == [
        {
            "id": "mini",
            "name": "Mini deck",
            "cards": 2,
            "new": 1,
            "due": 0,
            "retired": 0,
            "optional": False,
        }
    ]
    later = json.loads(cli("decks", "--json", now="2026-11-23T10:00:00+00:00").output)
    assert later[0]["due"] == 1 and later[0]["new"] == 1


def test_show_json_shape(cli: Invoke, mini: Path, db: Path) -> None:
    cli("sync", str(mini))
    add_review(db, "mini/quality", grade=3)
    data = json.loads(cli("show", "mini/quality", "--json").output)
    assert data["id"] == "mini/quality" and data["deck"] == "mini" and data["type"] == "mcq"
    assert data["front"] == "Which quality matters most?"
    assert data["state"] == {
        "repetitions": 1,
        "ef": 2.36,
        "interval": 1,
        "due": "2026-11-22",
        "extra": True,
        "lapses": 0,
    }
    assert data["history"] == [
        {
            "reviewed_at": "2026-11-22T10:00:00Z",
            "day": "2026-11-22",
            "grade": 3,
            "kind": "new",
            "repetitions": 1,
            "ef": 2.36,
            "interval": 1,
            "due": "2026-11-22",
            "capped_from": None,
            "picked": None,  # (added by issue 11: the choice picked on a multiple-choice card)
        }
    ]


def test_show_text(cli: Invoke, mini: Path) -> None:
    cli("sync", str(mini))
    result = cli("show", "mini/quality")
    assert result.exit_code == 0
    assert "B. Empathy  <- answer" in result.output
    assert "State: new" in result.output


def test_first_command_loads_bundled_decks(cli: Invoke) -> None:
    data = json.loads(cli("decks", "--json").stdout)  # (stderr says the database is new)
    assert [d["id"] for d in data] == ["crss", "legal-details", "pa-crs"]
    assert data[0]["cards"] >= 1 and data[0]["new"] == data[0]["cards"]
    # the legal-detail and Pennsylvania decks are optional: studied only when named
    assert [d.get("optional") for d in data] == [False, True, True]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nodeck"), "expected DECK/CARD"),
        (("show", "mini/none"), "no card 'none' in deck 'mini'"),
        (("show", "other/none"), "no deck 'other'"),
        (("sync", "/nonexistent/deck.toml"), "/nonexistent/deck.toml: no such file"),
        (("--rollover-hour", "25", "decks"), "rollover hour must be between 0 and 23"),
    ],
)
def test_bad_input_exits_2(cli: Invoke, mini: Path, args: tuple[str, ...], message: str) -> None:
    cli("sync", str(mini))
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_clock_override(cli: Invoke) -> None:
    result = cli("decks", now="yesterday")
    assert result.exit_code == 2
    assert "SRS_CRSS_NOW='yesterday' is not an ISO 8601 time" in result.output
    result = cli("decks", now="2026-11-22T10:00:00")
    assert result.exit_code == 2 and "needs a UTC offset" in result.output


def test_not_a_database_via_cli(cli: Invoke, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = cli("--db", str(notes), "decks")
    assert result.exit_code == 2
    assert "not an SQLite database; it was left untouched" in result.output
    assert notes.read_text() == "hello"


def test_unwritable_database_place(cli: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = cli("--db", str(blocker / "x" / "db.sqlite"), "decks")
    assert result.exit_code == 2
    assert "cannot create a database" in result.output


def test_learner_option_separates_progress(cli: Invoke, mini: Path, db: Path) -> None:
    cli("sync", str(mini))
    add_review(db, "mini/quality", grade=5)
    mine = json.loads(cli("show", "mini/quality", "--json").output)
    theirs = json.loads(cli("--learner", "sam", "show", "mini/quality", "--json").output)
    assert len(mine["history"]) == 1 and theirs["history"] == []


def add_review(db: Path, qualified: str, grade: int = 4) -> None:
    """Record one answer through the library, at the fixed test time."""
    import datetime as dt

    from srs_crss.service import App
    from srs_crss.settings.run import Settings
    from srs_crss.sm2 import review

    settings = Settings(database=str(db), learner="alex", environ={"SRS_CRSS_NOW": NOW})
    with App(settings) as application:
        view = application.show(qualified)
        application.store.reviews.apply(
            application.learner_id,
            view.card.pk,
            lambda s: review(s, grade, application.today()),
            dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC),
            1200,
        )


HEAD = '[deck]\nid = "mini"\nname = "M"\n\n[[cards]]\nid = "a"\nfront = "F"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ": file is empty"),
        (HEAD + 'back = "B"\nfoo = 1\n', ":9: unknown key 'foo'"),
        (HEAD + 'back = "B"\ntags = "x"\n', ":9: tags must be a list of strings, not a string"),
        (HEAD + 'back = "B\n', ":8: TOML syntax error"),
    ],
)
def test_bad_deck_file_leaves_the_database_unchanged(
    cli: Invoke, mini: Path, db: Path, text: str, message: str
) -> None:
    cli("sync", str(mini))
    before = digest(db)
    mini.write_text(text)
    result = cli("sync", str(mini))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {mini}")
    assert message in result.output
    assert "Traceback" not in result.output
    assert digest(db) == before


@pytest.mark.slow
def test_wheel_ships_the_decks_migrations_and_web_pages(tmp_path: Path) -> None:
    import zipfile

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("srs_crss-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "srs_crss/data/decks/crss.toml" in names
    assert "srs_crss/storage/migrations/versions/0001_initial.py" in names
    assert "srs_crss/storage/migrations/script.py.mako" in names
    # serve's pages: templates and static files inside the package
    assert "srs_crss/web/templates/review_card.html" in names
    assert "srs_crss/web/static/study.js" in names
    assert "srs_crss/web/static/study.css" in names


def test_every_module_that_registers_commands_is_loaded_by_the_app() -> None:
    from srs_crss.cli.typerapp import COMMAND_MODULES

    folder = Path(__file__).resolve().parents[2] / "src" / "srs_crss" / "cli"
    registering = {
        path.stem
        for path in folder.glob("*.py")
        if "@commands.command(" in path.read_text(encoding="utf-8")
        or "commands.add_typer(" in path.read_text(encoding="utf-8")
    }
    assert registering == set(COMMAND_MODULES)
