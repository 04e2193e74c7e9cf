"""The service: the one API both front ends (cli/, web/) call.

`App` (app.py) is one object per command run, one method per command. What it
shares with its helpers lives in `Context` (context.py): the settings, the clock,
the store (opened lazily) and the learner. The helpers take a `Context`, never the
`App`: `preferences` (config), `marks` (flags and suspensions), `exam_dates`,
`practice` (practice exams), `anki_import`.

May import: the capabilities (`study`, `exams`, `decks`, `anki`, `settings`), the
core, and `storage` (only lazily, through `Context.store`). Never a front end.
"""

from srs_crss.service.app import App

__all__ = ["App"]
