"""`srs-crss readiness`: the exam-day forecast, and its record beside practice exams.

The forecast reads the review log (srs_crss.forecast.memory replays it with FSRS-6),
the exam bank and the profile's blueprint; the calibration reads the frozen
forecasts beside the practice exams' outcomes. Results are plain records
(`Readiness`) so the command line and the web page show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from srs_crss.errors import UsageError
from srs_crss.exams import profiles
from srs_crss.forecast import calibration, memory, readiness
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context

PRIOR_STRENGTH = 20
"""First answers the deck's average counts as, while this learner has few of their own."""


@dataclass(frozen=True, slots=True)
class Readiness:
    """The forecast for one exam day, with how well past forecasts did."""

    model: str
    date: dt.date
    on_exam_date: bool
    """The date is the exam date set with `exam set` (not just today)."""
    profile: str
    profile_name: str
    pass_is_estimate: bool
    forecast: readiness.Forecast
    calibration: calibration.Calibration
    reviews: int
    """Answers in the log the forecast read."""


class Forecasting:
    def __init__(self, context: Context) -> None:
        self.ctx = context

    @cached_property
    def _histories(self) -> dict[int, list[memory.Answer]]:
        if self.ctx.reader_id == NO_LEARNER:
            return {}
        return self.ctx.store.forecasts.histories(self.ctx.reader_id)

    @cached_property
    def model(self) -> memory.Model:
        return memory.fit(self._histories.values())

    @cached_property
    def _memories(self) -> dict[int, memory.Memory]:
        return memory.states(self.model, self._histories)

    def exam_date(self) -> dt.date | None:
        """The exam date set for all decks, else the earliest set for one, if any."""
        if self.ctx.reader_id == NO_LEARNER:
            return None
        days = self.ctx.store.exams.all(self.ctx.reader_id)
        if None in days:
            return days[None]
        return min(days.values(), default=None)

    def _decks(self) -> tuple[str, ...]:
        return self.ctx.studied(()) or tuple(self.ctx.store.decks.slugs())

    def prior(self, decks: Sequence[str]) -> float:
        """The recall of a card never studied (see forecast.readiness.prior_recall)."""
        store = self.ctx.store
        mine = store.forecasts.first_answers(self.ctx.reader_id) if self._histories else []
        everyone = store.forecasts.first_answers(None, decks)
        deck_average = readiness.prior_recall(everyone, 0.0, 0) if everyone else 0.0
        return readiness.prior_recall(mine, deck_average, PRIOR_STRENGTH)

    def items(self, day: dt.date, decks: Sequence[str]) -> list[readiness.Item]:
        memories = self._memories
        return [
            readiness.Item(
                pk,
                domain,
                choices,
                self.model.recall(memories[pk], day) if pk in memories else None,
            )
            for pk, domain, choices in self.ctx.store.forecasts.bank(decks)
        ]

    def readiness(self, profile_id: str, date: str | dt.date | None = None) -> Readiness:
        """The forecast on `date` (YYYY-MM-DD; default: the exam date if one is set, else
        today)."""
        context = self.ctx
        profile = profiles.get(profile_id)
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise UsageError(
                    f"not a date: {date!r} (use YYYY-MM-DD, e.g. 2027-03-15)"
                ) from None
        context.ensure_decks()
        today = context.today()
        exam_day = self.exam_date()
        day = date or (exam_day if exam_day and exam_day >= today else today)
        if day < today:
            raise UsageError(
                f"The date {day.isoformat()} has passed: the forecast is for today or a later day."
            )
        decks = self._decks()
        checks = (
            context.store.forecasts.checks(context.reader_id)
            if context.reader_id != NO_LEARNER
            else []
        )
        calibrated = calibration.calibrate(checks)
        correction = calibrated.recalibration
        found = readiness.forecast(
            self.items(day, decks),
            profile.weights,
            profile.questions,
            profile.pass_percent,
            self.prior(decks),
            {"a": correction[0], "b": correction[1]} if correction else None,
        )
        return Readiness(
            model=self.model.name,
            date=day,
            on_exam_date=exam_day == day,
            profile=profile.id,
            profile_name=profile.name,
            pass_is_estimate=profile.pass_is_estimate,
            forecast=found,
            calibration=calibrated,
            reviews=sum(len(h) for h in self._histories.values()),
        )

    def freeze(self, exam_id: int, pks: Sequence[int], decks: Sequence[str]) -> None:
        """Write the forecast chance of each question of a new practice exam, before it
        is taken (the raw forecast: the calibration judges the model, not itself)."""
        day = self.ctx.today()
        prior = self.prior(decks)
        wanted = set(pks)
        chances = {
            item.pk: readiness.item_chance(item, prior)
            for item in self.items(day, decks)
            if item.pk in wanted
        }
        self.ctx.store.forecasts.freeze(
            exam_id,
            [(pk, chances[pk]) for pk in pks if pk in chances],
            self.model.name,
            self.ctx.now(),
        )
