"""The shapes of a cohort server's commands: `users`, `cohort`, `class` and `items`
(plain lines and their --json). A password appears in exactly two of them: the
one-time password of `users add` and `users reset`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from srs_crss.cohort.accounts import Account, NewPassword
from srs_crss.cohort.classview import AtRisk, LearnerRow
from srs_crss.cohort.items import ItemStats


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


# ---- the class at a glance -----------------------------------------------------------


def printable(text: str) -> str:
    """Text from a person or a deck file, safe to print on a terminal: control and
    invisible formatting characters (escape sequences) become "?"."""
    return "".join("?" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


def _totals(row: LearnerRow) -> tuple[float | None, float | None]:
    """Seen and well-known shares over every domain."""
    cards = sum(d.cards for d in row.domains)
    if not cards:
        return None, None
    return sum(d.seen for d in row.domains) / cards, sum(d.mature for d in row.domains) / cards


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def class_lines(rows: Sequence[LearnerRow], risks: Sequence[AtRisk], today: dt.date) -> list[str]:
    if not rows:
        return ["No learners have studied here yet."]
    header = ("learner", "seen", "well known", "last study", "practice", "exam")
    table = [header]
    for row in rows:
        seen, known = _totals(row)
        last = "never" if row.last_study_day is None else _ago(row.last_study_day, today)
        practice = ", ".join(f"{p.percent:.0f}%" for p in row.practice) or "none"
        exam = "—" if row.exam_day is None else row.exam_day.isoformat()
        exam += " (class)" if row.exam_is_cohort else ""
        table.append((printable(row.name), _percent(seen), _percent(known), last, practice, exam))
    widths = [max(len(line[n]) for line in table) for n in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in table]  # fmt: skip
    lines.append("")
    if not risks:
        lines.append("Nobody is at risk.")
    else:
        lines.append("At risk:")
        lines += [f"  {printable(risk.name)}: {'; '.join(risk.reasons)}" for risk in risks]
    return lines


def _ago(day: dt.date, today: dt.date) -> str:
    days = (today - day).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def class_json(rows: Sequence[LearnerRow], risks: Sequence[AtRisk]) -> dict[str, Any]:
    return {
        "learners": [
            {
                "name": row.name,
                "last_study_day": _day(row.last_study_day),
                "exam": _day(row.exam_day),
                "exam_is_class_date": row.exam_is_cohort,
                "practice": [
                    {
                        "day": p.day.isoformat(),
                        "correct": p.correct,
                        "asked": p.asked,
                        "percent": round(p.percent, 1),
                        "pass_percent": p.pass_percent,
                    }
                    for p in row.practice
                ],
                "domains": [
                    {
                        "domain": d.domain,
                        "cards": d.cards,
                        "seen": d.seen,
                        "well_known": d.mature,
                        "recent_retention": d.retention,
                    }
                    for d in row.domains
                ],
            }
            for row in rows
        ],
        "at_risk": [{"name": r.name, "reasons": list(r.reasons)} for r in risks],
    }


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def class_csv(rows: Sequence[LearnerRow], risks: Sequence[AtRisk]) -> str:
    """The class table as CSV (one row per learner, three columns per domain)."""
    reasons = {risk.name: "; ".join(risk.reasons) for risk in risks}
    domains = [d.domain or "no domain" for d in rows[0].domains] if rows else []
    header = ["learner", "exam", "last study day", "latest practice %", "pass mark %", "at risk"]
    for domain in domains:
        header += [f"{domain}: seen", f"{domain}: well known", f"{domain}: recent retention %"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        latest = row.practice[0] if row.practice else None
        cells: list[object] = [
            row.name,
            _day(row.exam_day),
            _day(row.last_study_day),
            None if latest is None else f"{latest.percent:.0f}",
            None if latest is None else latest.pass_percent,
            reasons.get(row.name, ""),
        ]
        for d in row.domains:
            retention = None if d.retention is None else f"{100 * d.retention:.0f}"
            cells += [f"{d.seen}/{d.cards}", f"{d.mature}/{d.cards}", retention]
        writer.writerow([_cell(c) for c in cells])
    return out.getvalue()


# ---- items -------------------------------------------------------------------------------


def items_lines(stats: Sequence[ItemStats]) -> list[str]:
    if not stats:
        return ["No finished practice exams yet: nothing to measure."]
    lines = ["Items from finished practice exams, least discriminating first.", ""]
    for item in stats:
        separation = "—" if item.discrimination is None else f"{item.discrimination:+.2f}"
        lines.append(
            f"{item.card}: {item.right} of {item.answers} right "
            f"({100 * item.share_right:.0f}%), discrimination {separation}"
        )
        for choice, count in item.wrong_choices:
            lines.append(f"    picked {count}x: {printable(choice)}")
        if item.unanswered:
            lines.append(f"    left unanswered {item.unanswered}x")
        lines += [f"    ! {note}" for note in item.notes]
    return lines


def items_json(stats: Sequence[ItemStats]) -> list[dict[str, Any]]:
    return [
        {
            "card": item.card,
            "answers": item.answers,
            "right": item.right,
            "share_right": round(item.share_right, 3),
            "discrimination": None
            if item.discrimination is None
            else round(item.discrimination, 3),
            "wrong_choices": [{"choice": c, "picked": n} for c, n in item.wrong_choices],
            "unanswered": item.unanswered,
            "notes": list(item.notes),
        }
        for item in stats
    ]


def cohort_exam_line(day: dt.date | None, deck: str | None, done: bool = True) -> str:
    what = f"deck {deck}" if deck else "all decks"
    if day is not None:
        return (
            f"Class exam date set to {day} ({what}): it applies to every learner without their own."
        )
    if done:
        return f"Class exam date cleared ({what})."
    return f"There was no class exam date ({what})."
