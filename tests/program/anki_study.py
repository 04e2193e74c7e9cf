"""Study in a real Anki collection, run as its own process (under `faketime` in the tests,
so Anki's scheduler lives through several days).

    python -m tests.program.anki_study COLLECTION import PACKAGE
    python -m tests.program.anki_study COLLECTION study DECK SEED LIMIT
    python -m tests.program.anki_study COLLECTION export PACKAGE

`study` answers every card Anki offers in DECK (learning steps included) until none is
left or LIMIT answers were given, with buttons drawn from SEED, through Anki's
own scheduler. It prints the number of answers.
"""

from __future__ import annotations

import random
import sys

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

BUTTONS = (1, 2, 3, 4)
WEIGHTS = (15, 15, 55, 15)


def main(path: str, action: str, *args: str) -> None:
    col = Collection(path)
    try:
        if action == "import":
            request = ImportAnkiPackageRequest(
                package_path=args[0],
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
            col.import_anki_package(request)
        elif action == "study":
            deck = col.decks.id_for_name(args[0])
            assert deck is not None, f"no deck {args[0]!r}"
            col.decks.select(deck)
            rng, limit = random.Random(int(args[1])), int(args[2])
            answered = 0
            while answered < limit and (card := col.sched.getCard()) is not None:
                card.start_timer()
                col.sched.answerCard(card, rng.choices(BUTTONS, WEIGHTS)[0])  # type: ignore[arg-type]
                answered += 1
            print(answered)
        elif action == "export":
            options = ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False)
            col.export_anki_package(out_path=args[0], options=options, limit=None)
        else:
            raise SystemExit(f"unknown action {action!r}")
    finally:
        col.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
