"""Forecast benchmark (issue 27).

1. Accuracy on simulated learners with a known memory (tests/simlearner.py): each
   studies 300 facts for 90 days on SM-2's schedule (20 new a day, failed cards again
   the same day). Each log is split in time: the models are fitted on the first 80%
   of the answers and judged on the answers of the last 20% that come a day or more
   after the card's previous one (the ones a forecast is for). Three predictions of
   "recalled": FSRS-6 (srs_crss.forecast.memory, fitted on the 80%), a recall read
   from SM-2's state (0.9 ** (days since / SM-2's interval): the card is due when
   recall is thought to reach 90%), and a constant (the rate of recall in the 80%).
   Log loss, and RMSE(bins) over groups of like answers (days since the previous
   answer, answers and misses before), as the srs-benchmark groups them. Targets: FSRS beats the
   constant, which beats SM-2 (as in the open srs-benchmark).
2. Time: `readiness` on the 100,000-card / 1,000,000-review database against
   `stats` on it, both cold (a fresh copy of the database, a new process), in the
   same run. Target: no slower.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import statistics
from collections.abc import Sequence

from tests.simlearner import SimLearner

from benchmarks.common import WORK, Figure, srs, time_command
from benchmarks.gen import build_database
from srs_crss import sm2
from srs_crss.forecast import memory

NOW = "2026-11-22T10:00:00+00:00"
LEARNERS = 5
FACTS = 300
DAYS = 90
NEW_PER_DAY = 20
START = dt.date(2026, 1, 1)

Log = list[tuple[int, dt.date, int, int]]
"""(fact, day, grade, SM-2 interval before the answer), in the order answered."""


def simulate(seed: int) -> Log:
    """One learner's 90 days on SM-2's schedule, answered from the known memory."""
    learner = SimLearner(seed)
    states = [sm2.CardState() for _ in range(FACTS)]
    log: Log = []
    introduced = 0
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        todays = [f for f in range(introduced) if (states[f].due or day) <= day]
        todays += list(range(introduced, min(FACTS, introduced + NEW_PER_DAY)))
        introduced = min(FACTS, introduced + NEW_PER_DAY)
        while todays:
            again = []
            for fact in todays:
                recalled = learner.study(str(fact), day)
                grade = (5 if learner.recall(str(fact), day) > 0.9 else 4) if recalled else 1
                state = states[fact]
                log.append((fact, day, grade, state.interval))
                states[fact] = sm2.review(state, grade, day).after
                if states[fact].due == day:  # SM-2 asks it again today
                    again.append(fact)
            todays = again
    return log


Group = tuple[int, int, int]


def predictions(log: Log) -> tuple[dict[str, list[float]], list[int], list[Group]]:
    """Each model's predictions on the last 20% of the log, the outcomes, and each
    answer's group for RMSE(bins): days since the previous answer (on a log scale),
    answers before, and misses before, as the srs-benchmark groups them."""
    cut = int(len(log) * 0.8)
    train: dict[int, list[memory.Answer]] = {}
    for fact, day, grade, _ in log[:cut]:
        train.setdefault(fact, []).append(memory.Answer(day, grade))
    model = memory.fit(memory.replay(train))
    seen = {fact: list(answers) for fact, answers in train.items()}
    rows: list[tuple[float, float, int]] = []  # (elapsed days, SM-2 interval, outcome)
    prefixes: dict[int, list[memory.Answer]] = {}
    keys: list[int] = []
    groups: list[Group] = []
    for n, (fact, day, grade, interval) in enumerate(log[cut:]):
        before = seen.setdefault(fact, [])
        if before and day > before[-1].day:
            elapsed = (day - before[-1].day).days
            rows.append((elapsed, interval, int(grade >= 3)))
            prefixes[n] = list(before)
            keys.append(n)
            misses = sum(a.grade < 3 for a in before)
            groups.append((round(math.log2(elapsed)), min(len(before), 10), min(misses, 3)))
        before.append(memory.Answer(day, grade))
    states = memory.states(model, memory.replay(prefixes))
    fsrs = [model.recall(states[k], states[k].last_day + dt.timedelta(days=int(t)))
            for k, (t, _, _) in zip(keys, rows, strict=True)]  # fmt: skip
    sm2_recall = [0.9 ** (t / max(1, interval)) for t, interval, _ in rows]
    # the constant: the rate of recall over the same kind of answer in the 80%
    # (a day or more after the card's previous one)
    last: dict[int, dt.date] = {}
    trained = []
    for fact, day, grade, _ in log[:cut]:
        if fact in last and day > last[fact]:
            trained.append(int(grade >= 3))
        last[fact] = day
    constant = [sum(trained) / len(trained)] * len(rows)
    outcomes = [o for _, _, o in rows]
    return {"FSRS-6": fsrs, "SM-2": sm2_recall, "constant": constant}, outcomes, groups


def log_loss(predicted: Sequence[float], outcomes: Sequence[int]) -> float:
    eps = 1e-6
    return -statistics.fmean(
        math.log(min(1 - eps, max(eps, p))) if o else math.log(min(1 - eps, max(eps, 1 - p)))
        for p, o in zip(predicted, outcomes, strict=True)
    )


def rmse_bins(
    predicted: Sequence[float], outcomes: Sequence[int], groups: Sequence[Group]
) -> float:
    """RMSE between mean prediction and mean outcome per group of like answers,
    weighted by the answers in each (a constant is not calibrated for free)."""
    sums: dict[Group, list[float]] = {}
    for p, o, group in zip(predicted, outcomes, groups, strict=True):
        entry = sums.setdefault(group, [0.0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += p
        entry[2] += o
    total = sum(e[0] for e in sums.values())
    return math.sqrt(sum((e[1] - e[2]) ** 2 / e[0] for e in sums.values()) / total)


def accuracy() -> list[Figure]:
    scores: dict[str, list[tuple[float, float]]] = {}
    for seed in range(1, LEARNERS + 1):
        found, outcomes, groups = predictions(simulate(seed))
        for name, predicted in found.items():
            scores.setdefault(name, []).append(
                (log_loss(predicted, outcomes), rmse_bins(predicted, outcomes, groups))
            )
    mean = {n: tuple(statistics.fmean(s[i] for s in v) for i in (0, 1)) for n, v in scores.items()}
    for name, (loss, rmse) in mean.items():
        print(f"  {name:9} log loss {loss:.3f}  RMSE(bins) {rmse:.3f}", flush=True)
    fsrs, const, sm2_ = mean["FSRS-6"], mean["constant"], mean["SM-2"]
    return [
        Figure("forecast log loss: FSRS-6 / constant", fsrs[0] / const[0], "x", 1.0,
               f"{fsrs[0]:.4f} vs {const[0]:.4f} ({LEARNERS} simulated learners)"),
        Figure("forecast log loss: constant / SM-2", const[0] / sm2_[0], "x", 1.0,
               f"{const[0]:.4f} vs {sm2_[0]:.4f}"),
        Figure("forecast RMSE(bins): FSRS-6 / constant", fsrs[1] / const[1], "x", 1.0,
               f"{fsrs[1]:.4f} vs {const[1]:.4f}"),
        Figure("forecast RMSE(bins): constant / SM-2", const[1] / sm2_[1], "x", 1.0,
               f"{const[1]:.4f} vs {sm2_[1]:.4f}"),
    ]  # fmt: skip


def speed(runs: int = 3) -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 100,000-card / 1,000,000-review database ...", flush=True)
    db = build_database(WORK / "big.db")
    scratch = WORK / "big-forecast.db"
    env = {"SRS_CRSS_DB": str(scratch), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    env |= {"COLUMNS": os.environ.get("COLUMNS", "100")}
    times: dict[str, list[float]] = {"readiness": [], "stats": []}
    for _ in range(runs):  # interleaved, each on a fresh copy: the machine's noise is shared
        for command in times:
            for suffix in ("", "-wal", "-shm"):
                scratch.with_name(scratch.name + suffix).unlink(missing_ok=True)
            shutil.copyfile(db, scratch)
            times[command].append(time_command(srs(command), env))
    readiness, stats = (statistics.median(times[c]) for c in ("readiness", "stats"))
    return [
        Figure("readiness cold on 1,000,000 reviews vs stats cold", readiness / stats, "x", 1.0,
               f"{readiness:.2f} s vs {stats:.2f} s"),
    ]  # fmt: skip


def run() -> list[Figure]:
    return accuracy() + speed()


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
