"""The study policy's numbers that a learner may change (pure; imports nothing).

Kept apart so the command line can show them in its help without loading the
rest of the library.
"""

DEFAULT_NEW_PER_DAY = 20
"""New cards a day when no exam date asks for more."""

LEECH_LAPSES = 8
"""A card forgotten this many times (lapses, as Anki counts them) is a leech: it is
suspended, so the learner rewrites it or reads its source instead of drilling it."""
