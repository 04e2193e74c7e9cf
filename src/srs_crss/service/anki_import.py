"""`srs-crss import-anki`: answers given in Anki brought into the learner's history.

Reading the package is anki/package.py's; the merge rules are srs_crss.anki.merge's
(pure); this module matches notes to cards and hands the plan to the store.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from srs_crss import clock, sm2
from srs_crss.anki import merge
from srs_crss.anki.mapping import RevlogRow
from srs_crss.exams import planning

if TYPE_CHECKING:
    from srs_crss.service.context import Context


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, with dry_run, would do)."""

    path: Path
    format: str
    """The collection file inside the package, e.g. "collection.anki21b"."""
    added: int
    """Anki answers added to the history."""
    cards: int
    """Cards whose history changed."""
    already: int
    """Anki answers already in the history (exported by srs-crss, or imported before)."""
    matched_notes: int
    skipped_notes: int
    """Notes srs-crss did not make (the learner's own), left alone."""
    skipped_rows: tuple[tuple[str, int], ...]
    """Review log rows that are not answers, by reason."""
    restated: int
    """srs-crss answers recorded again after earlier Anki answers (see docs/anki.md)."""
    dry_run: bool


def import_anki(context: Context, path: Path, dry_run: bool) -> ImportResult:
    """Merge the answers in the Anki package at `path` into this learner's history."""
    # The package reader is imported here: only an import needs zipfile and zstandard.
    from srs_crss.anki import notetypes, package

    # The package is unpacked and every value checked before the database is opened, and
    # read in full before anything is written: one that fails leaves no learner, decks or
    # database file behind.
    with package.open_package(path) as found:
        context.ensure_decks()
        keys = context.store.merges.card_keys()
        by_guid = {notetypes.note_guid(deck, card): pk for pk, deck, card in keys}
        cards_by_guid = found.cards(by_guid)
        card_of = {cid: by_guid[guid] for guid, cids in cards_by_guid.items() for cid in cids}
        rows: dict[int, list[RevlogRow]] = defaultdict(list)
        # (the later of the study clock and the machine's: SRS_CRSS_NOW may set the first back)
        now_ms = int(max(context.now().timestamp(), time.time()) * 1000)
        for row in found.revlog(card_of, now_ms):
            rows[card_of[row.cid]].append(row)
    matched = len(cards_by_guid)
    shared = found.shared_notes
    exams = context.store.exams.all(context.reader_id)
    decks = {pk: deck for pk, deck, _ in keys}
    zone, rollover = clock.zone(context.settings.environ), context.rollover_hour

    @functools.cache
    def quarter_day(quarter: int) -> dt.date:
        # every time zone offset is a whole number of quarter hours
        moment = dt.datetime.fromtimestamp(quarter * 900, dt.UTC).astimezone(zone)
        return clock.study_day(moment, rollover)

    def day_of(ms: int) -> dt.date:
        return quarter_day(ms // 900_000)

    def cap(pk: int, outcome: sm2.Review) -> sm2.Review:
        return planning.cap(outcome, planning.exam_for(decks[pk], exams)) if exams else outcome

    # Read, merge and write in one transaction holding the learner's write lock: an
    # answer given meanwhile, or a second import, waits and then builds on this one.
    merges = context.store.merges
    with merges.reading(context.reader_id) if dry_run else merges.locked(context.learner_id) as log:
        planned = merge.plan(rows, log.times(rows), log.details, day_of, cap)
        if not dry_run and planned.cards:
            log.write(planned.cards)
    return ImportResult(
        path=path,
        format=found.format,
        added=planned.added,
        cards=len(planned.cards),
        already=planned.already,
        matched_notes=matched,
        skipped_notes=found.notes - matched - shared,
        skipped_rows=tuple(
            (str(reason), n) for reason, n in (planned.skipped + found.skipped).most_common()
        ),
        restated=planned.restated,
        dry_run=dry_run,
    )
