"""Exams: the exam date a learner studies for, and practice exams built like the real one.

`planning` (pure: what an exam date does to new cards and intervals), `profiles`
(the exam profiles shipped in data/profiles.toml: length, time, pass mark, domain
weights), `mock` (pure: drawing a form by the blueprint, scoring it, the trend),
`tasks` (pure: results by exam task, right of asked, the weakest tasks), `run` (one
practice exam in progress over the store: clock, answers, flags, submit).

May import: the core and `settings`. Receives the store as an object; never imports
`storage`, the service or a front end.
"""
