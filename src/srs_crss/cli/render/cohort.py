"""The shapes of a cohort server's commands: `users`, `cohort`, `class` and `items`
(plain lines and their --json). A password appears in exactly two of them: the
one-time password of `users add` and `users reset`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srs_crss.cohort.accounts import Account, NewPassword


def _stamp(moment: Any) -> str:
    return str(moment.isoformat().replace("+00:00", "Z"))


def new_password_lines(made: NewPassword, *, reset: bool) -> list[str]:
    account = made.account
    what = "New one-time password for" if reset else f"Created {account.role.value} account"
    return [
        f"{what} {account.name!r}.",
        f"One-time password: {made.password}",
        "Give it to them privately; they choose their own password when they first sign in.",
        "It is not shown again (srs-crss users reset makes a new one).",
    ]


def new_password_json(made: NewPassword) -> dict[str, Any]:
    return {
        "name": made.account.name,
        "role": made.account.role.value,
        "password": made.password,
    }


def account_json(account: Account) -> dict[str, Any]:
    return {
        "name": account.name,
        "role": account.role.value,
        "must_change_password": account.must_change,
        "created_at": _stamp(account.created_at),
    }


def accounts_lines(accounts: Sequence[Account]) -> list[str]:
    if not accounts:
        return ["No accounts yet: add one with srs-crss users add NAME."]
    width = max(len(account.name) for account in accounts)
    lines = []
    for account in accounts:
        waiting = "  (has not chosen a password yet)" if account.must_change else ""
        lines.append(f"{account.name:<{width}}  {account.role.value:<10}{waiting}".rstrip())
    return lines


def removed_line(account: Account, *, kept: bool) -> str:
    if kept:
        return f"Removed the account {account.name!r}; their study history is kept."
    return f"Removed the account {account.name!r} and all of their study history."


def setup_lines(app_role: str, secured: Sequence[str], where: str) -> list[str]:
    return [
        f"Schema up to date; row security on {len(secured)} tables: {', '.join(secured)}.",
        f"The server connects as {app_role}, which sees one learner at a time "
        "(an instructor: everyone, read-only) and nothing otherwise.",
        f"Give {app_role} a password (in psql: \\password {app_role}) and start the server "
        f"with --db set to {where} signed in as {app_role}.",
        "Run this again after every upgrade of srs-crss.",
    ]
