"""The in-process answer alone, interleaved: Anki and one or more srs-crss source trees.

    .venv/bin/python benchmarks/answer_ab.py SESSIONS anki SRC [SRC ...]

Each SRC is a `src` folder (a checkout's, or `git archive REV src | tar -x`), put first on
PYTHONPATH for its sessions. Each session answers as benchmarks/bench_anki.py's in-process
figure does (OURS_ANSWERS, ANKI["answers"]), on a fresh synced copy of the 100k
collection, the sides taking turns to go first. Prints, per side, min / median over the
sessions of each session's p50 and p99, wall clock and the thread's CPU time (CPU time
leaves out waiting for the disk: what a change of code does, on a machine whose disk is
shared). Minutes, not the 4.5 of `benchmarks/run anki` (issue 30).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_anki import ANKI, NOW, OURS_ANSWERS, _copy_synced, _pick  # noqa: E402
from benchmarks.common import WORK  # noqa: E402


def _with_cpu(script: str) -> str:
    """The script timing each answer's thread CPU time beside its wall time."""
    return script.replace(
        "start = time.perf_counter()", "start = time.perf_counter(); cpu = time.thread_time()"
    ).replace(
        "lat.append(time.perf_counter() - start)",
        "lat.append((time.perf_counter() - start, time.thread_time() - cpu))",
    )


def _session(side: str) -> list[tuple[float, float]]:
    scratch = WORK / ("ab.anki2" if side == "anki" else "ab.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    if side == "anki":
        _copy_synced(WORK / "anki-big" / "collection.anki2", scratch)
        script, env = _with_cpu(ANKI["answers"]), dict(os.environ)
    else:
        _copy_synced(WORK / "big.db", scratch)
        script = _with_cpu(OURS_ANSWERS)
        env = {**os.environ, "PYTHONPATH": side, "SRS_CRSS_NOW": NOW}
    done = subprocess.run(
        [sys.executable, "-c", script, str(scratch)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    out = json.loads(done.stdout)
    return [
        (float(wall), float(cpu)) for wall, cpu in (out["latencies"] if side == "anki" else out)
    ]


def main(sessions: int, sides: list[str]) -> None:
    runs: dict[str, list[list[tuple[float, float]]]] = {side: [] for side in sides}
    for i in range(sessions):
        for side in sides if i % 2 == 0 else sides[::-1]:
            runs[side].append(_session(side))
    for side in sides:
        cells = []
        for n, clock in enumerate(("wall", "cpu")):
            for share in (0.5, 0.99):
                each = [_pick([pair[n] for pair in run], share) for run in runs[side]]
                cells.append(
                    f"{clock} p{share * 100:.0f} {min(each):.3f} / {statistics.median(each):.3f}"
                )
        print(f"{side}: " + "; ".join(cells) + f" ms (min / median of {sessions} sessions)")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
