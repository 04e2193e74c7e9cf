"""Names the user types: "deck/card" ids, and the closest known names for an unknown one."""

from __future__ import annotations

from collections.abc import Sequence

from srs_crss.errors import UsageError


def closest(given: str, known: Sequence[str]) -> list[str]:
    """Up to three known names close to `given` (case aside): names it begins, then near
    spellings. A shorter name must be a near spelling, not a fragment: 'empathi' finds
    'empathy', not 'mat' (three shared letters); 'crs' still finds 'pa-crs'."""
    import difflib  # only when a name is not found: not on every start

    lowered = {name.lower(): name for name in known}
    wanted = given.lower()
    matches = difflib.get_close_matches(wanted, list(lowered), n=5, cutoff=0.6)
    close = [n for n in known if n.lower().startswith(wanted)]  # names it begins first
    close += [
        lowered[m]
        for m in matches
        if (len(m) >= len(wanted) or difflib.SequenceMatcher(None, wanted, m).ratio() >= 0.75)
        and lowered[m] not in close
    ]
    return close[:3]


def did_you_mean(given: str, known: Sequence[str]) -> str:
    """ "; did you mean 'x'?" when a known name is close to `given`, else ""."""
    close = closest(given, known)
    return "; did you mean " + " or ".join(repr(n) for n in close) + "?" if close else ""


def unknown_name(
    what: str, given: str, known: Sequence[str], where: str = "", listed: bool = True
) -> str:
    """ "no domain 'Advocay'; did you mean 'Advocacy'?" with the known values when few.

    `where` follows the name ("in deck 'crss'"); `listed` says a command lists them all
    (`srs-crss {what}s`)."""
    message = f"no {what} {given!r}{where}{did_you_mean(given, known)}"
    if not known:
        return message + f" (there are no {what}s)"
    if len(known) <= 8:
        return message + f" ({what}s: {', '.join(known)})"
    if not listed:
        return message
    return message + f" ({len(known)} {what}s: `srs-crss {what}s` lists them)"


def split_qualified(qualified_id: str) -> tuple[str, str]:
    """Split "deck/card" into its two slugs."""
    deck, sep, card = qualified_id.strip().partition("/")
    if not sep or not deck or not card or "/" in card:
        raise UsageError(
            f"expected DECK/CARD (e.g. crss/seed-essential-quality), not {qualified_id!r}"
        )
    return deck, card
