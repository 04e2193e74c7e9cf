"""Accounts, failed sign-ins and web sessions of a cohort server (srs-crss users, serve).

Only hashes are stored: argon2id for passwords, SHA-256 for session tokens. The
rules (password quality, waits, expiry) are srs_crss.cohort.accounts'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from srs_crss.cohort.accounts import TOUCH_EVERY, Account, Credentials, Role, session_expiry
from srs_crss.storage.engine import Database
from srs_crss.storage.schema import accounts_t, sign_in_failures_t, web_sessions_t

_COLUMNS = (
    accounts_t.c.id,
    accounts_t.c.name,
    accounts_t.c.role,
    accounts_t.c.must_change,
    accounts_t.c.created_at,
    accounts_t.c.password_hash,
    accounts_t.c.password_set_at,
)


def _account(row: Any) -> Account:
    return Account(row.name, Role(row.role), bool(row.must_change), row.created_at)


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- accounts ---------------------------------------------------------------

    def add(self, name: str, role: Role, password_hash: str, now: dt.datetime) -> Account | None:
        """A new account with a one-time password; None if the name is taken."""
        with self.db.write() as conn:
            if conn.scalar(select(accounts_t.c.id).where(accounts_t.c.name == name)) is not None:
                return None
            conn.execute(
                insert(accounts_t).values(
                    name=name,
                    role=role.value,
                    password_hash=password_hash,
                    must_change=True,
                    created_at=now,
                    password_set_at=now,
                )
            )
        return Account(name, role, True, now)

    def credentials(self, name: str) -> Credentials | None:
        with self.db.read() as conn:
            row = conn.execute(select(*_COLUMNS).where(accounts_t.c.name == name)).first()
        if row is None:
            return None
        return Credentials(row.id, _account(row), row.password_hash, row.password_set_at)

    def all(self) -> list[Account]:
        with self.db.read() as conn:
            rows = conn.execute(select(*_COLUMNS).order_by(accounts_t.c.name)).all()
        return [_account(row) for row in rows]

    def set_password(
        self, name: str, password_hash: str, must_change: bool, now: dt.datetime
    ) -> bool:
        """Replace the password; every session of the account ends (a reset locks out
        whoever held the old one). False if there is no such account."""
        with self.db.write() as conn:
            found = conn.scalar(select(accounts_t.c.id).where(accounts_t.c.name == name))
            if found is None:
                return False
            conn.execute(
                update(accounts_t)
                .where(accounts_t.c.id == found)
                .values(password_hash=password_hash, must_change=must_change, password_set_at=now)
            )
            conn.execute(delete(web_sessions_t).where(web_sessions_t.c.account_id == found))
            conn.execute(
                delete(sign_in_failures_t).where(
                    sign_in_failures_t.c.kind == "account", sign_in_failures_t.c.subject == name
                )
            )
        return True

    def remove(self, name: str) -> bool:
        """Remove the account and its sessions (its learner's history is the caller's)."""
        with self.db.write() as conn:
            done = conn.execute(delete(accounts_t).where(accounts_t.c.name == name)).rowcount
        return bool(done)

    # ---- failed sign-ins ---------------------------------------------------------

    def locked_until(self, kind: str, subject: str) -> dt.datetime | None:
        """Until when sign-ins for this account or address are refused (None: not locked)."""
        with self.db.read() as conn:
            found = conn.scalar(
                select(sign_in_failures_t.c.locked_until).where(
                    sign_in_failures_t.c.kind == kind, sign_in_failures_t.c.subject == subject
                )
            )
        return found

    def fail(
        self,
        kind: str,
        subject: str,
        now: dt.datetime,
        forget_after: dt.timedelta,
        wait: Callable[[int], dt.timedelta | None],
    ) -> dt.datetime | None:
        """Count one failed sign-in; returns the lock it brings on (None: none yet).

        A count whose last failure is older than `forget_after` starts again.
        """
        key = (sign_in_failures_t.c.kind == kind, sign_in_failures_t.c.subject == subject)
        with self.db.write() as conn:
            row = conn.execute(
                select(sign_in_failures_t.c.failures, sign_in_failures_t.c.last_at).where(*key)
            ).first()
            stale = row is None or now - row.last_at > forget_after
            failures = 1 if stale or row is None else row.failures + 1
            pause = wait(failures)
            locked = None if pause is None else now + pause
            values = {"failures": failures, "last_at": now, "locked_until": locked}
            if row is None:
                conn.execute(
                    insert(sign_in_failures_t).values(kind=kind, subject=subject, **values)
                )
            else:
                conn.execute(update(sign_in_failures_t).where(*key).values(**values))
        return locked

    def forget_failures(self, kind: str, subject: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                delete(sign_in_failures_t).where(
                    sign_in_failures_t.c.kind == kind, sign_in_failures_t.c.subject == subject
                )
            )

    # ---- web sessions -------------------------------------------------------------

    def open_session(
        self, account_id: int, token_hash: str, now: dt.datetime, expires: dt.datetime
    ) -> None:
        with self.db.write() as conn:
            conn.execute(
                insert(web_sessions_t).values(
                    token_hash=token_hash,
                    account_id=account_id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires,
                )
            )

    def session(self, token_hash: str, now: dt.datetime) -> tuple[Account, dt.datetime] | None:
        """The account signed in with this token and when its session ends; None when
        there is no such session or it has ended (an ended one is deleted)."""
        query = (
            select(
                *_COLUMNS,
                web_sessions_t.c.created_at.label("opened"),
                web_sessions_t.c.last_seen_at,
                web_sessions_t.c.expires_at,
            )
            .select_from(accounts_t.join(web_sessions_t))
            .where(web_sessions_t.c.token_hash == token_hash)
        )
        with self.db.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row.expires_at <= now:
            self.close_session(token_hash)
            return None
        if now - row.last_seen_at < TOUCH_EVERY:
            return _account(row), row.expires_at
        expires = session_expiry(row.opened, now)
        with self.db.write() as conn:
            conn.execute(
                update(web_sessions_t)
                .where(web_sessions_t.c.token_hash == token_hash)
                .values(last_seen_at=now, expires_at=expires)
            )
        return _account(row), expires

    def close_session(self, token_hash: str) -> bool:
        with self.db.write() as conn:
            done = conn.execute(
                delete(web_sessions_t).where(web_sessions_t.c.token_hash == token_hash)
            ).rowcount
        return bool(done)

    def close_expired(self, now: dt.datetime, forget_after: dt.timedelta) -> int:
        """Delete every ended session, and the failed sign-ins old enough to be forgotten
        (no lock running), so guessing at many names cannot fill the disk; how many
        sessions ended."""
        stale = now - forget_after
        with self.db.write() as conn:
            done = conn.execute(
                delete(web_sessions_t).where(web_sessions_t.c.expires_at <= now)
            ).rowcount
            conn.execute(
                delete(sign_in_failures_t).where(
                    sign_in_failures_t.c.last_at < stale,
                    (sign_in_failures_t.c.locked_until.is_(None))
                    | (sign_in_failures_t.c.locked_until < now),
                )
            )
        return int(done)

    def failure_records(self) -> int:
        """How many failed-sign-in counts are kept (for tests and the operator)."""
        with self.db.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(sign_in_failures_t)) or 0)
