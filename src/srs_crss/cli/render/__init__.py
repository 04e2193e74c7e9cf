"""Every text and JSON shape a user sees, in one place.

    shapes.py   the JSON of every `--json` option (scripts rely on these)
    text.py     plain lines: sync reports, the session summary, card choices, grades
    views.py    rich renderables for a terminal: tables, panels, charts
    screen.py   rich renderables of the review screen: header, card, answer, grade keys

The CLI and the review screen (cli/ui.py) both draw through these; rich
honours NO_COLOR and the terminal width.
"""
