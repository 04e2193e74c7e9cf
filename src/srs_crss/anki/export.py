"""Anki export: .apkg packages that carry the SM-2 schedule and review history.

genanki writes the notes, note types and decks; it has no API for
scheduling (every card is new, no revlog), so `_SchedulingPackage` finishes
the collection it writes before it is zipped: the scheduler-v2 timing
(creation day, rollover hour, UTC offset), each note's `mod` (when its
content last changed, so Anki updates edited notes in place), review cards
with interval, ease, reps, lapses and due day, and one revlog row per
answer. See docs/anki.md for the mapping and why.

Identities and note types are in notetypes.py; the review log mapping in
revlog.py.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import sqlite3
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from srs_crss.anki import revlog
from srs_crss.anki.notetypes import BASIC_MODEL, MCQ_MODEL, note_guid, stable_id, tag_for
from srs_crss.errors import StorageFailure, UsageError
from srs_crss.model import LETTERS, CardType, ExportCard, ExportDeck, ExportReview, shuffled_choices


@dataclass(frozen=True, slots=True)
class ReviewHistory:
    """One learner's review log, where an export reads it from."""

    learner_id: int
    read: Callable[[Iterable[int]], dict[int, list[ExportReview]]]
    """The log of these card pks, oldest first."""
    sqlite_file: Path | None = None
    """The learner's SQLite file, if there is one: its log is then copied in SQL."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    notes: int
    cards: int
    reviews: int


def default_path(decks: Sequence[str]) -> Path:
    name = decks[0] if len(decks) == 1 else "srs-crss"
    return Path("exports") / f"{name}.apkg"


def check_out_path(path: Path) -> Path:
    """Validate --out: an .apkg file in a folder that exists or can be created."""
    if path.suffix.lower() != ".apkg":
        raise UsageError(f"--out must name an .apkg file, not {str(path)!r}")
    if path.is_dir():
        raise UsageError(f"--out {path} is a directory; name the .apkg file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    if not os.access(path.parent, os.W_OK):
        raise UsageError(f"cannot write to the folder {path.parent}")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"cannot overwrite {path}: it is read-only")
    return path


def export(
    decks: Sequence[ExportDeck],
    path: Path,
    *,
    now: dt.datetime,
    rollover_hour: int,
    log: ReviewHistory | None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write `decks` to `path` (atomically: a temporary file, then a rename).

    With a review `log`, cards carry their schedule and history; without one
    every card is new.
    """
    builder = _Builder(now, rollover_hour, log)
    anki_decks = [d for deck in decks for d in builder.add(deck)]
    package = _SchedulingPackage(anki_decks, builder, progress)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"cannot write to the folder {path.parent}: {exc.strerror}") from None
    os.close(fd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # genanki's HTML-tag heuristics; fields are escaped
            package.write_to_file(temp_name, timestamp=now.timestamp())
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        message = f"could not write {path}: {exc.strerror}; nothing was written"
        raise StorageFailure(message) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return ExportResult(
        path=path, notes=builder.notes, cards=builder.notes, reviews=package.revlog_rows
    )


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note that reports progress as it is written."""

    def __init__(self, *args: Any, changed_at: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed_at = changed_at.timestamp()
        self.progress: Callable[[int], None] | None = None

    def write_to_db(self, cursor: Any, timestamp: float, *args: Any) -> None:
        # genanki stamps notes with the export time; Anki only updates a note
        # whose incoming `mod` is newer, so use when the content last changed.
        super().write_to_db(cursor, self.changed_at, *args)
        if self.progress is not None:
            self.progress(1)

    def _check_invalid_html_tags_in_fields(self) -> None:
        """Skipped: every field is built from escaped text (html.escape)."""


class _Builder:
    """Turns export records into genanki decks and notes, remembering what to schedule."""

    def __init__(self, now: dt.datetime, rollover_hour: int, log: ReviewHistory | None) -> None:
        self.now = now
        self.rollover_hour = rollover_hour
        self.log = log
        self.notes = 0
        self.by_guid: dict[str, ExportCard] = {}

    def add(self, deck: ExportDeck) -> Iterator[genanki.Deck]:
        parent = genanki.Deck(stable_id(deck.id), deck.name, description=deck.description or "")
        subdecks: dict[str, genanki.Deck] = {}
        for item in deck.cards:
            card = item.card
            target = parent
            if card.domain:
                if card.domain not in subdecks:
                    subdecks[card.domain] = genanki.Deck(
                        stable_id(deck.id, card.domain), f"{deck.name}::{card.domain}"
                    )
                target = subdecks[card.domain]
            target.add_note(self.note(deck, item))
        yield parent
        yield from subdecks.values()

    def note(self, deck: ExportDeck, item: ExportCard) -> _Note:
        card = item.card

        def esc(text: str) -> str:
            return html.escape(text, quote=False)

        tags = [tag_for(t) for t in card.tags]
        if card.domain:
            tags.append("domain::" + tag_for(card.domain))
        common = [
            esc(card.explanation or ""),
            esc(card.source or ""),
            esc(card.domain or ""),
            esc(card.qualified_id),
        ]
        if card.type is CardType.MCQ:
            choices = shuffled_choices(card, 0)
            items = "".join(f"<li>{esc(choice)}</li>" for choice in choices)
            letter = LETTERS[choices.index(card.answer or "")]
            fields = [
                esc(card.front),
                f"<ol class=choices>{items}</ol>",
                f"{letter}. {esc(card.answer or '')}",
                *common,
            ]
            model = MCQ_MODEL
        else:
            fields = [esc(card.front), esc(card.back or ""), *common]
            model = BASIC_MODEL
        guid = note_guid(deck.id, card.id)
        self.by_guid[guid] = item
        self.notes += 1
        return _Note(
            model=model,
            fields=fields,
            tags=tags,
            guid=guid,
            due=self.notes,
            changed_at=item.content_changed_at,
        )


class _SchedulingPackage(genanki.Package):  # type: ignore[misc]
    """genanki's package, finished with scheduling before it is zipped."""

    def __init__(
        self,
        decks: list[genanki.Deck],
        builder: _Builder,
        progress: Callable[[int], None] | None,
    ) -> None:
        super().__init__(decks)
        self.builder = builder
        self.progress = progress
        self.revlog_rows = 0

    def write_to_file(self, file: str, timestamp: float | None = None) -> None:
        """genanki's write_to_file, but deflated: genanki stores the collection
        uncompressed (2.6 times the size of Anki's own package); level 1 costs
        about a second per 100 MB and makes the package smaller than Anki's."""
        handle, db_name = tempfile.mkstemp(suffix=".anki2")
        os.close(handle)
        try:
            conn = sqlite3.connect(db_name)
            stamp = time.time() if timestamp is None else timestamp
            self.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
            conn.commit()
            conn.close()
            with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                out.write(db_name, "collection.anki2")
                out.writestr("media", "{}")
        finally:
            os.unlink(db_name)

    def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
        # A scratch file until it is zipped and renamed into place: no journal needed.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        for deck in self.decks:
            for note in deck.notes:
                note.progress = self.progress
        super().write_to_db(cursor, timestamp, id_gen)
        _finish_collection(cursor, self.builder, self)


def _finish_collection(cursor: Any, builder: _Builder, package: _SchedulingPackage) -> None:
    now = builder.now
    offset = now.utcoffset() or dt.timedelta(0)
    today = (now - dt.timedelta(hours=builder.rollover_hour)).date()
    items = builder.by_guid
    # Day 0 of the package: early enough that no due day is negative. Anki
    # counts days from the creation date in the creation offset, less one
    # before the rollover hour: the same study days as srs-crss.
    dues = [item.state.due for item in items.values() if item.state.due is not None]
    day_zero = min([today, *dues]) - dt.timedelta(days=1)
    crt = int(dt.datetime.combine(day_zero, dt.time(12), dt.timezone(offset)).timestamp())
    conf = json.loads(cursor.execute("SELECT conf FROM col").fetchone()[0])
    conf.update(
        {
            "schedVer": 2,
            "rollover": builder.rollover_hour,
            "creationOffset": -int(offset.total_seconds() // 60),
        }
    )
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (crt, json.dumps(conf)))

    notes = {guid: nid for nid, guid in cursor.execute("SELECT id, guid FROM notes")}
    if builder.log is None:
        return
    card_ids = {nid: cid for cid, nid in cursor.execute("SELECT id, nid FROM cards")}
    scheduled = {
        items[guid].card.pk: card_ids[nid]
        for guid, nid in notes.items()
        if items[guid].state.due is not None
    }
    log = builder.log
    count = None
    if log.sqlite_file is not None:
        count = revlog.copy_sqlite(cursor.connection, log.sqlite_file, log.learner_id, scheduled)
    if count is None:
        count = revlog.write_rows(cursor, log.read(scheduled), scheduled)
    package.revlog_rows = count
    logged = {
        cid: (reviews, last_ms)
        for cid, reviews, last_ms in cursor.execute(
            "SELECT cid, count(), max(id) FROM revlog GROUP BY cid"
        )
    }
    updates = []
    for guid, nid in notes.items():
        state = items[guid].state
        if state.due is None:
            continue
        cid = card_ids[nid]
        reviews, last_ms = logged.get(cid, (0, crt * 1000))
        updates.append(
            (
                last_ms // 1000,
                max(1, state.interval),
                state.ef * 10,
                reviews,
                state.lapses,
                (state.due - day_zero).days,
                cid,
            )
        )
    cursor.executemany(
        "UPDATE cards SET type = 2, queue = 2, mod = ?, ivl = ?, factor = ?, reps = ?,"
        " lapses = ?, due = ?, left = 0, odue = 0, odid = 0 WHERE id = ?",
        updates,
    )
