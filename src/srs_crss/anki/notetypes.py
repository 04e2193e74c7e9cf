"""srs-crss's Anki note types and identities: fixed forever.

Anki matches note types by id and notes by guid, so these never change:
note type ids, deck ids derived from the deck (and domain) slug, and note
guids from (deck id, card id).
"""

from __future__ import annotations

import hashlib
import re

import genanki

from srs_crss.anki import mcq_template

BASIC_MODEL_ID = 1_607_392_319
MCQ_MODEL_ID = 1_785_640_221
"""Note type ids: chosen once, never to change (Anki matches note types by id)."""

CSS = (
    """\
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
    + mcq_template.CSS
)

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
    # choices you can tap (mcq_template): the script is on both sides, and runs once
    "<div class=question>{{Question}}</div><div class=srs-mcq>{{Choices}}</div>"
    + mcq_template.SCRIPT,
    '<div class="answer srs-answer">{{Answer}}</div>' + mcq_template.SCRIPT,
)


def stable_id(*parts: str) -> int:
    """A deck id in genanki's recommended range, derived from names: the same forever."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


_BASE91 = "".join(genanki.util.BASE91_TABLE)
_PAIRS = [a + b for a in _BASE91 for b in _BASE91]
"""Two base-91 digits at a time: 91**2 strings."""


def note_guid(deck_id: str, card_id: str) -> str:
    """The note's guid: from the card's identity, never from its text.

    genanki's `guid_for("srs-crss", deck_id, card_id)` (the first 8 bytes of a
    SHA-256 in base 91, no leading zeros), two digits at a time rather than
    one (an export computes 100,000s; a test compares the two).
    """
    text = f"srs-crss__{deck_id}__{card_id}".encode()
    number = int.from_bytes(hashlib.sha256(text).digest()[:8], "big")
    high, low = divmod(number, 91**5)  # 2**64 < 91**10: five digits each
    high, d4 = divmod(high, 91)
    high, d23 = divmod(high, 8281)
    low, l4 = divmod(low, 91)
    low, l23 = divmod(low, 8281)
    digits = _PAIRS[high] + _PAIRS[d23] + _BASE91[d4] + _PAIRS[low] + _PAIRS[l23] + _BASE91[l4]
    return digits.lstrip(_BASE91[0])


def tag_for(text: str) -> str:
    """Anki tags cannot hold spaces."""
    return re.sub(r"\s+", "_", text.strip())
