"""Practice exams: drawing questions by an exam's domain weights, and scoring them.

Pure: records in, records out; the randomness comes from a seed the caller
gives (and stores), so a draw can be repeated exactly.

Drawing: the number of questions per domain is the profile's weight share
of the total, rounded by largest remainder; a domain with too few items
gives its shortfall to the others (again by weight). Within a domain, items
never seen in a practice exam come first, then those seen longest ago; ties
are broken at random. No item appears twice. The questions are then mixed,
and each question's choices are shuffled for this exam.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from srs_crss.exams.tasks import ExamTask, TaskScore, weakest
from srs_crss.exams.tasks import tally as by_task


@dataclass(frozen=True, slots=True)
class BankItem:
    """A multiple-choice card that can be asked: its id and exam domain."""

    pk: int
    domain: str | None


@dataclass(frozen=True, slots=True)
class Draw:
    """The questions drawn (in the order asked) and how the domains were filled."""

    pks: tuple[int, ...]
    wanted: tuple[tuple[str, int], ...]
    """(domain, questions its weight asks for)."""
    drawn: tuple[tuple[str, int], ...]
    """(domain, questions drawn)."""
    available: tuple[tuple[str, int], ...]
    """(domain, items in the bank)."""

    @property
    def short(self) -> bool:
        """Fewer questions than asked for (the bank is too small)."""
        return sum(n for _, n in self.drawn) < sum(n for _, n in self.wanted)


def largest_remainder(weights: Sequence[tuple[str, float]], total: int) -> dict[str, int]:
    """Split `total` in proportion to `weights`, whole numbers summing to `total`.

    Each gets the floor of its quota; what is left goes one each to the largest
    remainders (ties: the earlier in `weights`).
    """
    if total <= 0 or not weights:
        return {name: 0 for name, _ in weights}
    whole = sum(weight for _, weight in weights)
    quotas = [(name, total * weight / whole) for name, weight in weights]
    shares = {name: int(quota) for name, quota in quotas}
    left = total - sum(shares.values())
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i][1] % 1), i))
    for i in order[:left]:
        shares[quotas[i][0]] += 1
    return shares


def allocate(
    weights: Sequence[tuple[str, float]], total: int, available: Mapping[str, int]
) -> dict[str, int]:
    """Questions per domain: by weight, capped at what each domain has, the shortfall
    given to the domains with items to spare (by their weights)."""
    shares = {name: 0 for name, _ in weights}
    active = [(name, weight) for name, weight in weights if available.get(name, 0) > 0]
    left = total
    while left > 0 and active:
        split = largest_remainder(active, left)
        for name, count in split.items():
            shares[name] += min(count, available[name] - shares[name])
        left = total - sum(shares.values())
        active = [(name, w) for name, w in active if shares[name] < available[name]]
    return shares


def draw(
    bank: Sequence[BankItem],
    weights: Sequence[tuple[str, float]],
    total: int,
    seed: int,
    last_asked: Mapping[int, int] | None = None,
) -> Draw:
    """Draw `total` questions from `bank` by `weights` (see the module's rules).

    `last_asked`: card pk -> how recent its last practice exam is (larger is more
    recent); cards absent from it were never asked.
    """
    rng = random.Random(seed)
    seen = last_asked or {}
    by_domain: dict[str, list[BankItem]] = {name: [] for name, _ in weights}
    for item in bank:
        if item.domain in by_domain:
            by_domain[item.domain].append(item)
    available = {name: len(items) for name, items in by_domain.items()}
    shares = allocate(weights, total, available)
    chosen: list[int] = []
    for name, _ in weights:
        items = by_domain[name]
        rng.shuffle(items)
        items.sort(key=lambda item: seen.get(item.pk, -1))  # stable: random among equals
        chosen.extend(item.pk for item in items[: shares[name]])
    rng.shuffle(chosen)
    return Draw(
        pks=tuple(chosen),
        wanted=tuple(largest_remainder(weights, total).items()),
        drawn=tuple(shares.items()),
        available=tuple(available.items()),
    )


def exam_choices(seed: int, position: int, choices: Sequence[str]) -> list[str]:
    """A question's choices in this exam's order (fixed by the exam's seed)."""
    order = list(choices)
    random.Random(f"{seed}#{position}").shuffle(order)
    return order


@dataclass(frozen=True, slots=True)
class Question:
    """One question of an exam as asked, with the learner's answer so far."""

    position: int
    """1-based, as numbered on screen."""
    pk: int
    card_id: str
    """deck/card."""
    domain: str
    front: str
    choices: tuple[str, ...]
    """In the order shown in this exam."""
    answer: str
    explanation: str | None
    source: str | None
    picked: str | None = None
    flagged: bool = False
    seconds: float = 0.0
    task: ExamTask | None = None
    """The exam task the item tests (None when it names none)."""

    @property
    def correct(self) -> bool:
        return self.picked is not None and self.picked == self.answer


@dataclass(frozen=True, slots=True)
class DomainScore:
    domain: str
    correct: int
    asked: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.asked if self.asked else 0.0


@dataclass(frozen=True, slots=True)
class Result:
    """A scored exam."""

    correct: int
    asked: int
    pass_percent: int
    pass_is_estimate: bool
    domains: tuple[DomainScore, ...]
    seconds_used: float
    tasks: tuple[TaskScore, ...] = ()
    """Right of asked per exam task, for the questions that name one."""

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.asked if self.asked else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_percent

    @property
    def weakest(self) -> str | None:
        """The domain with the lowest score (None when nothing was missed)."""
        missed = [d for d in self.domains if d.correct < d.asked]
        if not missed:
            return None
        return min(missed, key=lambda d: (d.percent, -d.asked)).domain

    @property
    def weakest_tasks(self) -> tuple[TaskScore, ...]:
        """The few tasks to work on, weakest first (srs_crss.exams.tasks.weakest)."""
        return weakest(self.tasks)


def score(
    questions: Sequence[Question],
    pass_percent: int,
    pass_is_estimate: bool,
    seconds_used: float,
    domains: Sequence[str] = (),
) -> Result:
    """Score the exam: unanswered questions count as wrong, as in the real exam.

    `domains` gives the order of the per-domain lines (others follow as met).
    """
    order = list(domains) + [q.domain for q in questions if q.domain not in domains]
    tally = {name: [0, 0] for name in dict.fromkeys(order)}
    for question in questions:
        tally[question.domain][1] += 1
        tally[question.domain][0] += question.correct
    return Result(
        correct=sum(q.correct for q in questions),
        asked=len(questions),
        pass_percent=pass_percent,
        pass_is_estimate=pass_is_estimate,
        domains=tuple(DomainScore(n, c, a) for n, (c, a) in tally.items() if a),
        seconds_used=seconds_used,
        tasks=by_task((q.task, q.correct) for q in questions if q.task is not None),
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """A practice exam as stored: its settings, clock and outcome."""

    id: int
    profile: str
    decks: tuple[str, ...]
    seed: int
    pass_percent: int
    pass_is_estimate: bool
    time_limit_ms: int
    used_ms: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    correct: int | None
    asked: int
    domains: tuple[DomainScore, ...] = ()
    """Per-domain scores (finished attempts, in history listings)."""

    @property
    def left_ms(self) -> int:
        return max(0, self.time_limit_ms - self.used_ms)

    @property
    def percent(self) -> float | None:
        if self.correct is None or not self.asked:
            return None
        return 100.0 * self.correct / self.asked


def trend(percents: Sequence[float]) -> float | None:
    """Points gained (or lost) from the first to the last of the recent scores, oldest first."""
    if len(percents) < 2:
        return None
    return round(percents[-1] - percents[0], 1)
