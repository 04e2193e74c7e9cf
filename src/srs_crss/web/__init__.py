"""The web front end: `srs-crss serve`, the same study over the same service API.

A Starlette app (app.py) whose pages are Jinja2 templates rendered on the
server as plain HTML forms, so everything works with scripts off; one small
script of our own (static/study.js) adds the terminal's keys and swaps the
next card in without a page load. The web layer only turns requests into
calls on `srs_crss.service.App` (and the review session it hands out) and
records into templates: no rules and no SQL of its own.
"""
