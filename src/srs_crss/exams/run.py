"""A practice exam being taken: answers, flags and the clock, saved as they happen.

No terminal code here: srs_crss.cli.mockui drives a `MockRun` and draws it.
Every pick and flag is written before the call returns, with the time used
so far, so a killed process loses no answer and `mock --resume` goes on with
the time that was left. The clock runs only while the exam is on screen.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from srs_crss.exams.mock import Attempt, Question, Result, score
from srs_crss.model import ABANDONED, OPEN, SUBMITTED, TIMED_OUT

if TYPE_CHECKING:
    from srs_crss.storage import Store

CLOCK_SAVE_SECONDS = 10.0
"""While the exam waits for a key, the clock is saved at least this often."""


@dataclass
class MockRun:
    """One practice exam on screen: questions, where the learner is, the clock."""

    store: Store
    attempt: Attempt
    questions: list[Question]
    domains: tuple[str, ...] = ()
    """The profile's domains, in the order results list them."""
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    monotonic: Callable[[], float] = time.monotonic
    position: int = 1
    status: str = OPEN
    _base_ms: int = 0
    _since: float = field(default=0.0)
    _shown_since: float = field(default=0.0)
    _saved_at: float = field(default=0.0)
    _started: bool = False

    def __post_init__(self) -> None:
        self._base_ms = self.attempt.used_ms
        self._since = self._shown_since = self._saved_at = self.monotonic()

    # ---- the clock -------------------------------------------------------------------

    def start_clock(self) -> None:
        """Start (or restart) counting from now: the clock runs only while the exam is on."""
        self._base_ms = self.used_ms() if self._started else self.attempt.used_ms
        self._started = True
        self._since = self._shown_since = self._saved_at = self.monotonic()

    def used_ms(self) -> int:
        """Time used so far; the clock counts nothing before it is started."""
        if not self._started:
            return self.attempt.used_ms
        return self._base_ms + int((self.monotonic() - self._since) * 1000)

    def left_seconds(self) -> float:
        return max(0.0, (self.attempt.time_limit_ms - self.used_ms()) / 1000)

    def expired(self) -> bool:
        return self.left_seconds() <= 0

    def tick(self) -> None:
        """Save the clock now and then while the learner thinks."""
        if self.monotonic() - self._saved_at >= CLOCK_SAVE_SECONDS:
            self._saved_at = self.monotonic()
            self.store.mocks.save_clock(self.attempt.id, self.used_ms())

    # ---- where the learner is ------------------------------------------------------------

    @property
    def current(self) -> Question:
        return self.questions[self.position - 1]

    def go(self, position: int) -> None:
        """Show question `position` (clamped to the exam); time spent so far is kept."""
        position = min(max(1, position), len(self.questions))
        if position != self.position:
            self._leave()
            self.position = position

    def next_where(self, wanted: Callable[[Question], bool]) -> int | None:
        """The next question after the current one (wrapping round) that is `wanted`."""
        count = len(self.questions)
        for step in range(1, count + 1):
            question = self.questions[(self.position - 1 + step) % count]
            if wanted(question):
                return question.position
        return None

    def unanswered(self) -> list[int]:
        return [q.position for q in self.questions if q.picked is None]

    def flagged(self) -> list[int]:
        return [q.position for q in self.questions if q.flagged]

    # ---- answers -------------------------------------------------------------------------

    def pick(self, choice: str | None) -> None:
        """Answer the current question (None: clear the answer); saved at once."""
        self._update(replace(self.current, picked=choice))

    def toggle_flag(self) -> bool:
        """Flag the current question for review (or unflag it); saved at once."""
        self._update(replace(self.current, flagged=not self.current.flagged))
        return self.current.flagged

    def _update(self, question: Question) -> None:
        question = replace(question, seconds=question.seconds + self._take_shown())
        self.questions[question.position - 1] = question
        self._saved_at = self.monotonic()
        self.store.mocks.save(self.attempt.id, question, self.used_ms())

    def _take_shown(self) -> float:
        """Seconds the current question has been on screen since last counted."""
        moment = self.monotonic()
        spent, self._shown_since = moment - self._shown_since, moment
        return spent

    def _leave(self) -> None:
        """Count the time spent on the question being left."""
        question = self.current
        self._update(replace(question, seconds=question.seconds))

    # ---- the end ---------------------------------------------------------------------------

    def answered(self) -> int:
        return sum(q.picked is not None for q in self.questions)

    def submit(self, timed_out: bool = False) -> Result:
        """Score and close the exam (by the learner, or by the clock).

        Callers check `answered()` first: an exam with no answer is abandoned, not
        scored (a 0% would drag the trend down and send every question to review)."""
        self._leave()
        used = min(self.used_ms(), self.attempt.time_limit_ms)
        result = self.result(used)
        self.status = TIMED_OUT if timed_out else SUBMITTED
        self.store.mocks.finish(self.attempt.id, self.status, result.correct, used, self.now())
        # each outcome beside the forecast frozen when the exam began (issue 27)
        outcomes = [(q.pk, q.correct) for q in self.questions]
        self.store.forecasts.record_outcomes(self.attempt.id, outcomes, self.now())
        return result

    def abandon(self) -> None:
        """Close the exam unscored; it stays in the history as abandoned."""
        self._leave()
        self.status = ABANDONED
        self.store.mocks.finish(self.attempt.id, ABANDONED, None, self.used_ms(), self.now())

    def pause(self) -> None:
        """Save the clock (the exam stays open for `mock --resume`)."""
        if self.status == OPEN:
            self._leave()

    def result(self, used_ms: int | None = None) -> Result:
        used = self.used_ms() if used_ms is None else used_ms
        return score(
            self.questions,
            self.attempt.pass_percent,
            self.attempt.pass_is_estimate,
            used / 1000,
            self.domains,
        )
