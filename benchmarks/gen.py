"""Generators for benchmark data: large deck files, built with the project's format."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from srs_crss import clock, sm2
from srs_crss.model import Scope
from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.storage.schema import SCHEMA_HEAD

DOMAINS = ("Advocacy", "Mentoring and Education", "Recovery and Wellness Support",
           "Ethical Responsibility")  # fmt: skip


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_deck(path: Path, deck_id: str, cards: int, edit: int = 0) -> Path:
    """A deck file of `cards` cards; one in five is multiple choice.

    `edit` changes the text of that many cards (to time an update).
    """
    lines = [
        "[deck]",
        f"id = {toml_string(deck_id)}",
        f"name = {toml_string('Benchmark deck ' + deck_id)}",
        "",
    ]
    for i in range(cards):
        domain = DOMAINS[i % 4]
        suffix = " (edited)" if i < edit else ""
        lines.append("[[cards]]")
        lines.append(f'id = "card-{i:06d}"')
        lines.append(f"front = {toml_string(f'Question number {i} about peer support?{suffix}')}")
        if i % 5 == 0:
            lines.append('type = "mcq"')
            lines.append(
                f'choices = ["Answer {i}", "Distractor {i} one", "Distractor {i} two", '
                f'"Distractor {i} three"]'
            )
            lines.append(f'answer = "Answer {i}"')
            lines.append(toml_string_line("explanation", f"Because {i} is right."))
        else:
            lines.append(toml_string_line("back", f"The answer to question {i}."))
        lines.append(f"domain = {toml_string(domain)}")
        lines.append(f'tags = ["bench", "t{i % 10}"]')
        lines.append(toml_string_line("source", "Generated for benchmarks"))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def toml_string_line(key: str, value: str) -> str:
    return f"{key} = {toml_string(value)}"


GENERATOR_VERSION = "5"
"""Bump when the generated database changes shape, to rebuild cached copies."""

GRADES = (0, 1, 2, 3, 4, 5)
GRADE_WEIGHTS = (4, 7, 6, 13, 42, 28)
"""Plausible answers: about 17% failures, most passes graded 4 or 5."""

History = list[tuple[dt.datetime, sm2.Review, int]]


def simulate(
    rng: random.Random, start: dt.date, end: dt.date, budget: int, taken: set[dt.datetime]
) -> History:
    """One card's answers from a random first day until `budget` or `end`, on time."""
    day = start + dt.timedelta(days=rng.randrange(0, (end - start).days - 30))
    state = sm2.CardState()
    log: History = []
    while len(log) < budget and day <= end:
        grade = rng.choices(GRADES, weights=GRADE_WEIGHTS)[0]
        outcome = sm2.review(state, grade, day)
        # an evening session: any second between 17:00 and 22:00, with milliseconds
        offset = dt.timedelta(seconds=rng.randrange(5 * 3600), milliseconds=rng.randrange(1000))
        moment = dt.datetime.combine(day, dt.time(17), dt.UTC) + offset
        while moment in taken:  # one learner never answers twice in the same millisecond
            moment += dt.timedelta(milliseconds=1)
        taken.add(moment)
        log.append((moment, outcome, rng.randrange(1500, 20000)))
        state = outcome.after
        assert state.due is not None
        day = state.due
    return log


def build_database(
    path: Path,
    *,
    cards: int = 100_000,
    decks: int = 10,
    reviews: int = 1_000_000,
    now: str = "2026-11-22T10:00:00+00:00",
    learner: str = "bench",
    seed: int = 7,
) -> Path:
    """A realistic database built through srs-crss's own code.

    `decks` deck files of cards/decks cards each are synced with App.sync;
    then `reviews` answers spread over the two years before `now` are
    replayed through sm2.review with plausible grades and bulk-loaded with
    Store.load_history. Cached: rebuilt only if missing or made differently.
    """
    stamp = path.with_suffix(".version")
    wanted = f"{GENERATOR_VERSION}:{SCHEMA_HEAD}:{cards}:{decks}:{reviews}:{now}:{seed}"
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        return path
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    folder = path.parent / (path.stem + "-decks")
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        write_deck(folder / f"deck{d:02d}.toml", f"bench-{d:02d}", cards // decks)
        for d in range(decks)
    ]
    settings = Settings(database=str(path), learner=learner, environ={"SRS_CRSS_NOW": now})
    rng = random.Random(seed)
    with App(settings) as app:
        app.sync(files)
        end = clock.study_day(app.now())
        start = end - dt.timedelta(days=730)
        pks = app.store.queue.new_card_ids(app.learner_id, Scope(), cards)
        # Some histories end early (their next due day is past `now`), so
        # budgets run a little over the mean until the total is reached.
        budget = reviews // len(pks) + 3

        def histories() -> Iterator[tuple[int, History]]:
            left = reviews
            taken: set[dt.datetime] = set()
            for pk in pks:
                log = simulate(rng, start, end, min(budget, left), taken) if left else []
                left -= len(log)
                yield pk, log

        app.store.reviews.load_history(app.learner_id, histories())
    stamp.write_text(wanted)
    return path
