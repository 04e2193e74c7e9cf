"""Now and today: the clock, the local zone, and the day rollover.

"Today" is the local calendar date of (now - rollover hour), so a session
just past midnight still counts as the evening's. SRS_CRSS_NOW replaces the
clock for tests and simulations; its own UTC offset is then the local zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from srs_crss.errors import UsageError

DEFAULT_ROLLOVER_HOUR = 4
NOW_ENV = "SRS_CRSS_NOW"


def parse_now(text: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp that must carry a UTC offset."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{NOW_ENV}={text!r} is not an ISO 8601 time (e.g. 2026-11-22T09:30:00+01:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError(f"{NOW_ENV}={text!r} needs a UTC offset (e.g. +00:00 or Z)")
    return moment


def now(environ: Mapping[str, str]) -> dt.datetime:
    """The current moment as an aware datetime in the local zone (the system's offset
    now, as the C library knows it: TZ, /etc/localtime, Windows' settings)."""
    override = environ.get(NOW_ENV)
    if override:
        return parse_now(override)
    return dt.datetime.now().astimezone()


def zone(environ: Mapping[str, str]) -> dt.tzinfo | None:
    """The zone other moments are seen in, for `astimezone`: SRS_CRSS_NOW's offset when it
    is set; else None, the system's zone with each moment's own offset (an answer given
    in July and one in January each in its own daylight-saving time)."""
    override = environ.get(NOW_ENV)
    return parse_now(override).tzinfo if override else None


def study_day(moment: dt.datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> dt.date:
    """The calendar day a moment counts towards, given the rollover hour."""
    return (moment - dt.timedelta(hours=rollover_hour)).date()


def to_utc(moment: dt.datetime) -> dt.datetime:
    """The same moment in UTC."""
    return moment.astimezone(dt.UTC)


def check_rollover(hour: int) -> int:
    """Validate a rollover hour (0-23)."""
    if not 0 <= hour <= 23:
        raise UsageError(f"rollover hour must be between 0 and 23, not {hour}")
    return hour
