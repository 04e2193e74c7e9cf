"""`srs-crss check`: the same errors as sync, quality warnings, --strict; no database."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke
from tests.unit.test_quality import WEAK


def test_check_command_reports_and_strict_fails(cli: Invoke, tmp_path: Path, db: Path) -> None:
    path = tmp_path / "weak.toml"
    path.write_text(WEAK)
    result = cli("check", str(path))
    assert result.exit_code == 0
    assert f"{path}:5: warning: no-source: no source" in result.output
    assert result.output.strip().endswith("1 file, 7 cards, 7 warnings")
    assert cli("check", "--strict", str(path)).exit_code == 1
    assert not db.exists()  # check never opens the database


def test_check_reports_load_errors_like_sync(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[deck]\nid = "b"\nname = "B"\n\n[[cards]]\nid = "x"\nfront = "F"\n')
    checked = cli("check", str(path))
    synced = cli("sync", str(path))
    assert checked.exit_code == synced.exit_code == 2
    assert checked.output == synced.output == f"Error: {path}:5: missing back\n"


def test_bundled_decks_pass_strict(cli: Invoke) -> None:
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output
    assert "0 warnings" in result.output


def test_strict_check_fails_a_bank_a_test_wise_guesser_beats(cli: Invoke, tmp_path: Path) -> None:
    """Issue 28: warm answers among directive distractors fail `check --strict`."""
    cards = "".join(
        f'\n[[cards]]\nid = "i{n}"\ntype = "mcq"\nfront = "Case {n}: she is upset. Step {n}?"\n'
        'choices = ["Tell her she must stop now", "Ask her and support her choice", '
        '"Insist she never goes back there", "Tell her only the rules count"]\n'
        'answer = "Ask her and support her choice"\nexplanation = "x"\ndomain = "Advocacy"\n'
        'source = "x"\n'
        for n in range(25)
    )
    path = tmp_path / "style.toml"
    path.write_text('[deck]\nid = "style"\nname = "Style"\n' + cards)
    result = cli("check", "--strict", str(path))
    assert result.exit_code == 1
    assert "deck style: a guesser reading only the tone of the choices scores 100%" in result.output
    assert "supervisor" not in result.output and "long" not in result.output  # only the tone
