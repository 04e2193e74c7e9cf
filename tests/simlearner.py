"""A simulated learner with a known memory, who studies through the real review loop
and answers a real practice exam: the ground truth the forecast is checked against
(tests/program/test_forecast_sim.py, benchmarks/bench_forecast.py).

Memory, per fact (a card and its siblings share one): a chance of knowing it before
any study (`known_before`, drawn per fact); once studied, recall falls from certain
back to that chance, exp(-days / stability); each success on a later day multiplies
the stability by `GROWTH`, and a miss sets it back to `FIRST_STABILITY`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from srs_crss.cli.keys import ENTER
from srs_crss.model import LETTERS, Card

FIRST_STABILITY = 3.0
"""Days: after a first study or a miss."""
GROWTH = 3.0
"""Stability multiplied by this after each success on a later day."""


@dataclass
class Fact:
    known_before: float
    stability: float = 0.0
    last: dt.date | None = None


@dataclass
class SimLearner:
    seed: int
    facts: dict[str, Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def fact(self, key: str) -> Fact:
        if key not in self.facts:
            # a stable draw per fact, whatever order the facts are met in
            self.facts[key] = Fact(random.Random(f"{self.seed}:{key}").betavariate(2, 4))
        return self.facts[key]

    def recall(self, key: str, day: dt.date) -> float:
        """The true chance of recalling the fact on `day` (nothing changes)."""
        fact = self.fact(key)
        if fact.last is None:
            return fact.known_before
        fading = math.exp(-(day - fact.last).days / fact.stability)
        return fact.known_before + (1 - fact.known_before) * fading

    def study(self, key: str, day: dt.date) -> bool:
        """Try to recall the fact on `day` in a review; the memory learns from it."""
        fact = self.fact(key)
        recalled = self.rng.random() < self.recall(key, day)
        later_day = fact.last is not None and day > fact.last
        if fact.last is None or not recalled:
            fact.stability = FIRST_STABILITY
        elif later_day:
            fact.stability *= GROWTH
        fact.last = day
        return recalled

    def choose(self, answer: str | None, choices: list[str], recalled: bool) -> str:
        """The choice picked: the answer if recalled, else a guess among all of them."""
        if recalled and answer in choices:
            return answer
        return self.rng.choice(choices)

    def sit(self, fact: str, answer: str | None, choices: list[str], day: dt.date) -> str:
        """A practice-exam question: recalled with the true chance; the memory unchanged."""
        return self.choose(answer, choices, self.rng.random() < self.recall(fact, day))


class StudyScreen:
    """The review loop's screen (srs_crss.cli.ui.Screen) with the simulated learner at
    the keys: a multiple-choice card is answered by its letter, a flashcard graded
    without looking (4 if recalled, else 1); the grade after a pick is the default."""

    reveal_prompt = "Enter: show the answer"

    def __init__(self, learner: SimLearner, day: dt.date) -> None:
        self.learner, self.day = learner, day
        self.card: Card | None = None
        self.choices: list[str] = []
        self.answers = 0

    def show_front(self, card: Card, progress: object, choices: list[str]) -> None:
        self.card, self.choices = card, choices

    def show_back(self, card: Card, choices: list[str], picked: str | None) -> None:
        pass

    def key(self, prompt: str) -> str | None:
        card = self.card
        assert card is not None
        if prompt.startswith("Grade"):
            return ENTER
        recalled = self.learner.study(card.note, self.day)
        self.answers += 1
        if prompt == self.reveal_prompt:
            return "4" if recalled else "1"
        picked = self.learner.choose(card.answer, self.choices, recalled)
        return LETTERS[self.choices.index(picked)].lower()

    def hint(self, text: str) -> None:
        raise AssertionError(f"the simulated learner pressed a wrong key: {text}")

    def ask(self, question: str) -> str | None:
        return None

    def note(self, text: str) -> None:
        pass

    def finish(self, summary: object) -> None:
        pass

    def nothing_due(self, info: object) -> None:
        pass
