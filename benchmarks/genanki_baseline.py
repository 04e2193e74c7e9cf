"""Baseline for the export benchmark: plain genanki writing the same notes, no scheduling.

The notes are the ones `srs-crss export-anki` writes (same note types,
fields, tags, subdecks and guids), built straight from the deck file and
written by a plain genanki.Package: no database, no scheduling, no revlog.
(The notes skip genanki's HTML-tag warning scan, as srs-crss's export
always has; that only makes this baseline faster.)

Usage: python -m benchmarks.genanki_baseline DECK.toml OUT.apkg
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path

import genanki

from srs_crss.anki.export import _Builder, _fields
from srs_crss.anki.notetypes import note_guid, tag_for
from srs_crss.decks.deckfile import load_deck
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
    builder = _Builder()
    builder.add(deck)
    for anki_deck, notes in builder.decks:
        for note in notes:
            card = note.item.card
            tags = [tag_for(t) for t in card.tags]
            if card.domain:
                tags.append("domain::" + tag_for(card.domain))
            anki_deck.add_note(
                _Note(
                    model=note.model,
                    fields=_fields(card),
                    tags=tags,
                    guid=note_guid(note.deck, card.id),
                    due=note.due,
                )
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        genanki.Package([anki_deck for anki_deck, _ in builder.decks]).write_to_file(out)


class _Note(genanki.Note):  # type: ignore[misc]
    def _check_invalid_html_tags_in_fields(self) -> None:
        """Skipped: every field is built from escaped text (html.escape)."""


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
