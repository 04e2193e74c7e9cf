"""Baseline for the export benchmark: plain genanki writing the same notes, no scheduling.

The notes are the ones `srs-crss export-anki` writes (same note types,
fields, tags, subdecks and guids), built straight from the deck file and
written by a plain genanki.Package: no database, no scheduling, no revlog.
(The notes are srs-crss's genanki.Note subclass, which skips genanki's
HTML-tag warning scan; that only makes this baseline faster.)

Usage: python -m benchmarks.genanki_baseline DECK.toml OUT.apkg
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path

import genanki

from srs_crss.anki.export import _Builder
from srs_crss.deckfile import load_deck
from srs_crss.model import Card, ExportCard, ExportDeck
from srs_crss.sm2 import CardState


def main(deck_path: str, out: str) -> None:
    spec = load_deck(Path(deck_path))
    now = dt.datetime.now(dt.UTC)
    cards = tuple(
        ExportCard(
            card=Card(
                pk=i, deck=spec.id, id=c.id, type=c.type, front=c.front, back=c.back,
                choices=c.choices, answer=c.answer, explanation=c.explanation, domain=c.domain,
                tags=c.tags, source=c.source, position=i, retired=False, deck_name=spec.name,
            ),
            content_changed_at=now,
            state=CardState(),
        )
        for i, c in enumerate(spec.cards)
    )  # fmt: skip
    deck = ExportDeck(id=spec.id, name=spec.name, description=spec.description, cards=cards)
    builder = _Builder(now, 4, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        genanki.Package(list(builder.add(deck))).write_to_file(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
