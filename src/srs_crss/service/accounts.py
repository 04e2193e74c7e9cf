"""Cohort accounts (App.accounts): `srs-crss users`, and sign-in for `serve --cohort`.

Passwords are hashed with argon2id (OWASP's setting: 19 MiB, 2 passes, one
lane); a one-time password is generated on
creation and reset and is the only password ever shown. Sign-in is throttled per
account name and per network address (srs_crss.cohort.accounts says how long),
and an unknown name costs the same hashing as a known one, so timing tells
nobody which names exist. A web session is a random token; only its SHA-256 is
stored. A server remembers a session it has looked up for a few seconds
(SESSION_MEMORY): a learner's answer and the next card's page then cost one
lookup, not two.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from srs_crss.cohort import accounts as rules
from srs_crss.cohort.accounts import Account, NewPassword, Role, SignedIn
from srs_crss.errors import NotFound, SrsError, UsageError
from srs_crss.names import unknown_name
from srs_crss.settings.run import normal_learner

if TYPE_CHECKING:
    import datetime as dt

    from argon2 import PasswordHasher

    from srs_crss.service.context import Context

MAX_NAME = 100
ARGON2_KIB = 19 * 1024
ARGON2_PASSES = 2
"""OWASP's argon2id setting (19 MiB, 2 passes, 1 lane): a class signing in at
once on a small server must not wait seconds each (argon2-cffi's default, 64 MiB
over 4 lanes, took 0.7 s a sign-in on the 2 shared cores measured)."""
SESSION_MEMORY = 5.0
"""Seconds a server trusts a session it looked up without asking the database again.
Signing out, or changing or resetting a password, through the same server forgets at
once; a `users reset` or `users remove` run elsewhere takes effect within this long."""
MAX_REMEMBERED = 5000
"""Sessions remembered at once (beyond it, all are forgotten and looked up again)."""
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: a one-time password is read off a screen or a slip of paper."""


class SignInRefused(SrsError):
    """Wrong name or password, or a must-change account signing in with the old one."""

    exit_code = 2


class TooManyTries(SrsError):
    """Sign-in refused for a while after repeated failures; `wait` says how long in words."""

    exit_code = 2

    def __init__(self, wait: str) -> None:
        self.wait = wait
        super().__init__(f"too many failed sign-ins: try again in {wait}")


def account_name(text: str) -> str:
    """The learner-name rules (NFC, trimmed, not blank), plus what a page and a
    terminal need: no control or invisible formatting characters, and short."""
    name = normal_learner(text)
    if len(name) > MAX_NAME:
        raise UsageError(f"the name is too long ({len(name)} characters; at most {MAX_NAME})")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise UsageError("the name holds a control or invisible character; type it plainly")
    return name


def one_time_password() -> str:
    """Three groups of four: about 62 bits from the OS's random source, easy to type."""
    groups = ("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _hasher() -> PasswordHasher:
    # argon2-cffi is imported here, on first use: only account commands and sign-in pay.
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=ARGON2_PASSES, memory_cost=ARGON2_KIB, parallelism=1, type=Type.ID
    )


