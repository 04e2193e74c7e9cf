"""How SM-2 answers become rows of Anki's review log (`revlog`).

Two ways to write them, giving identical rows (a test compares them):
`copy_sqlite` attaches the learner's SQLite file to the package being
written and copies the log in SQL, so 100,000s of rows never pass through
Python; `write_rows` builds them in Python from exported history, for any
other database. See docs/anki.md for the mapping and why.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from srs_crss.model import ExportReview
from srs_crss.sm2 import ReviewKind

REVLOG_TYPE = {
    (kind.value, learning): (
        0 if kind is ReviewKind.NEW
        else 2 if kind is ReviewKind.RELEARN
        # a same-day repeat right after the first passes is still learning
        else (0 if learning else 1) if kind is ReviewKind.EXTRA
        else 1
    )
    for kind in ReviewKind
    for learning in (True, False)
}  # fmt: skip
"""Anki revlog type (0 learn, 1 review, 2 relearn) by (kind, repetitions before <= 1)."""

ANKI_BUTTON = (1, 1, 1, 2, 3, 4)
"""SM-2 grade -> Anki button: 0-2 Again, 3 Hard, 4 Good, 5 Easy."""

MAX_ANSWER_MS = 60_000
"""Anki caps the time spent on an answer at a minute."""

_COLUMNS = "(id, cid, usn, ease, ivl, lastIvl, factor, time, type)"


def revlog_type(review: ExportReview) -> int:
    """Anki revlog type: 0 learn, 1 review, 2 relearn."""
    return REVLOG_TYPE[review.kind, review.repetitions_before <= 1]


def next_free(ms: int, taken: set[int]) -> int:
    """The first millisecond from `ms` on that no revlog row has; marks it taken.

    Anki's revlog id is the answer time in ms and must be unique: in review
    order, the first answer in a millisecond keeps it, a later one moves on.
    """
    while ms in taken:
        ms += 1
    taken.add(ms)
    return ms


def copy_sqlite(
    target: sqlite3.Connection, source: Path, learner_id: int, card_ids: Mapping[int, int]
) -> int | None:
    """Copy one learner's log for these cards from an srs-crss SQLite file, in SQL.

    `card_ids` maps srs-crss card pks to Anki card ids. Returns the rows
    written, or None if two answers share a millisecond (never seen in real
    use): then nothing is kept and the caller writes the rows itself.
    """
    buttons = " ".join(f"WHEN {g} THEN {b}" for g, b in enumerate(ANKI_BUTTON))
    types = " ".join(
        f"WHEN r.kind = '{kind}' AND (r.repetitions_before <= 1) = {int(learning)} THEN {t}"
        for (kind, learning), t in REVLOG_TYPE.items()
    )
    # reviewed_at is stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): whole
    # seconds from SQLite's date functions, milliseconds from the text.
    seconds = (
        "unixepoch(r.reviewed_at)"
        if sqlite3.sqlite_version_info >= (3, 38)
        else "CAST(strftime('%s', r.reviewed_at) AS INTEGER)"
    )
    ms = f"({seconds} * 1000 + CAST(substr(r.reviewed_at, 21, 3) AS INTEGER))"
    rows = (
        f"SELECT {ms}, m.cid, -1, CASE r.grade {buttons} END, r.interval, r.interval_before,"
        f" r.ef * 10, MIN(COALESCE(r.duration_ms, 0), {MAX_ANSWER_MS}),"
        f" CASE {types} ELSE 1 END "
        "FROM srs.reviews AS r JOIN temp.srs_cards AS m ON m.pk = r.card_id "
        "WHERE r.learner_id = ? ORDER BY 1, r.id"  # by time: appends to the id B-tree
    )
    target.commit()
    target.execute("ATTACH DATABASE ? AS srs", (str(source),))
    try:
        target.execute("CREATE TEMP TABLE srs_cards (pk INTEGER PRIMARY KEY, cid INTEGER)")
        target.executemany("INSERT INTO temp.srs_cards VALUES (?, ?)", card_ids.items())
        # Indexes are rebuilt once at the end rather than kept up row by row.
        indexes = target.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'index'"
            " AND tbl_name = 'revlog' AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            target.execute(f'DROP INDEX main."{name}"')
        # Two answers in one millisecond would collide on the id: INSERT OR
        # IGNORE drops the later one, the counts differ, and we back out.
        written = target.execute(
            f"INSERT OR IGNORE INTO main.revlog {_COLUMNS} {rows}", (learner_id,)
        ).rowcount
        expected = target.execute(
            "SELECT count(*) FROM srs.reviews AS r JOIN temp.srs_cards AS m"
            " ON m.pk = r.card_id WHERE r.learner_id = ?",
            (learner_id,),
        ).fetchone()[0]
        if written != expected:
            target.execute("DELETE FROM main.revlog")
        for _, sql in indexes:
            target.execute(sql)
        target.execute("DROP TABLE temp.srs_cards")
        target.commit()
    finally:
        target.execute("DETACH DATABASE srs")
    return int(written) if written == expected else None


def write_rows(
    cursor: Any, history: Mapping[int, list[ExportReview]], card_ids: Mapping[int, int]
) -> int:
    """The portable path: revlog rows built in Python, ids as `copy_sqlite` makes them."""
    taken: set[int] = set()
    reviews = sorted(
        (review for rs in history.values() for review in rs), key=lambda review: review.id
    )
    pks = {review.id: pk for pk, rs in history.items() for review in rs}
    rows = [
        (
            next_free(review.reviewed_ms, taken),
            card_ids[pks[review.id]],
            ANKI_BUTTON[review.grade],
            review.interval,
            review.interval_before,
            review.ef * 10,
            min(review.duration_ms or 0, MAX_ANSWER_MS),
            revlog_type(review),
        )
        for review in reviews
    ]
    cursor.executemany(f"INSERT INTO revlog {_COLUMNS} VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
