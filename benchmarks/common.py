"""Timing helpers shared by the benchmark scripts.

Machines here are shared and noisy, so every figure is a median of several
runs and is printed next to a baseline measured in the same run.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Figure:
    """One benchmark result: a measured value against its target."""

    name: str
    value: float
    unit: str
    target: float
    baseline: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target

    def line(self) -> str:
        mark = "PASS" if self.ok else "FAIL"
        base = f"  ({self.baseline})" if self.baseline else ""
        return (
            f"{mark}  {self.name}: {self.value:.3g} {self.unit} (target <= {self.target:g}){base}"
        )


def time_command(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one run of a command, in seconds; fails loudly if it fails."""
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    done = subprocess.run(argv, env=full_env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed: {argv}\n{done.stderr.decode()}")
    return elapsed


def median_time(
    argv: Sequence[str],
    runs: int = 7,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> float:
    """Median wall time over `runs` runs (after one warm-up run)."""
    if before:
        before()
    time_command(argv, env)
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(time_command(argv, env))
    return statistics.median(samples)


def machine() -> str:
    """A one-line description of this machine, for the results file."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    python = f"Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores{mem}, {python}, {platform.system()}"


def peak_rss_kib(pid: int) -> int:
    """Peak resident memory of running process `pid`, in KiB (Linux VmHWM).

    Not wait4's ru_maxrss: that keeps the high-water mark of the parent's memory
    at fork, so a child of a benchmark that has grown reports the benchmark's size.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit(f"cannot read the peak memory of process {pid}")


def srs(*args: str) -> list[str]:
    """argv for the installed srs-crss command."""
    return [str(BIN / "srs-crss"), *args]
