"""The local zone: the system's, each moment with its own offset (issue 30 dropped
dateutil's tzlocal for the standard library's own reading of the system zone)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from srs_crss import clock

EASTERN = "EST5EDT,M3.2.0,M11.1.0"
"""New York's rule, written out: no time zone database needed."""


@pytest.fixture
def eastern(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):  # pragma: no cover - Windows sets its zone elsewhere
        pytest.skip("time.tzset is POSIX only")
    monkeypatch.setenv("TZ", EASTERN)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_now_is_the_systems_time_and_offset(eastern: None) -> None:
    moment = clock.now({})
    assert moment.tzinfo is not None
    expected = dt.timedelta(seconds=time.localtime(moment.timestamp()).tm_gmtoff)
    assert moment.utcoffset() == expected in (dt.timedelta(hours=-4), dt.timedelta(hours=-5))
    assert abs(moment.timestamp() - time.time()) < 5


def test_each_moment_keeps_its_own_daylight_saving(eastern: None) -> None:
    zone = clock.zone({})
    assert zone is None
    summer = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC).astimezone(zone)
    winter = dt.datetime(2026, 1, 15, 8, 30, tzinfo=dt.UTC).astimezone(zone)
    assert summer.utcoffset() == dt.timedelta(hours=-4)
    assert winter.utcoffset() == dt.timedelta(hours=-5)
    # 04:30 in July counts for July 1st (rollover at 4): a winter offset would say June 30
    assert clock.study_day(summer, 4) == dt.date(2026, 7, 1)
    assert clock.study_day(winter, 4) == dt.date(2026, 1, 14)  # 03:30


def test_a_set_clock_brings_its_own_offset(eastern: None) -> None:
    environ = {clock.NOW_ENV: "2026-11-22T10:00:00+01:00"}
    zone = clock.zone(environ)
    assert zone is not None and zone.utcoffset(None) == dt.timedelta(hours=1)
    assert clock.now(environ).utcoffset() == dt.timedelta(hours=1)
