"""Every `srs-crss ...` example in the README's sh blocks runs, against a throwaway database."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Invoke

README = Path(__file__).parents[2] / "README.md"


def _examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line.split("  #")[0].strip() for line in lines if line.startswith("srs-crss ")]


EXAMPLES = _examples()


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 6 and "srs-crss info" in EXAMPLES


@pytest.mark.parametrize("line", EXAMPLES)
def test_readme_example_runs(cli: Invoke, line: str) -> None:
    argv = shlex.split(line)[1:]
    result = cli(*argv, input="q\n")
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
