"""Anki export: .apkg packages that carry the SM-2 schedule and review history.

genanki writes the collection's schema, note types and decks. The notes and
cards are written here, as the rows genanki would write (the same ids, taken
in the same order, guids and fields), with one executemany each rather than
genanki's Python object and INSERT per note; genanki has no API for
scheduling anyway (every card is new, no revlog). So the collection gets the
scheduler-v2 timing (creation day, rollover hour, UTC offset), each note its
`mod` (when its content last changed, so Anki updates edited notes in place),
review cards their interval, ease, reps, lapses and due day, and the revlog a
row per answer, copied on a second thread while the note rows are built. See
docs/anki.md for the mapping and why.

Identities and note types are in notetypes.py; the review log mapping in
revlog.py.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import errno
import html
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from srs_crss.anki import revlog, scratch, zipping
from srs_crss.anki.notetypes import BASIC_MODEL, MCQ_MODEL, note_guid, stable_id, tag_for
from srs_crss.errors import StorageFailure, UsageError
from srs_crss.model import (
    LETTERS,
    Card,
    CardType,
    ExportCard,
    ExportDeck,
    ExportReview,
    shuffled_choices,
)


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
    builder = _Builder()
    for deck in decks:
        builder.add(deck)
    # scratch files of exports that were killed: beside the target, and the collection
    scratch.remove_stale(path.parent, f".{path.name}.")
    scratch.remove_stale(Path(tempfile.gettempdir()), scratch.EXPORT_PREFIX)
    with scratch.terminated_cleanly():
        try:
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent
            )
        except OSError as exc:
            raise UsageError(f"cannot write to the folder {path.parent}: {exc.strerror}") from None
        os.close(fd)
        collection = _Collection(builder, now, rollover_hour, log, progress)
        try:
            reviews = _write_package(temp_name, collection)
            os.replace(temp_name, path)
        except (OSError, sqlite3.Error) as exc:
            full = _disk_full(exc, path.parent, Path(tempfile.gettempdir()))
            Path(temp_name).unlink(missing_ok=True)
            cause = "the disk is full" if full else getattr(exc, "strerror", None) or str(exc)
            raise StorageFailure(f"could not write {path}: {cause}; nothing was written") from None
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    return ExportResult(path=path, notes=builder.notes, cards=builder.notes, reviews=reviews)


def _disk_full(exc: BaseException, *folders: Path) -> bool:
    """Whether `exc` comes of a full disk: said so, or one of `folders` has no room left
    (SQLite reports a full temporary folder in other words, e.g. "database is locked")."""
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "full" in str(exc):
        return True
    for folder in folders:
        with suppress(OSError):
            if shutil.disk_usage(folder).free < 1 << 20:
                return True
    return False


@dataclass(frozen=True, slots=True)
class _Note:
    """One note to write, and the card it comes from."""

    model: genanki.Model
    deck: str
    """The srs-crss deck's id (for the guid)."""
    due: int
    """Its new card's position: the order notes were built in, from 1."""
    mod: int
    """When its content last changed (genanki would stamp the export time)."""
    item: ExportCard


class _Builder:
    """Turns export records into genanki decks (for the collection's deck list) and notes."""

    def __init__(self) -> None:
        self.notes = 0
        self.decks: list[tuple[genanki.Deck, list[_Note]]] = []
        """In the order genanki would write them: each deck, then its domains' subdecks."""

    def add(self, deck: ExportDeck) -> None:
        parent = genanki.Deck(stable_id(deck.id), deck.name, description=deck.description or "")
        own: list[_Note] = []
        subdecks: dict[str, tuple[genanki.Deck, list[_Note]]] = {}
        for item in deck.cards:
            domain = item.card.domain
            target, notes = parent, own
            if domain:
                if domain not in subdecks:
                    subdeck = genanki.Deck(stable_id(deck.id, domain), f"{deck.name}::{domain}")
                    subdecks[domain] = (subdeck, [])
                target, notes = subdecks[domain]
            self.notes += 1
            model = MCQ_MODEL if item.card.type is CardType.MCQ else BASIC_MODEL
            target.add_model(model)  # genanki's Deck adds its notes' models so
            notes.append(
                _Note(model, deck.id, self.notes, int(item.content_changed_at.timestamp()), item)
            )
        self.decks.append((parent, own))
        self.decks.extend(subdecks.values())


