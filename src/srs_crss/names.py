"""Names the user types: "deck/card" ids, and the closest known names for an unknown one."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from srs_crss.errors import UsageError


def unknown_name(what: str, given: str, known: Sequence[str]) -> str:
    """ "no domain 'Advocay'; did you mean 'Advocacy'?" with the known values when few."""
    lowered = {name.lower(): name for name in known}
    close = [
        lowered[m] for m in difflib.get_close_matches(given.lower(), list(lowered), n=3, cutoff=0.6)
    ]
    close += [n for n in known if n.lower().startswith(given.lower()) and n not in close]
    message = f"no {what} {given!r}"
    if close:
        message += "; did you mean " + " or ".join(repr(n) for n in close[:3]) + "?"
    if not known:
        return message + f" (there are no {what}s)"
    if len(known) <= 8:
        return message + f" ({what}s: {', '.join(known)})"
    return message + f" ({len(known)} {what}s: `srs-crss {what}s` lists them)"


def split_qualified(qualified_id: str) -> tuple[str, str]:
    """Split "deck/card" into its two slugs."""
    deck, sep, card = qualified_id.strip().partition("/")
    if not sep or not deck or not card or "/" in card:
        raise UsageError(
            f"expected DECK/CARD (e.g. crss/seed-essential-quality), not {qualified_id!r}"
        )
    return deck, card
