"""What a review session gave: each answer (kept for undo) and the summary at its end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from srs_crss import sm2
from srs_crss.model import Card, QueueOptions, Summary
from srs_crss.study.stats import streak

if TYPE_CHECKING:
    from srs_crss.storage import Store

STREAK_DAYS = 4000  # study days read for the summary's streak (over ten years)


class Answered(NamedTuple):
    """One answer given in this session (for undo and the summary)."""

    review_id: int
    card: Card
    outcome: sm2.Review
    duration_ms: int
    requeued: bool
    leech: bool = False
    """This answer made the card a leech (now suspended)."""
    cram: bool = False
    """A cram answer (review_id is then the cram answer's id)."""


def summarise(
    answered: Sequence[Answered], store: Store, learner_id: int, today: dt.date,
    options: QueueOptions,
) -> Summary:  # fmt: skip
    """The end-of-session figures: this session's answers, and what is due next."""
    tomorrow = today + dt.timedelta(days=1)
    queue, scope = store.queue, options.scope
    due_today = queue.count_due_on(learner_id, today, scope)
    crammed = sum(a.cram for a in answered)
    return Summary(
        reviewed=len(answered) - crammed,
        crammed=crammed,
        correct=sum(a.outcome.grade.passed for a in answered),
        seconds=sum(a.duration_ms for a in answered) / 1000,
        due_tomorrow=queue.count_due_on(learner_id, tomorrow, scope) - due_today,
        streak=streak(queue.study_days(learner_id, today, STREAK_DAYS), today),
        due_today=due_today,
    )
