"""Deck files: the TOML format, validation, sync planning and the quality checks.

`deckfile` (reading files, with file:line errors), `bundled` (the shipped decks'
folder and the fingerprint sync knows a file by: light, for every command),
`decktoml` (the TOML rules deck files and task lists share: parsing, the line of a
key, ids and text fields), `tasklist` (the exam task list a deck names),
`spec` (validated deck content, pure), `sync` (pure: what a sync changes),
`quality` (pure: the warnings `check` prints), `testwise` (pure: the cues a
content-blind, test-wise guesser reads in multiple-choice items).

May import: the core only.
"""