def _as_is(text: str, quote: bool) -> str:
    return text


def _fields(card: Card, final: bool = True) -> list[str]:
    """A note's fields, escaped and formatted; or, not `final`, a cheaper sketch:
    each empty exactly when the field is (html.escape leaves "" empty, and
    nothing else), which is all genanki's choice of a note's cards looks at."""
    esc = html.escape if final else _as_is
    common = [
        esc(card.explanation or "", False),
        esc(card.source or "", False),
        esc(card.domain or "", False),
        esc(card.qualified_id, False),
    ]
    if card.type is not CardType.MCQ:
        return [esc(card.front, False), esc(card.back or "", False), *common]
    choices = shuffled_choices(card, 0) if final else list(card.choices)
    items = "".join([f"<li>{esc(choice, False)}</li>" for choice in choices])
    letter = LETTERS[choices.index(card.answer or "")]
    return [
        esc(card.front, False),
        f"<ol class=choices>{items}</ol>",
        f"{letter}. {esc(card.answer or '', False)}",
        *common,
    ]


@dataclass(frozen=True, slots=True)
class _Collection:
    """What goes into the package's collection."""

    builder: _Builder
    now: dt.datetime
    rollover_hour: int
    log: ReviewHistory | None
    progress: Callable[[int], None] | None


def _write_package(file: str, collection: _Collection) -> int:
    """Write the collection to a scratch file and zip it; the revlog rows written.

    Deflated, unlike genanki's packages (stored: 2.6 times the size of Anki's
    own): level 1, on two threads (zipping.py), makes it smaller than Anki's."""
    handle, db_name = tempfile.mkstemp(prefix=scratch.tag(scratch.EXPORT_PREFIX), suffix=".anki2")
    os.close(handle)
    try:
        conn = sqlite3.connect(db_name, check_same_thread=False)  # the log is copied on a thread
        try:
            reviews = _write_collection(conn, collection)
            conn.commit()
        finally:
            conn.close()
        zipping.write(file, [("collection.anki2", db_name), ("media", b"{}")])
    finally:
        os.unlink(db_name)
    return reviews


_NOTE_ROW = "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')"
_CARD_ROW = "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '')"
_CardRef = tuple[int, int, int, int, _Note]
"""A card to write: id, note id, deck id, template ord, its note."""


def _write_collection(conn: sqlite3.Connection, collection: _Collection) -> int:
    """genanki's schema, note types and decks, then the notes, log and cards; the revlog rows.

    The review log is copied in SQL on a second thread while this one builds
    the note rows (SQLite lets go of the GIL): the copy needs only card ids.
    """
    builder, now, log = collection.builder, collection.now, collection.log
    stamp = now.timestamp()
    # A scratch file until it is zipped and renamed into place: no journal needed.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    cursor = conn.cursor()
    ids = itertools.count(int(stamp * 1000))  # genanki's ids: each note's, then its cards'
    genanki.Package([deck for deck, _ in builder.decks]).write_to_db(cursor, stamp, ids)

    notes: list[tuple[int, _Note]] = []
    cards: list[_CardRef] = []
    needs = {model.model_id: model._req for model in (BASIC_MODEL, MCQ_MODEL)}
    for deck, deck_notes in builder.decks:
        for note in deck_notes:
            nid = next(ids)
            notes.append((nid, note))
            sketch = _fields(note.item.card, final=False)
            # genanki's cards of a note: a template's whose required fields are filled
            for ord_, any_or_all, required in needs[note.model.model_id]:
                test = any if any_or_all == "any" else all
                if test([sketch[i] for i in required]):
                    cards.append((next(ids), nid, deck.deck_id, ord_, note))
    day_zero, crt = _set_timing(cursor, collection)
    # Indexes are built once at the end rather than kept up row by row.
    indexes = _drop_indexes(cursor, ("notes", "cards"))
    conn.commit()

    scheduled = {
        note.item.card.pk: cid for cid, _, _, _, note in cards if note.item.state.due is not None
    }
    count: int | None = None
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        copying = None
        if log is not None and log.sqlite_file is not None:
            revlog.attach(conn, log.sqlite_file, scheduled)
            copying = pool.submit(revlog.copy_attached, conn, log.learner_id)
        rows = _note_rows(notes, collection.progress)
        count = None if copying is None else copying.result()
    cursor.executemany(_NOTE_ROW, rows)
    logged: dict[int, tuple[int, int]] = {}
    if log is not None:
        if count is None:
            count = revlog.write_rows(cursor, log.read(scheduled), scheduled)
        logged = {
            cid: (reviews, last_ms)
            for cid, reviews, last_ms in cursor.execute(
                "SELECT cid, count(), max(id) FROM revlog GROUP BY cid"
            )
        }
    cursor.executemany(
        _CARD_ROW, _card_rows(cards, logged, day_zero, crt, scheduling=log is not None)
    )
    for sql in indexes:
        cursor.execute(sql)
    return count or 0


