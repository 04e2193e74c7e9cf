"""The day's new cards: the usual limit, raised to meet an exam date, and what is left
of it today. A review session, `stats` and `exam show` all ask here, so the three
always give the same figures.

The raised limit is worked out from the cards unseen at the start of the day (those
unseen now plus those introduced today), so a second session the same day neither
counts today's cards twice nor gets a different limit from the first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from srs_crss.exams import planning
from srs_crss.model import Scope
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY

if TYPE_CHECKING:
    from srs_crss.storage import Store


class NewToday(NamedTuple):
    """The day's new-card figures for one scope."""

    limit: int
    """The day's limit: the usual one, or more to see every card before an exam."""
    introduced: int
    """New cards already introduced today."""

    @property
    def left(self) -> int:
        return max(0, self.limit - self.introduced)


def new_today(
    store: Store,
    learner_id: int,
    today: dt.date,
    scope: Scope,
    exams: dict[str | None, dt.date],
    usual: int = DEFAULT_NEW_PER_DAY,
) -> NewToday:
    """The day's limit for a scope (raised by the earliest exam that applies to it) and
    the new cards introduced today."""
    introduced = store.queue.new_introduced(learner_id, today, scope.decks)
    decks = scope.decks or tuple(store.decks.slugs())
    if not any(planning.exam_for(deck, exams) for deck in decks):
        return NewToday(usual, introduced)  # (no exam: no need to count the unseen cards)
    unseen = store.queue.count_new_available(learner_id, scope)
    limit = planning.daily_new_limit(decks, exams, unseen + introduced, today, usual)
    return NewToday(limit, introduced)
