"""Scratch files of imports and exports: named after their process, removed on every way
out, and removed by the next run when their process died (issue 24).

A killed `import-anki` or `export-anki` used to leave its scratch files for
good: a collection of up to 15 MB in the temporary folder, a half-written
package beside the target. Each scratch name now carries its process id
(PREFIX + pid + "-" + a random tail); `remove_stale` deletes the ones whose
process is gone, and `terminated_cleanly` turns SIGTERM into SystemExit so the
`finally` and `with` blocks that delete them run.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any

IMPORT_PREFIX = "srs-crss-import-"
"""An import's folder in the temporary folder."""
EXPORT_PREFIX = "srs-crss-export-"
"""An export's scratch collection in the temporary folder."""


def tag(prefix: str) -> str:
    """A scratch name's start for this process."""
    return f"{prefix}{os.getpid()}-"


def remove_stale(folder: Path, prefix: str) -> int:
    """Remove the scratch files and folders in `folder` named `prefix` + the id of a process
    that is gone (killed, or a crash); how many. Those of running processes, and anything
    named otherwise, stay."""
    removed = 0
    with suppress(OSError):
        for entry in folder.iterdir():
            if not entry.name.startswith(prefix):
                continue
            pid = entry.name.removeprefix(prefix).split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


@contextmanager
def terminated_cleanly() -> Iterator[None]:
    """SIGTERM raises SystemExit inside this block (as Ctrl-C raises KeyboardInterrupt),
    so scratch files are removed on the way out instead of left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous: Callable[..., Any] | int | None = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
