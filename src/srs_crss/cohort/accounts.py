"""Accounts on a cohort server: the records and the rules for passwords and throttling.

Pure: the service hashes (argon2id), stores and reads the clock; these say what a
good new password is, how long a run of failed sign-ins makes someone wait, and how
to say that wait in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"


@dataclass(frozen=True, slots=True)
class Account:
    """Someone who may sign in: never carries the password or its hash."""

    name: str
    role: Role
    must_change: bool
    """Signed in with a one-time password: a new one must be chosen first."""
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewPassword:
    """A created or reset account with its one-time password (shown once, never stored)."""

    account: Account
    password: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A web session: the token goes in the cookie (only its hash is stored)."""

    account: Account
    token: str
    expires_at: dt.datetime


MIN_PASSWORD = 10
MAX_PASSWORD = 256
"""Long enough to resist guessing; bounded so hashing a posted form stays cheap."""

FREE_FAILURES = 5
"""Failed sign-ins allowed before the waits start (per account, and per address x4)."""
ADDRESS_FACTOR = 4
"""An address (a classroom's shared Wi-Fi) gets more tries than one account."""
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)
FORGET_AFTER = dt.timedelta(hours=24)
"""Failures older than this, with no lock running, are forgotten."""


def password_problem(password: str, name: str, one_time: str | None = None) -> str | None:
    """Why a newly chosen password will not do (plain words), or None when it will."""
    if len(password) < MIN_PASSWORD:
        return f"choose a password of at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"choose a password of at most {MAX_PASSWORD} characters"
    if not password.strip():
        return "choose a password that is not only spaces"
    if password.casefold() == name.casefold() or name.casefold() in password.casefold():
        return "choose a password that does not contain your name"
    if one_time is not None and password == one_time:
        return "choose a new password, not the one you were given"
    if len(set(password)) < 4:
        return "choose a password with more different characters"
    return None


def wait_after(failures: int, free: int = FREE_FAILURES) -> dt.timedelta | None:
    """How long to refuse sign-ins after `failures` in a row (None: no wait yet).

    One minute after the first failure past the free ones, doubling with each
    further one, never more than an hour: a person who mistypes waits a little, a
    program guessing gets a handful of tries an hour.
    """
    if failures < free:
        return None
    wait = FIRST_WAIT * (1 << min(failures - free, 10))
    return min(wait, LONGEST_WAIT)


def wait_in_words(wait: dt.timedelta) -> str:
    """A wait the way a person says it: "about 2 minutes", "less than a minute"."""
    seconds = max(0, round(wait.total_seconds()))
    if seconds < 60:
        return "less than a minute"
    minutes = -(-seconds // 60)  # rounded up: never tell someone to come back too early
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"about {minutes} minutes"
    hours = round(minutes / 60)
    return "about an hour" if hours == 1 else f"about {hours} hours"


@dataclass(frozen=True, slots=True)
class Credentials:
    """An account as sign-in needs it: with its row id and password hash (never shown)."""

    id: int
    account: Account
    password_hash: str
    password_set_at: dt.datetime


ONE_TIME_LIFE = dt.timedelta(days=7)
"""A one-time password not used to choose a password within this long stops
working (a slip of paper left in a classroom): `users reset` gives a new one."""

IDLE_SESSION = dt.timedelta(hours=12)
"""A web session unused this long is over (a shared computer left signed in)."""
LONGEST_SESSION = dt.timedelta(days=14)
"""No session outlives this, however much it is used: sign in again."""
TOUCH_EVERY = dt.timedelta(minutes=5)
"""A session's last use is written at most this often (not on every click)."""


def session_expiry(created: dt.datetime, now: dt.datetime) -> dt.datetime:
    """When a session used at `now` ends: idle time from now, capped by its age."""
    return min(now + IDLE_SESSION, created + LONGEST_SESSION)
