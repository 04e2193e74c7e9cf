"""The class at a glance, for an instructor: records and the at-risk rule.

Pure: storage/cohort.py reads the figures (every learner's, read-only), these
decide who needs a word from the instructor and why, in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from srs_crss.model import DomainStats

IDLE_DAYS = 7
"""No study for this many days puts a learner on the at-risk list."""
EXAM_NEAR_DAYS = 14
"""An exam this close, with the latest practice score below the pass mark (or no
practice exam at all), puts a learner on the list."""


@dataclass(frozen=True, slots=True)
class PracticeScore:
    """One finished practice exam: the score and the pass mark it was held to."""

    day: dt.date
    correct: int
    asked: int
    pass_percent: int

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.asked if self.asked else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_percent


@dataclass(frozen=True, slots=True)
class LearnerRow:
    """One learner's line in the class table."""

    name: str
    domains: tuple[DomainStats, ...]
    """Seen, well known (mature) and recent retention, per exam domain."""
    last_study_day: dt.date | None
    practice: tuple[PracticeScore, ...]
    """The latest finished practice exams, newest first (at most three)."""
    exam_day: dt.date | None
    exam_is_cohort: bool
    """The exam date is the class's (the learner has not set their own)."""


@dataclass(frozen=True, slots=True)
class AtRisk:
    name: str
    reasons: tuple[str, ...]


def at_risk(row: LearnerRow, today: dt.date) -> AtRisk | None:
    """Why this learner needs attention (plain words), or None."""
    reasons = []
    if row.last_study_day is None:
        reasons.append("has not studied yet")
    elif (today - row.last_study_day).days >= IDLE_DAYS:
        reasons.append(f"no study for {(today - row.last_study_day).days} days")
    if row.exam_day is not None and 0 <= (row.exam_day - today).days <= EXAM_NEAR_DAYS:
        days = (row.exam_day - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        if not row.practice:
            reasons.append(f"exam {when} and no practice exam taken")
        elif not row.practice[0].passed:
            latest = row.practice[0]
            reasons.append(
                f"exam {when}; latest practice score {latest.percent:.0f}% "
                f"is below the pass mark of {latest.pass_percent}%"
            )
    return AtRisk(row.name, tuple(reasons)) if reasons else None
