"""The --lan link as a QR code a phone's camera reads off the terminal."""

from __future__ import annotations

import io

import segno  # pure Python: only `serve --lan` imports this module


def terminal(link: str) -> str:
    """The code drawn with half blocks (two rows per line), dark on light whatever the
    terminal's colours, with the quiet border a camera needs."""
    out = io.StringIO()
    segno.make(link, error="l").terminal(out=out, compact=True)
    return out.getvalue().rstrip("\n")
