"""The day's new-card limit: the usual one, raised to meet an exam date, less the new
cards already introduced today (counted from the review log, so a second session
the same day does not go past it). A review session and `stats` both ask here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from srs_crss.exams import planning
from srs_crss.model import Scope
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY

if TYPE_CHECKING:
    from srs_crss.storage import Store


def new_limit(
    store: Store,
    learner_id: int,
    today: dt.date,
    scope: Scope,
    exams: dict[str | None, dt.date],
    usual: int = DEFAULT_NEW_PER_DAY,
) -> int:
    """The day's new-card limit for a scope, raised by the earliest exam that applies to it."""
    decks = scope.decks or tuple(store.decks.slugs())
    if not any(planning.exam_for(deck, exams) for deck in decks):
        return usual  # (no exam: no need to count the unseen cards)
    unseen = store.queue.count_new_available(learner_id, scope)
    return planning.daily_new_limit(decks, exams, unseen, today, usual)


def new_left_today(
    store: Store,
    learner_id: int,
    today: dt.date,
    scope: Scope,
    exams: dict[str | None, dt.date],
    usual: int = DEFAULT_NEW_PER_DAY,
) -> int:
    """New cards that may still be introduced today in this scope."""
    introduced = store.queue.new_introduced(learner_id, today, scope.decks)
    return max(0, new_limit(store, learner_id, today, scope, exams, usual) - introduced)
