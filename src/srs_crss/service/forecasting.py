"""`srs-crss readiness`: the exam-day forecast, and its record beside practice exams.

The forecast reads the review log (srs_crss.forecast.memory replays it with FSRS-6),
the exam bank and the profile's blueprint; the calibration reads the frozen
forecasts beside the practice exams' outcomes. Results are plain records
(`Readiness`) so the command line and the web page show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from srs_crss.errors import UsageError
from srs_crss.exams import profiles
from srs_crss.forecast import calibration, memory, plan, readiness
from srs_crss.forecast.readiness import Forecast
from srs_crss.model import Scope
from srs_crss.service.exam_dates import ExamDates
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context

QUICK_ANSWERS = 100_000
"""`stats` and `exam show` include the forecast up to this many answers in the log (a
second or two); past it they point to `srs-crss readiness`, which reads them all."""

PRIOR_STRENGTH = 20
"""First answers the deck's average counts as, while this learner has few of their own."""
OWN_ENOUGH = 50 * PRIOR_STRENGTH
"""First answers of one's own past which the deck's average is not read at all."""


class Readiness(NamedTuple):
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
        self._priors: dict[tuple[str, ...], float] = {}
        self._banks: dict[tuple[str, ...], tuple[list[tuple[int, str, int]], dict[int, set[int]]]]
        self._banks = {}
        self._memory_cache: dict[int, memory.Memory] = {}
        self._unanswered: set[int] = set()

    @cached_property
    def _replay(self) -> memory.Replay:
        if self.ctx.reader_id == NO_LEARNER:
            return memory.Replay({}, {})
        return self.ctx.store.forecasts.replay(self.ctx.reader_id)

    @cached_property
    def model(self) -> memory.Model:
        return memory.fit(self._replay)

    def memories(self, pks: Iterable[int]) -> dict[int, memory.Memory]:
        """The memory of each of these cards that was answered: replayed on first asking
        only (a forecast needs the bank's cards and their siblings, not the whole log)."""
        wanted = set(pks)
        missing = wanted - self._memory_cache.keys() - self._unanswered
        if missing:
            found = memory.states(self.model, self._replay, sorted(missing))
            self._memory_cache.update(found)
            self._unanswered |= missing - found.keys()
        return {pk: self._memory_cache[pk] for pk in wanted if pk in self._memory_cache}

    def _bank(self, decks: Sequence[str]) -> tuple[list[tuple[int, str, int]], dict[int, set[int]]]:
        """The bank's questions and their siblings (read once per run)."""
        key = tuple(decks)
        if key not in self._banks:
            store = self.ctx.store
            self._banks[key] = (store.forecasts.bank(decks), store.forecasts.siblings(decks))
        return self._banks[key]

    def exam_date(self) -> dt.date | None:
        """The exam date set for all decks, else the earliest set for one, if any."""
        return ExamDates(self.ctx).exam_day()

    def _decks(self) -> tuple[str, ...]:
        return self.ctx.studied(()) or tuple(self.ctx.store.decks.slugs())

    def prior(self, decks: Sequence[str]) -> float:
        """The recall of a card never studied (see forecast.readiness.prior_recall)."""
        key = tuple(decks)
        if key not in self._priors:
            store = self.ctx.store
            mine = store.forecasts.first_answers(self.ctx.reader_id) if self._replay.reviews else []
            deck_average = 0.0
            if len(mine) < OWN_ENOUGH:  # past it, the deck's average moves the prior by < 2%
                everyone = store.forecasts.first_answers(None, decks)
                # itself leaning on "known before study: nothing" while the deck has few
                # first answers: one right answer must not make every unseen card known
                deck_average = readiness.prior_recall(everyone, 0.0, PRIOR_STRENGTH)
            self._priors[key] = readiness.prior_recall(mine, deck_average, PRIOR_STRENGTH)
        return self._priors[key]

    def items(self, day: dt.date, decks: Sequence[str]) -> list[readiness.Item]:
        """The bank's questions on `day`: the chance of a right pick from the question's
        own answers, and the recall of its siblings (cards testing the same fact, the
        best of them); None for either where there is none."""
        bank, siblings = self._bank(decks)
        memories = self.memories(
            [pk for pk, _, _ in bank] + [c for others in siblings.values() for c in others]
        )
        found = []
        for pk, domain, choices in bank:
            known = [memories[c] for c in sorted(siblings.get(pk, ())) if c in memories]
            recall = max(self.model.recall(m, day) for m in known) if known else None
            own = self.model.recall(memories[pk], day) if pk in memories else None
            found.append(readiness.Item(pk, domain, choices, recall, own))
        return found

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
            reviews=self._replay.answers,
        )

    def readiness_if_quick(self, profile_id: str) -> Readiness | None:
        """The forecast for `stats` and `exam show`, or None when the log is long enough
        that reading it would slow them down (`readiness` then gives it)."""
        learner = self.ctx.reader_id
        if learner != NO_LEARNER and self.ctx.store.forecasts.answers_over(learner, QUICK_ANSWERS):
            return None
        return self.readiness(profile_id)

    def today_if_quick(self, profile_id: str) -> plan.DayPlan | None:
        """Today's plan, or None when the log is long enough that reading it would slow
        the start of study (`today` then gives it). App.todays_plan asks first whether
        an exam date is ahead."""
        learner = self.ctx.reader_id
        if learner != NO_LEARNER and self.ctx.store.forecasts.answers_over(learner, QUICK_ANSWERS):
            return None
        return self.today(profile_id)

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

    def today(self, profile_id: str) -> plan.DayPlan:
        """Today's plan: due reviews, new cards by domain, a quiz when it helps more;
        each with its expected effect in points on the exam date, if one is set."""
        context = self.ctx
        profile = profiles.get(profile_id)
        context.ensure_decks()
        today, learner, store = context.today(), context.reader_id, context.store
        exam_day = self.exam_date()
        exam_day = exam_day if exam_day and exam_day >= today else None
        decks = self._decks()
        known = learner != NO_LEARNER
        due = store.forecasts.due(learner, today, decks) if known else []
        # new cards as `review` takes them (the default deck, if one is set)
        scope = Scope(decks=context.studied(context.review_decks(())))
        unseen = {
            name: store.queue.count_new_available(learner, scope._replace(domain=name))
            for name in profile.domains
        }
        exams = store.exams.all(learner) if known else {}
        new_count = context.new_today(scope, exams, today).left  # as review and stats
        latest = store.mocks.history(learner, limit=1) if known else []
        latest_practice = latest[-1].percent if latest else None
        bank = self._bank(decks)[0]
        sizes = {name: sum(1 for _, d, _ in bank if d == name) for name in profile.domains}
        worth = plan.points_per_item(profile.weights, sizes)
        if exam_day is None:
            return plan.build(today, None, [(d, 0.0) for _, d, _ in due], new_count, unseen,
                              {}, {}, worth, None, latest_practice)  # fmt: skip
        prior = self.prior(decks)
        choices = [c for _, _, c in bank]
        typical = max(choices, key=choices.count, default=4)

        def points(domain: str, k: int, gain: float) -> float:
            return worth.get(domain, 0.0) * (1.0 - 1.0 / (k or typical)) * gain

        asked = self._asked(decks)
        due_memories = self.memories(pk for pk, _, _ in due)
        gains = memory.review_gains(self.model, [due_memories.get(pk) for pk, _, _ in due],
                                    today, exam_day, prior)  # fmt: skip
        due_points = [
            (d, points(d, k, g) if pk in asked else 0.0)
            for (pk, d, k), g in zip(due, gains, strict=True)
        ]
        (new_one,) = memory.review_gains(self.model, [None], today, exam_day, prior)
        found = self.readiness(profile.id, exam_day)
        untouched = {d.domain: d.items - d.seen for d in found.forecast.domains}
        new_gain = {
            name: points(name, typical, new_one) * min(1.0, untouched[name] / unseen[name])
            for name in worth
            if unseen.get(name)
        }
        quiz = self._quiz(found.forecast, exam_day, decks, prior, points)
        return plan.build(today, exam_day, due_points, new_count, unseen, new_gain, quiz,
                          worth, found.forecast.expected_percent, latest_practice)  # fmt: skip

    def _asked(self, decks: Sequence[str]) -> set[int]:
        """The cards whose recall the forecast reads: the bank's, and their siblings."""
        bank, siblings = self._bank(decks)
        asked = {pk for pk, _, _ in bank}
        for others in siblings.values():
            asked |= others
        return asked

    def _quiz(
        self,
        forecast: Forecast,
        exam_day: dt.date,
        decks: Sequence[str],
        prior: float,
        points: Callable[[str, int, float], float],
    ) -> dict[str, float]:
        """{weakest domain: expected points of one quiz question there}.

        A question is missed with 1 - its chance, and a missed card comes first in the
        next review: answering it again is the gain. Only studied questions count: a
        missed one never studied comes back as a new card, already in today's new ones.
        """
        present = [d for d in forecast.domains if d.items]
        if not present:
            return {}
        weakest = min(present, key=lambda d: (d.expected_percent, d.domain)).domain
        items = [i for i in self.items(self.ctx.today(), decks) if i.domain == weakest]
        memories = self.memories(i.pk for i in items)
        studied = [i for i in items if i.pk in memories]
        gains = memory.review_gains(
            self.model, [memories[i.pk] for i in studied], self.ctx.today(), exam_day, prior
        )
        total = sum(
            (1 - readiness.item_chance(item, prior)) * points(weakest, item.choices, gain)
            for item, gain in zip(studied, gains, strict=True)
        )
        return {weakest: total / len(items)}
