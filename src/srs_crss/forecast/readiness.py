"""The forecast itself: per item, per domain, overall, and the chance of passing.

Pure: records in, records out. An item is a multiple-choice card of the exam's
bank; its chance of a right answer on the day is 1/k + (1 - 1/k) * R, where R is
the recall the memory model gives for that day and k the number of choices (a
guess among k is right one time in k); R comes from the cards testing the same
fact (flashcard siblings). A question answered itself also has its own record,
read by the same model from right and wrong picks: that is already the chance
of a right pick, lucky guesses included, so it is taken as it is (the better of
the two counts). An item never studied gets the prior recall (`prior_recall`),
learnt from this learner's first answers.

Per domain: the mean chance over the domain's items (the exam asks a random
few of them). Overall: the domains weighted by the profile's blueprint. The
pass probability: `FORMS` forms are drawn as `mock` draws them (questions per
domain by weight, `exams.mock.allocate`; items at random within a domain) with a
fixed seed, each form's score distribution is computed exactly (a sum of
independent right-or-wrong answers), and the chances of reaching the pass mark
are averaged. The fixed seed makes the figure repeatable, and makes it fall
whenever any item's chance falls (a later date never forecasts more).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from srs_crss.exams.mock import allocate

FORMS = 100
"""Forms drawn for the pass probability (fixed seed): on random banks the average of
100 came within 1.5 points of the average of 2,000."""
SEED = 27


class Item(NamedTuple):
    """A question of the bank: its card, domain, choices, and whether it was studied."""

    pk: int
    domain: str
    choices: int
    recall: float | None
    """The model's recall on the day; None: never studied (the prior applies)."""
    picked: float | None = None
    """The model's chance of a right pick on the day, read from this question's own
    answers (guessing included: a lucky guess was logged as a right answer)."""


class DomainForecast(NamedTuple):
    domain: str
    expected_percent: float
    items: int
    seen: int
    """Items of the bank studied at least once."""
    weight: float


class Forecast(NamedTuple):
    """What the forecast says about one exam day."""

    expected_percent: float
    pass_probability: float
    pass_percent: int
    questions: int
    domains: tuple[DomainForecast, ...]
    prior_recall: float


def chance(recall: float, choices: int) -> float:
    """The chance of a right answer with `choices` choices and recall `recall`."""
    guess = 1.0 / choices if choices > 1 else 0.0
    return guess + (1.0 - guess) * min(1.0, max(0.0, recall))


def item_chance(item: Item, prior_recall: float) -> float:
    """The chance of a right answer: from recall, or from the question's own record of
    picks if that says more (never below a guess)."""
    recalled = chance(prior_recall if item.recall is None else item.recall, item.choices)
    if item.picked is None:
        return recalled
    return max(recalled if item.recall is not None else 0.0, chance(0.0, item.choices),
               item.picked)  # fmt: skip


def prior_recall(
    first_answers: Sequence[tuple[bool, int]], fallback: float, strength: int
) -> float:
    """What a never-studied card is worth: the share of facts this learner knew before
    studying them, read from first answers (right?, choices: 0 for a flashcard).

    A right first answer to a k-choice question is a guess one time in k, so each is
    counted as (right - 1/k) / (1 - 1/k): the mean is an unbiased estimate of the
    share known. While there are few, it leans on `fallback` (the deck's average)
    as if that were `strength` answers.
    """
    total = 0.0
    for right, choices in first_answers:
        guess = 1.0 / choices if choices > 1 else 0.0
        total += (float(right) - guess) / (1.0 - guess)
    estimate = (total + fallback * strength) / (len(first_answers) + strength)
    return min(1.0, max(0.0, estimate))


def forecast(
    items: Sequence[Item],
    weights: Sequence[tuple[str, float]],
    questions: int,
    pass_percent: int,
    prior: float,
    adjust: Mapping[str, float] | None = None,
) -> Forecast:
    """The forecast over the bank `items` for a profile (`weights`, `questions`,
    `pass_percent`). `adjust`, when given, maps each chance through the learner's
    recalibration (see calibration.recalibrate): {"a": ..., "b": ...}."""
    by_domain: dict[str, list[float]] = {name: [] for name, _ in weights}
    seen: dict[str, int] = {name: 0 for name, _ in weights}
    for item in items:
        if item.domain in by_domain:
            by_domain[item.domain].append(_adjusted(item_chance(item, prior), adjust))
            seen[item.domain] += item.recall is not None or item.picked is not None
    domains = tuple(
        DomainForecast(
            domain=name,
            expected_percent=100.0 * sum(by_domain[name]) / len(by_domain[name])
            if by_domain[name]
            else 0.0,
            items=len(by_domain[name]),
            seen=seen[name],
            weight=weight,
        )
        for name, weight in weights
    )
    present = [d for d in domains if d.items]
    whole = sum(d.weight for d in present)
    expected = sum(d.expected_percent * d.weight for d in present) / whole if whole else 0.0
    return Forecast(
        expected_percent=expected,
        pass_probability=pass_probability(by_domain, weights, questions, pass_percent),
        pass_percent=pass_percent,
        questions=questions,
        domains=domains,
        prior_recall=prior,
    )


def _adjusted(p: float, adjust: Mapping[str, float] | None) -> float:
    if not adjust:
        return p
    q = min(1 - 1e-6, max(1e-6, p))
    z = adjust["a"] + adjust["b"] * math.log(q / (1 - q))
    return 1.0 / (1.0 + math.exp(-z))


def pass_probability(
    chances: Mapping[str, Sequence[float]],
    weights: Sequence[tuple[str, float]],
    questions: int,
    pass_percent: int,
) -> float:
    """The chance of reaching `pass_percent` on a form drawn as `mock` draws it."""
    available = {name: len(chances.get(name, ())) for name, _ in weights}
    shares = allocate(weights, questions, available)
    asked = sum(shares.values())
    if asked == 0:
        return 0.0
    needed = math.ceil(pass_percent * asked / 100 - 1e-9)
    pools = {name: list(chances.get(name, ())) for name, _ in weights}
    total = 0.0
    if all(len(set(pool)) <= 1 for pool in pools.values()):
        # every question of a domain alike (before any study: each at the guessing rate),
        # so every form drawn is this one: its chance added up FORMS times, as below
        same = at_least([p for name, _ in weights for p in pools[name][: shares[name]]], needed)
        for _ in range(FORMS):
            total += same
        return total / FORMS
    rng = random.Random(SEED)
    for _ in range(FORMS):
        form: list[float] = []
        for name, _weight in weights:
            form.extend(rng.sample(pools[name], shares[name]) if shares[name] else ())
        total += at_least(form, needed)
    return total / FORMS


def at_least(chances: Sequence[float], needed: int) -> float:
    """P(at least `needed` right) with independent answers of these chances (exact)."""
    if needed <= 0:
        return 1.0
    # dist[j]: the chance of exactly j right so far, j capped at `needed`. After answer
    # i, only j up to i + 1 can have been reached, and only j from needed - (answers
    # still to come) can still reach `needed`: the rest is never read again, so it is
    # not computed (the figures kept are the same, to the last bit).
    dist = [1.0] + [0.0] * needed
    count = len(chances)
    for i, p in enumerate(chances):
        low = max(1, needed - (count - i - 1))
        for j in range(min(needed, i + 1), low - 1, -1):
            kept = dist[j] if j == needed else dist[j] * (1 - p)  # `needed` absorbs
            dist[j] = kept + dist[j - 1] * p
        dist[0] *= 1 - p
    return min(1.0, dist[needed])
