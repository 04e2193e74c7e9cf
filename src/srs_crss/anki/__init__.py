"""Everything that knows Anki's formats.

    notetypes.py  srs-crss's note types, deck ids and note guids (fixed forever)
    mapping.py    SM-2 answers -> Anki review log values (pure)
    revlog.py     writing those rows into a package (SQL and Python paths)
    export.py     .apkg packages (genanki) with schedule and history

genanki is imported by notetypes and export only, so nothing else pays for it.
"""
