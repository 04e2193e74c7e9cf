"""Studying: a review session over the store and the rules that shape its queue.

`session` (one sitting: the queue, answers, undo; `summary` its answers and end
figures), `duepages` (due
cards a page at a time), `newcards` and `newlimit` (which new cards, and how many
today), `policy` (leeches and other fixed rules), `stats` (the progress figures
derived from the store's counts).

May import: the core (`sm2`, `model`, `clock`, `errors`, `names`), `settings`,
`exams.planning` (an exam date caps intervals). Receives the store as an object;
never imports `storage`, the service or a front end.
"""
