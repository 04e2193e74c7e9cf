"""Due cards fetched a page at a time, in queue order, for a review session."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from srs_crss import sm2
from srs_crss.model import Scope

if TYPE_CHECKING:
    from srs_crss.storage import Store

DUE_PAGE = 200
"""Due cards fetched in one query once a session is under way."""
FIRST_PAGE = 20
"""Due cards fetched before the first card: the page's rows cost about 30 µs each to
read, and the rest come while the learner reads (`Session.ready`)."""


class DuePages:
    """Due cards fetched a page at a time, in queue order.

    A learner can have tens of thousands of cards due; fetching them all
    before showing the first would make every session slow to start. The
    counts for the header come from one aggregate query instead.
    """

    def __init__(
        self, store: Store, learner_id: int, day: dt.date, scope: Scope, limit: int | None
    ) -> None:
        self.store, self.learner_id, self.day, self.scope = store, learner_id, day, scope
        total, extra, relearn = store.queue.due_counts(learner_id, day, scope, limit)
        self.unfetched = total
        # kinds of the cards not fetched yet, for the header
        self.kinds: Counter[sm2.ReviewKind] = Counter(
            {
                sm2.ReviewKind.EXTRA: extra,
                sm2.ReviewKind.RELEARN: relearn,
                sm2.ReviewKind.REVIEW: total - extra - relearn,
            }
        )
        self.after: tuple[Any, ...] | None = None

    def claim(self, state: sm2.CardState) -> None:
        """A due card the session shows before this line (it will be skipped here)."""
        self.unfetched = max(0, self.unfetched - 1)
        kind = sm2.kind_of(state)
        self.kinds[kind] = max(0, self.kinds[kind] - 1)

    def next_page(self, seen: Container[int]) -> list[tuple[int, sm2.CardState]]:
        if self.unfetched <= 0:
            return []
        size = FIRST_PAGE if self.after is None else DUE_PAGE
        rows = self.store.queue.due_page(
            self.learner_id, self.day, self.scope, self.after, min(size, self.unfetched)
        )
        if not rows:
            self.unfetched = 0
            self.kinds.clear()
            return []
        self.after = rows[-1][2]
        page = []
        for pk, state, _ in rows:
            if pk in seen:  # answered earlier this session and due again today
                continue
            page.append((pk, state))
            self.unfetched -= 1
            kind = sm2.kind_of(state)
            self.kinds[kind] = max(0, self.kinds[kind] - 1)
        return page
