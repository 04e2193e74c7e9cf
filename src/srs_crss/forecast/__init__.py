"""The exam-day forecast: will this learner pass on the day, and what helps most today.

`memory` (FSRS-6 memory states replayed from the review log, parameters fitted to
the learner once the log is large enough: a reading of the log, SM-2 keeps
scheduling), `readiness` (pure: per item, per domain and overall expected scores,
the pass probability for a form drawn as `mock` draws it), `calibration` (pure:
how well past forecasts matched this learner's practice exams, and the
recalibration that corrects a lean), `plan` (pure: today's plan with each line's
expected effect in points).

May import: the core and the pure parts of `exams`. `memory` alone imports
fsrs_rs_python (lazily: only the forecast pays for it). Never imports `storage`,
the service or a front end.
"""