def _set_timing(cursor: sqlite3.Cursor, collection: _Collection) -> tuple[dt.date, int]:
    """The scheduler-v2 timing in `col`; returns day 0 and its creation time (crt)."""
    now = collection.now
    offset = now.utcoffset() or dt.timedelta(0)
    today = (now - dt.timedelta(hours=collection.rollover_hour)).date()
    # Day 0 of the package: early enough that no due day is negative. Anki
    # counts days from the creation date in the creation offset, less one
    # before the rollover hour: the same study days as srs-crss.
    dues = [
        note.item.state.due
        for _, deck_notes in collection.builder.decks
        for note in deck_notes
        if note.item.state.due is not None
    ]
    day_zero = min([today, *dues]) - dt.timedelta(days=1)
    crt = int(dt.datetime.combine(day_zero, dt.time(12), dt.timezone(offset)).timestamp())
    conf = json.loads(cursor.execute("SELECT conf FROM col").fetchone()[0])
    conf.update(
        {
            "schedVer": 2,
            "rollover": collection.rollover_hour,
            "creationOffset": -int(offset.total_seconds() // 60),
        }
    )
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (crt, json.dumps(conf)))
    return day_zero, crt


def _drop_indexes(cursor: sqlite3.Cursor, tables: tuple[str, ...]) -> list[str]:
    """Drop these tables' indexes; returns the statements that make them again."""
    found = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(tables))})",
        tables,
    ).fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _note_rows(
    notes: list[tuple[int, _Note]], progress: Callable[[int], None] | None
) -> list[tuple[Any, ...]]:
    """The notes table's rows: guid, tags and fields as genanki writes them."""
    tags_of: dict[tuple[tuple[str, ...], str | None], str] = {}
    rows = []
    for done, (nid, note) in enumerate(notes, 1):
        card = note.item.card
        key = (card.tags, card.domain)
        tags = tags_of.get(key)
        if tags is None:
            names = [tag_for(t) for t in card.tags]
            if card.domain:
                names.append("domain::" + tag_for(card.domain))
            tags = tags_of[key] = " " + " ".join(names) + " "  # genanki's format
        fields = _fields(card)
        rows.append(
            (
                nid, note_guid(note.deck, card.id), note.model.model_id, note.mod, tags,
                "\x1f".join(fields), fields[0],
            )
        )  # fmt: skip
        if progress is not None and done % 10_000 == 0:
            progress(10_000)
    if progress is not None and len(notes) % 10_000:
        progress(len(notes) % 10_000)
    return rows


def _card_rows(
    cards: list[_CardRef],
    logged: dict[int, tuple[int, int]],
    day_zero: dt.date,
    crt: int,
    *,
    scheduling: bool,
) -> Iterator[tuple[Any, ...]]:
    """The cards table: new as genanki writes them, or in review with their log's counts."""
    for cid, nid, did, ord_, note in cards:
        state = note.item.state
        if not scheduling or state.due is None:
            yield (cid, nid, did, ord_, note.mod, 0, 0, note.due, 0, 0, 0, 0)
            continue
        reviews, last_ms = logged.get(cid, (0, crt * 1000))
        yield (
            cid, nid, did, ord_, last_ms // 1000, 2, 2, (state.due - day_zero).days,
            max(1, state.interval), state.ef * 10, reviews, state.lapses,
        )  # fmt: skip
