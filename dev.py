#!/usr/bin/env python3
"""Set up a virtual environment and run srs-crss or its checks: the Quick start.

    python3 dev.py review     # set up, then study the bundled deck
    python3 dev.py test       # set up, then ruff, mypy and the whole test suite
    python3 dev.py ARGS...    # set up, then run `srs-crss ARGS...`

Needs only Python 3.11+. The environment lives in .venv/ and is (re)installed
when pyproject.toml changes. Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".srs-crss-installed"


def setup(extras: str) -> None:
    """Create .venv and install the project (editable) with `extras`, if not yet done."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"srs-crss needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"Installing srs-crss{extras} into .venv (first run takes a minute) ...", flush=True)
    quiet = ["--quiet", "--disable-pip-version-check"]
    run([str(PYTHON), "-m", "pip", "install", *quiet, "--upgrade", "pip"])
    run([str(PYTHON), "-m", "pip", "install", *quiet, "--editable", f".{extras}"])
    STAMP.write_text(wanted)


def run(command: list[str]) -> None:
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.exit(done.returncode)


def main(argv: list[str]) -> None:
    if argv[:1] == ["test"]:
        setup("[dev]")
        run([str(BIN / "ruff"), "check", "."])
        run([str(BIN / "ruff"), "format", "--check", "."])
        run([str(BIN / "mypy")])
        run([str(PYTHON), "-m", "pytest", *argv[1:]])
        return
    # A dev environment is a superset of the plain one: keep it if present.
    installed = STAMP.read_text().strip() if STAMP.exists() else ""
    dev_hash = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + b"[dev]").hexdigest()
    setup("[dev]" if installed == dev_hash else "")
    command = [str(BIN / "srs-crss"), *(argv or ["review"])]
    os.execv(command[0], command) if os.name != "nt" else run(command)


if __name__ == "__main__":
    main(sys.argv[1:])
