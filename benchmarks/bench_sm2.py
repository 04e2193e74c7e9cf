"""SM-2 step benchmark (issue 16): one answer through `srs_crss.sm2.review` against one
through `supermemo2.review` (the popular PyPI implementation), on the same answers.

Both replay the same 192,000 answers (cards of 12 answers with realistic grades,
each card starting new), passing each function's own state along; the figure is
the ratio of the best of 7 timings. Target: at most 1.0x.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from benchmarks.common import Figure

CARDS = 16_000
ANSWERS = 12  # supermemo2 has no longest interval: 17 passes overflow its dates
GRADES = (0, 1, 2, 3, 4, 5)
WEIGHTS = (4, 7, 6, 13, 42, 28)


def _grades(seed: int = 3) -> list[list[int]]:
    rng = random.Random(seed)
    return [rng.choices(GRADES, WEIGHTS, k=ANSWERS) for _ in range(CARDS)]


def _ours(cards: list[list[int]]) -> None:
    from srs_crss import sm2

    review, new, day = sm2.review, sm2.CardState(), dt.date(2026, 1, 5)
    for grades in cards:
        state = new
        for grade in grades:
            state = review(state, grade, day).after


def _theirs(cards: list[list[int]]) -> None:
    import supermemo2

    review, when = supermemo2.review, dt.datetime(2026, 1, 5)
    for grades in cards:
        easiness, interval, repetitions = 2.5, 0, 0
        for grade in grades:
            out = review(grade, easiness, interval, repetitions, when)
            easiness, interval, repetitions = out["easiness"], out["interval"], out["repetitions"]


def _best(run: Callable[[list[list[int]]], None], cards: list[list[int]]) -> float:
    best = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        run(cards)
        best = min(best, time.perf_counter() - start)
    return best


def run() -> list[Figure]:
    cards = _grades()
    steps = CARDS * ANSWERS
    ours, theirs = _best(_ours, cards), _best(_theirs, cards)
    return [
        Figure(
            "SM-2 step vs supermemo2",
            ours / theirs,
            "x",
            1.0,
            f"{ours / steps * 1e6:.2f} us vs {theirs / steps * 1e6:.2f} us per answer",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
