"""`srs-crss mock`: starting, resuming and listing practice exams (App.practice).

Drawing is srs_crss.exams.mock's (pure); taking the exam is srs_crss.exams.run's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from srs_crss.errors import NotFound, UsageError
from srs_crss.exams import mock, profiles
from srs_crss.exams.mock import Attempt, Draw
from srs_crss.exams.profiles import Profile
from srs_crss.exams.run import MockRun
from srs_crss.model import OPEN
from srs_crss.settings.run import NO_LEARNER

if TYPE_CHECKING:
    from srs_crss.service.context import Context

RECENT_SCORES = 5
"""Finished exams shown with their trend in stats and exam show."""


@dataclass(frozen=True, slots=True)
class Started:
    """A new exam, with how it was drawn."""

    run: MockRun
    draw: Draw
    profile: Profile
    asked_for: int


class Practice:
    def __init__(self, context: Context) -> None:
        self.ctx = context

    def start(
        self,
        profile_id: str,
        decks: Sequence[str] = (),
        questions: int | None = None,
        minutes: int | None = None,
        seed: int | None = None,
        domain: str | None = None,
    ) -> Started:
        """Draw a new exam by the profile's weights and store it (open); `domain`: a
        quiz on that domain alone."""
        context = self.ctx
        profile = profiles.get(profile_id)
        if domain is not None:
            profile = one_domain(profile, domain)
        context.ensure_decks()
        context.check_scope(decks)
        chosen = context.studied(tuple(decks)) or tuple(context.store.decks.slugs())
        total = questions if questions is not None else profile.questions
        limit_minutes = minutes if minutes is not None else profile.minutes
        store, learner = context.store, context.learner_id
        # A seed given by hand draws the same exam for anyone with the same decks (a class
        # sitting one exam), so it leaves out this learner's past exams; a random one
        # prefers the items not asked lately.
        last_asked = store.mocks.last_asked(learner) if seed is None else {}
        if seed is None:
            seed = random.SystemRandom().randrange(1, 2**31)
        drawn = mock.draw(store.mocks.bank(chosen), profile.weights, total, seed, last_asked)
        if not drawn.pks:
            raise UsageError(
                f"The deck{'s' if len(chosen) > 1 else ''} {', '.join(chosen)} "
                f"{'have' if len(chosen) > 1 else 'has'} no multiple-choice questions in "
                f"the exam's domains ({', '.join(profile.domains)}), so no practice exam "
                "can be drawn from them."
            )
        cards = store.decks.cards_by_pk(drawn.pks)
        asked = [
            (pk, mock.exam_choices(seed, n, cards[pk].choices))
            for n, pk in enumerate(drawn.pks, start=1)
        ]
        attempt = Attempt(
            id=0,
            profile=profile.id,
            decks=chosen,
            seed=seed,
            pass_percent=profile.pass_percent,
            pass_is_estimate=profile.pass_is_estimate,
            time_limit_ms=limit_minutes * 60_000,
            used_ms=0,
            started_at=context.now(),
            finished_at=None,
            status=OPEN,
            correct=None,
            asked=len(asked),
        )
        attempt = replace(attempt, id=store.mocks.create(learner, attempt, asked))
        # the forecast for these questions, frozen before the exam is taken (issue 27)
        from srs_crss.service.forecasting import Forecasting  # FSRS: forecast and mock only

        Forecasting(context).freeze(attempt.id, drawn.pks, chosen)
        return Started(self._run(attempt), drawn, profile, total)

    def check(self, profile_id: str, decks: Sequence[str], domain: str | None = None) -> None:
        """Refuse an unknown profile, domain or deck before anything is written."""
        profile = profiles.get(profile_id)
        if domain is not None:
            one_domain(profile, domain)
        self.ctx.ensure_decks()
        self.ctx.check_scope(decks)

    def unfinished(self) -> Attempt | None:
        """The learner's open exam, if there is one."""
        self.ctx.ensure_decks()
        if self.ctx.reader_id == NO_LEARNER:
            return None
        return self.ctx.store.mocks.latest_open(self.ctx.reader_id)

    def resume(self) -> MockRun:
        """Take up the open exam where it was left, with the time that was left."""
        attempt = self.unfinished()
        if attempt is None:
            raise NotFound(
                "There is no unfinished practice exam to resume. Start one with `srs-crss mock`."
            )
        return self._run(attempt)

    def history(self) -> list[Attempt]:
        """Every attempt, oldest first."""
        self.ctx.ensure_decks()
        return [_in_profile_order(a) for a in self.ctx.store.mocks.history(self.ctx.reader_id)]

    def recent(self) -> tuple[Attempt, ...]:
        """The latest finished exams (oldest first), for stats and exam show."""
        found = self.ctx.store.mocks.history(self.ctx.reader_id, limit=RECENT_SCORES)
        return tuple(_in_profile_order(a) for a in found)

    def _run(self, attempt: Attempt) -> MockRun:
        known = profiles.load().get(attempt.profile)
        return MockRun(
            store=self.ctx.store,
            attempt=attempt,
            questions=self.ctx.store.mocks.questions(attempt.id),
            domains=known.domains if known else (),
            now=self.ctx.now,
        )


def one_domain(profile: profiles.Profile, domain: str) -> profiles.Profile:
    """The profile narrowed to one of its domains (named in any case), for a quiz."""
    for name, weight in profile.weights:
        if name.lower() == domain.strip().lower():
            return profile._replace(weights=((name, weight),))
    raise UsageError(
        f"The {profile.name} exam has no domain {domain!r}. "
        f"Its domains: {', '.join(profile.domains)}."
    )


def _in_profile_order(attempt: Attempt) -> Attempt:
    """Per-domain scores in the order the exam's profile lists its domains."""
    known = profiles.load().get(attempt.profile)
    order = {name: n for n, name in enumerate(known.domains if known else ())}
    ranked = sorted(attempt.domains, key=lambda d: (order.get(d.domain, len(order)), d.domain))
    return replace(attempt, domains=tuple(ranked))
