"""Exam-date planning: how srs-crss departs from plain SM-2 while an exam is set.

Pure: no I/O, no clock. Two rules, both documented in docs/exam.md:

- Cap: a due day that would fall after the exam moves to the day before it,
  when that day is still ahead of the review. Only the due day moves; the
  SM-2 state (EF, repetitions, interval) stays what SM-2 computed, and the
  review log keeps the day SM-2 gave. Reviews on the day before the exam or
  later, and every review once the exam has passed, are plain SM-2.
- New cards: enough per day that every card has been seen at least
  `SEEN_BY` days before the exam; never fewer than the usual daily limit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from srs_crss.errors import UsageError
from srs_crss.sm2 import Review
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY

SEEN_BY = 7
"""Every card should have been seen at least this many days before the exam."""


def exam_for(deck: str, exams: Mapping[str | None, dt.date]) -> dt.date | None:
    """The exam date that applies to a card of `deck`: the deck's own, else the all-decks one."""
    return exams.get(deck, exams.get(None))


def cap(review: Review, exam_day: dt.date | None) -> Review:
    """Move the due day to the day before the exam when SM-2 would put it after the exam."""
    if exam_day is None or review.after.due is None:
        return review
    eve = exam_day - dt.timedelta(days=1)
    if review.day >= eve or review.after.due <= eve:
        return review
    return review._replace(after=review.after._replace(due=eve), capped_from=review.after.due)


def new_cards_per_day(unseen: int, today: dt.date, exam_day: dt.date | None, usual: int) -> int:
    """The new-card limit for `today`: raised so every card is seen `SEEN_BY` days early.

    Days to introduce cards run from today to the exam minus SEEN_BY days
    (inclusive); if none are left, every unseen card is due for introduction today.
    """
    if exam_day is None or exam_day <= today or unseen <= 0:
        return usual
    days = (exam_day - dt.timedelta(days=SEEN_BY) - today).days + 1
    if days <= 0:
        return max(usual, unseen)
    return max(usual, math.ceil(unseen / days))


def daily_new_limit(
    decks: Iterable[str],
    exams: Mapping[str | None, dt.date],
    unseen: int,
    today: dt.date,
    usual: int = DEFAULT_NEW_PER_DAY,
) -> int:
    """The day's new-card limit for cards of `decks`, raised by the earliest exam among them."""
    days = [d for d in (exam_for(deck, exams) for deck in decks) if d is not None]
    if not days:
        return usual
    return new_cards_per_day(unseen, today, min(days), usual)


class Plan(NamedTuple):
    """What `exam show` explains for one exam."""

    deck: str | None
    exam_day: dt.date
    days_left: int
    unseen: int
    new_per_day: int
    expected_reviews_per_day: float
    all_seen_by: dt.date | None

    @property
    def seen_in_time(self) -> bool:
        """Whether every card is seen at least SEEN_BY days before the exam (false when
        the exam is closer than that: then the cards are all due today)."""
        return self.all_seen_by is not None and self.all_seen_by <= self.exam_day - dt.timedelta(
            days=SEEN_BY
        )


def plan(
    deck: str | None,
    exam_day: dt.date,
    today: dt.date,
    unseen: int,
    usual: int,
    due_before_exam: int,
    *,
    per_day: int | None = None,
    left_today: int | None = None,
) -> Plan:
    """The plan for the days up to the exam.

    `per_day` is the day's new-card limit and `left_today` what is left of it today
    (srs_crss.study.newlimit works both out, the same for `review`, `stats` and `exam show`);
    by default the limit for `unseen` cards, none of them introduced yet today.

    Expected reviews per day, an estimate shown as such: the cards already
    due before the exam, plus three answers for each unseen card (its first
    and the two early reviews SM-2 gives it, after 1 and 6 days), spread over
    the days left.
    """
    days_left = max(0, (exam_day - today).days)
    if per_day is None:
        per_day = new_cards_per_day(unseen, today, exam_day, usual)
    if left_today is None:
        left_today = per_day
    if days_left == 0:
        return Plan(deck, exam_day, 0, unseen, 0, 0.0, None)
    after_today = max(0, unseen - left_today)
    more_days = math.ceil(after_today / per_day) if per_day else 0
    all_seen_by = today + dt.timedelta(days=more_days)
    expected = (due_before_exam + 3 * unseen) / days_left
    return Plan(deck, exam_day, days_left, unseen, per_day, round(expected, 1), all_seen_by)


BUSY_DAY = 200
"""Reviews a day beyond which a plan is hard to keep up with."""

FAR_AWAY_DAYS = 2 * 365
"""An exam further away than this is probably a mistyped year."""


def warnings(plan: Plan, usual: int = DEFAULT_NEW_PER_DAY) -> list[str]:
    """What is unrealistic about a plan, with what a learner can do instead (plain words)."""
    found = []
    if plan.days_left > FAR_AWAY_DAYS:
        years = plan.days_left // 365
        found.append(
            f"The exam is about {years} years away: if that is not right, set the date "
            "again (YYYY-MM-DD); until then this is plain SM-2 with the usual new cards."
        )
    if plan.days_left and plan.new_per_day > 2 * usual:
        per_day = math.ceil(plan.unseen / plan.days_left)
        found.append(
            f"Seeing all {plan.unseen} new cards once before the exam takes about {per_day} "
            f"a day ({plan.new_per_day} a day to see them a week ahead)."
        )
    if plan.expected_reviews_per_day > BUSY_DAY:
        found.append(
            f"About {plan.expected_reviews_per_day:.0f} reviews a day: more than about "
            f"{BUSY_DAY} a day is hard to keep up. Study what you can each day, weakest "
            "domains first; every card you see helps."
        )
    return found


def exam_day(text: str, today: dt.date) -> dt.date:
    """An exam date as typed (YYYY-MM-DD), today or later; a plain message otherwise.
    A learner's own date and the class's are read the same way."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"not a date: {text!r} (use YYYY-MM-DD, e.g. 2027-03-15)") from None
    if day < today:
        raise UsageError(f"the exam date {day} is in the past (today is {today})")
    return day
