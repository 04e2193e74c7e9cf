"""Anki export: .apkg packages that carry the SM-2 schedule and review history.

genanki writes the notes, note types and decks; it has no API for
scheduling (every card is new, no revlog), so `_SchedulingPackage` finishes
the collection it writes before it is zipped: the scheduler-v2 timing
(creation day, rollover hour, UTC offset), each note's `mod` (when its
content last changed, so Anki updates edited notes in place), review cards
with interval, ease, reps, lapses and due day, and one revlog row per
answer. See docs/anki.md for the mapping and why.

Identity is fixed forever: note type ids, deck ids derived from the deck
(and domain) slug, and note guids from (deck id, card id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import sqlite3
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import genanki

from srs_crss.anki_map import ANKI_BUTTON, REVLOG_TYPE, next_free, revlog_type
from srs_crss.errors import UsageError
from srs_crss.model import ExportCard, ExportDeck, ExportReview
from srs_crss.session import shuffled_choices

BASIC_MODEL_ID = 1_607_392_319
MCQ_MODEL_ID = 1_785_640_221
"""Note type ids: chosen once, never to change (Anki matches note types by id)."""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
  max-width: 40em;
  margin: 0 auto;
  padding: 0 0.5em;
}
.card.nightMode, .nightMode .card { color: #e6edf3; background-color: #1e1e1e; }
.meta { font-size: 0.7em; color: #656d76; margin-bottom: 0.8em; }
.nightMode .meta { color: #9198a1; }
.question { font-weight: 600; }
ol.choices { list-style-type: upper-alpha; padding-left: 1.6em; }
ol.choices li { margin: 0.3em 0; }
.answer { font-weight: 600; color: #1a7f37; }
.nightMode .answer { color: #56d364; }
.explanation { margin-top: 0.8em; }
.source { margin-top: 1em; font-size: 0.7em; color: #656d76; }
.nightMode .source { color: #9198a1; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }
.nightMode hr#answer { border-top-color: #3d444d; }
"""

_EXTRAS = (
    "{{#Explanation}}<div class=explanation>{{Explanation}}</div>{{/Explanation}}"
    "{{#Source}}<div class=source>Source: {{Source}}</div>{{/Source}}"
)
_META = "{{#Domain}}<div class=meta>{{Domain}}</div>{{/Domain}}"

_COMMON_FIELDS = ["Explanation", "Source", "Domain", "CardId"]
"""Fields after each note type's own, in this order (`_Builder.note` fills them)."""


def _model(model_id: int, name: str, own: list[str], qfmt: str, answer: str) -> genanki.Model:
    """One of srs-crss's note types: its own fields, the common ones, one card."""
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": field} for field in (*own, *_COMMON_FIELDS)],
        templates=[
            {
                "name": "Card 1",
                "qfmt": _META + qfmt,
                "afmt": "{{FrontSide}}<hr id=answer>" + answer + _EXTRAS,
            }
        ],
        css=CSS,
    )


BASIC_MODEL = _model(
    BASIC_MODEL_ID,
    "srs-crss Basic",
    ["Front", "Back"],
    "<div class=question>{{Front}}</div>",
    "<div class=back>{{Back}}</div>",
)
MCQ_MODEL = _model(
    MCQ_MODEL_ID,
    "srs-crss Multiple choice",
    ["Question", "Choices", "Answer"],
    "<div class=question>{{Question}}</div>{{Choices}}",
    "<div class=answer>{{Answer}}</div>",
)


class ReviewLog(Protocol):
    """Where the review history comes from (one learner's, in the store)."""

    def copy(
        self,
        target: sqlite3.Connection,
        card_ids: dict[int, int],
        button_for_grade: Sequence[int],
        type_for: dict[tuple[str, bool], int],
    ) -> int | None:
        """Write the revlog straight into the package, or None if this store cannot."""
        ...

    def history(self, card_pks: Iterable[int]) -> dict[int, list[ExportReview]]:
        """The log of these cards, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    notes: int
    cards: int
    reviews: int


def stable_id(*parts: str) -> int:
    """A deck id in genanki's recommended range, derived from names: the same forever."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(deck_id: str, card_id: str) -> str:
    """The note's guid: from the card's identity, never from its text."""
    return str(genanki.guid_for("srs-crss", deck_id, card_id))


def tag_for(text: str) -> str:
    """Anki tags cannot hold spaces."""
    return re.sub(r"\s+", "_", text.strip())


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
    log: ReviewLog | None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write `decks` to `path` (atomically: a temporary file, then a rename).

    With a review `log`, cards carry their schedule and history; without one
    every card is new.
    """
    builder = _Builder(now, rollover_hour, log)
    anki_decks = [d for deck in decks for d in builder.add(deck)]
    package = _SchedulingPackage(anki_decks, builder, progress)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # genanki's HTML-tag heuristics; fields are escaped
            package.write_to_file(temp_name, timestamp=now.timestamp())
        os.replace(temp_name, path)
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

    def __init__(self, now: dt.datetime, rollover_hour: int, log: ReviewLog | None) -> None:
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
        if card.type == "mcq":
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
    count = builder.log.copy(cursor.connection, scheduled, ANKI_BUTTON, REVLOG_TYPE)
    if count is None:
        count = _write_revlog(cursor, builder.log.history(scheduled), scheduled)
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


def _write_revlog(
    cursor: Any, history: dict[int, list[ExportReview]], card_ids: dict[int, int]
) -> int:
    """The portable path: revlog rows built in Python, ids as the SQL path makes them."""
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
            min(review.duration_ms or 0, 60_000),
            revlog_type(review),
        )
        for review in reviews
    ]
    cursor.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
