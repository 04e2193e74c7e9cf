"""Writing SM-2 answers into the review log (`revlog`) of an Anki package.

Two ways to write them, giving identical rows (a test compares them):
`copy_sqlite` attaches the learner's SQLite file to the package being
written and copies the log in SQL, so 100,000s of rows never pass through
Python; `write_rows` builds them in Python from exported history, for any
other database. The mapping itself is in mapping.py; docs/anki.md says why.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from srs_crss.anki.mapping import ANKI_BUTTON, MAX_ANSWER_MS, REVLOG_TYPE, next_free, revlog_type
from srs_crss.model import ExportReview

_COLUMNS = "(id, cid, usn, ease, ivl, lastIvl, factor, time, type)"


def copy_sqlite(
    target: sqlite3.Connection, source: Path, learner_id: int, card_ids: Mapping[int, int]
) -> int | None:
    """Copy one learner's log for these cards from an srs-crss SQLite file, in SQL.

    `card_ids` maps srs-crss card pks to Anki card ids. Returns the rows
    written, or None if two answers share a millisecond (never seen in real
    use): then nothing is kept and the caller writes the rows itself.
    """
    attach(target, source, card_ids)
    return copy_attached(target, learner_id)


def attach(target: sqlite3.Connection, source: Path, card_ids: Mapping[int, int]) -> None:
    """The first part of `copy_sqlite`: attach the srs-crss file and map the card ids.

    Python binds a row per card here; `copy_attached` is SQL alone, so it can
    run on another thread while this one works.
    """
    target.commit()
    target.execute("ATTACH DATABASE ? AS srs", (str(source),))
    try:
        target.execute("CREATE TEMP TABLE srs_cards (pk INTEGER PRIMARY KEY, cid INTEGER)")
        target.executemany("INSERT INTO temp.srs_cards VALUES (?, ?)", card_ids.items())
    except BaseException:
        target.execute("DETACH DATABASE srs")
        raise


def copy_attached(target: sqlite3.Connection, learner_id: int) -> int | None:
    """The rest of `copy_sqlite`, after `attach`: the copy itself, then detach."""
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
    try:
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