_DUMMY: list[str] = []


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of nothing anyone knows, made once per process: an unknown name is
    verified against it so that it costs what a known name costs."""
    if not _DUMMY:
        _DUMMY.append(hasher.hash(secrets.token_hex(16)))
    return _DUMMY[0]


def _encodable(text: str) -> bool:
    """Whether the text is valid Unicode (a posted form can carry lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Seen(NamedTuple):
    """A session looked up lately: whose, when it ends, until when it is trusted."""

    account: Account
    expires: dt.datetime
    trusted_until: float
    """time.monotonic(): the database is asked again from then on."""


class Accounts:
    """Creating, listing, resetting and removing accounts; signing in and out."""

    def __init__(self, context: Context) -> None:
        self.ctx = context
        self.hasher = _hasher()
        self._seen: dict[str, _Seen] = {}
        """Sessions looked up lately, by token hash (resolve)."""
        self._changes = 0
        """Bumped whenever sessions ended here (after the database says so): a lookup
        begun before is not remembered."""

    def _forget(self, key: str | None = None) -> None:
        self._changes += 1
        if key is None:
            self._seen.clear()
        else:
            self._seen.pop(key, None)

    # ---- srs-crss users -----------------------------------------------------------

    def add(self, name: str, role: Role = Role.LEARNER) -> NewPassword:
        name = account_name(name)
        password = one_time_password()
        created = self.ctx.store.accounts.add(
            name, role, self.hasher.hash(password), self.ctx.now()
        )
        if created is None:
            raise UsageError(f"there is already an account named {name!r}")
        return NewPassword(created, password)

    def all(self) -> list[Account]:
        return self.ctx.store.accounts.all()

    def get(self, name: str) -> Account:
        """The account `name` (NotFound naming the closest ones when there is none)."""
        found = self.ctx.store.accounts.credentials(account_name(name))
        if found is None:
            raise self._unknown(account_name(name))
        return found.account

    def reset(self, name: str) -> NewPassword:
        """A new one-time password; the old password and every session stop working."""
        name = account_name(name)
        password = one_time_password()
        store = self.ctx.store.accounts
        changed = store.set_password(name, self.hasher.hash(password), True, self.ctx.now())
        self._forget()
        if not changed:
            raise self._unknown(name)
        found = store.credentials(name)
        assert found is not None
        return NewPassword(found.account, password)

    def remove(self, name: str, *, keep_history: bool) -> Account:
        """Remove the account; with `keep_history` False the learner's whole history
        too (answers, exam dates, settings, flags, practice exams)."""
        account = self.get(name)
        name = account.name
        self.ctx.store.accounts.remove(name)
        self._forget()
        if not keep_history:
            # acting for them: with row security their rows are the only ones deletable
            self.ctx.store.act_for_learner(name)
            self.ctx.store.learners.remove(name)
        return account

    def _unknown(self, name: str) -> NotFound:
        names = [account.name for account in self.all()]
        return NotFound(unknown_name("account", name, names))

    # ---- sign-in ------------------------------------------------------------------

    def sign_in(self, name: str, password: str, address: str) -> SignedIn:
        """Check a name and password and open a session, or say no.

        Refused without checking while the account or the address is locked
        (TooManyTries); a wrong name and a wrong password get the same message.
        An account with a one-time password signs in with must_change set: the
        front end shows nothing but the change-password form until it is done.
        """
        now = self.ctx.now()
        store = self.ctx.store.accounts
        try:
            name = account_name(name)
        except UsageError:
            name = name[: MAX_NAME + 1]
        address = address[:200]
        for kind, subject in (("address", address), ("account", name)):
            locked = store.locked_until(kind, subject)
            if locked is not None and locked > now:
                raise TooManyTries(rules.wait_in_words(locked - now))
        found = store.credentials(name)
        if not self._verify(found.password_hash if found else None, password):
            waits = [
                store.fail("account", name, now, rules.FORGET_AFTER, rules.wait_after),
                store.fail(
                    "address",
                    address,
                    now,
                    rules.FORGET_AFTER,
                    lambda n: rules.wait_after(n, rules.FREE_FAILURES * rules.ADDRESS_FACTOR),
                ),
            ]
            locks = [lock for lock in waits if lock is not None]
            if locks:
                raise TooManyTries(rules.wait_in_words(max(locks) - now))
            raise SignInRefused("that name and password do not match an account")
        assert found is not None
        store.forget_failures("account", name)
        if found.account.must_change and now - found.password_set_at > rules.ONE_TIME_LIFE:
            raise SignInRefused(
                "this one-time password has expired: ask for a new one (srs-crss users reset)"
            )
        return self._open(found.id, found.account)

    def change_password(self, name: str, old: str, new: str) -> SignedIn:
        """Choose a new password (required at first sign-in): the old one must be given
        again; every other session of the account ends; a new session is returned."""
        now = self.ctx.now()
        store = self.ctx.store.accounts
        found = store.credentials(account_name(name))
        if found is None or not self._verify(found.password_hash, old):
            raise SignInRefused("the current password is not right")
        if found.account.must_change and now - found.password_set_at > rules.ONE_TIME_LIFE:
            raise SignInRefused("this one-time password has expired: ask for a new one")
        problem = rules.password_problem(new, found.account.name, old)
        if problem is None and not _encodable(new):
            problem = "choose a password of ordinary characters"
        if problem:
            raise UsageError(problem)
        store.set_password(found.account.name, self.hasher.hash(new), False, now)
        self._forget()
        return self._open(found.id, Account(found.account.name, found.account.role, False, now))

    def resolve(self, token: str) -> Account | None:
        """Who holds this session token (None: nobody; ended or never issued). A session
        looked up in the last SESSION_MEMORY seconds is not looked up again."""
        if not token or len(token) > 200:
            return None
        key = token_hash(token)
        now = self.ctx.now()
        seen = self._seen.get(key)
        if seen is not None and now < seen.expires and time.monotonic() < seen.trusted_until:
            return seen.account
        changes = self._changes
        found = self.ctx.store.accounts.session(key, now)
        if found is None:
            self._seen.pop(key, None)
            return None
        if changes == self._changes:  # no sign-out or password change meanwhile
            if len(self._seen) >= MAX_REMEMBERED:
                self._seen.clear()
            self._seen[key] = _Seen(found[0], found[1], time.monotonic() + SESSION_MEMORY)
        return found[0]

    def sign_out(self, token: str) -> bool:
        if not token:
            return False
        key = token_hash(token[:200])
        closed = self.ctx.store.accounts.close_session(key)
        self._forget(key)
        return closed

    def expire(self) -> int:
        """Delete every ended session and the failed sign-ins long forgotten; how many
        sessions (the server calls this now and then, e.g. hourly)."""
        return self.ctx.store.accounts.close_expired(self.ctx.now(), rules.FORGET_AFTER)

    def _open(self, account_id: int, account: Account) -> SignedIn:
        now = self.ctx.now()
        token = secrets.token_urlsafe(32)
        expires = rules.session_expiry(now, now)
        self.ctx.store.accounts.open_session(account_id, token_hash(token), now, expires)
        return SignedIn(account, token, expires)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        """argon2id verification; an unknown account verifies against a dummy hash so it
        costs the same time. Over-long input is refused before any hashing."""
        from argon2.exceptions import InvalidHashError, VerificationError

        if len(password) > rules.MAX_PASSWORD or not _encodable(password):
            return False
        if password_hash is None:
            try:
                self.hasher.verify(_dummy_hash(self.hasher), password)
            except (VerificationError, InvalidHashError):
                pass
            return False
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
