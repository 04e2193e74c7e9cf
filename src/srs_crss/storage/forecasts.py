"""The forecast's reads of the log and the bank, and its calibration record.

Reads: every answer of a learner grouped by card (the FSRS replay), the first
answer to each card (the prior for cards never studied), and the exam bank with
each question's number of choices. Writes: the append-only `forecast_checks`
rows, a practice exam's frozen forecast before it and its outcomes after it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from itertools import chain

from sqlalchemy import String, cast, func, insert, select

from srs_crss.forecast.calibration import ExamCheck
from srs_crss.forecast.memory import Replay, replay_rows
from srs_crss.storage.engine import Database
from srs_crss.storage.rows import cards_decks, exam_bank, states_cards_decks, suspended
from srs_crss.storage.schema import (
    cards_t,
    decks_t,
    forecast_checks_t,
    mock_exams_t,
    reviews_t,
    states_t,
)

FORECAST, OUTCOME = "forecast", "outcome"


class Forecasts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def replay(self, learner_id: int) -> Replay:
        """The learner's answers, card by card in the order given, as FSRS reads them."""
        query = (
            select(reviews_t.c.card_id, cast(reviews_t.c.day, String), reviews_t.c.grade)
            .where(reviews_t.c.learner_id == learner_id)
            .order_by(reviews_t.c.card_id, reviews_t.c.id)
        )
        with self.db.read() as conn:
            # Read from the driver's cursor 10,000 rows at a time: the columns need no
            # conversion (ints, and the day as text), so SQLAlchemy's row objects would
            # only double the time. (Not stream_results: SQLAlchemy would buffer rows
            # ahead of the cursor.)
            cursor = conn.execute(query).cursor
            batches = iter(lambda: cursor.fetchmany(10_000), [])
            return replay_rows(chain.from_iterable(batches))

    def answers_over(self, learner_id: int, limit: int) -> bool:
        """Whether the learner has given more than `limit` answers: whether an answer comes
        after the first `limit` (skipped in an index; never the whole log)."""
        beyond = (
            select(reviews_t.c.id)
            .where(reviews_t.c.learner_id == learner_id)
            .limit(1)
            .offset(limit)
        )
        with self.db.read() as conn:
            return conn.scalar(beyond) is not None

    def first_answers(
        self, learner_id: int | None, decks: Sequence[str] = ()
    ) -> list[tuple[bool, int]]:
        """(right?, choices; 0 for a flashcard) of the first answer to each card, by
        one learner, or (None) by every learner to the cards of `decks`.

        Cards with a sibling are left out: the first answer to the second of two cards
        testing one fact is not a fact met for the first time.
        """
        first = select(func.min(reviews_t.c.id))
        if learner_id is not None:
            first = first.where(reviews_t.c.learner_id == learner_id)
        first = first.group_by(reviews_t.c.learner_id, reviews_t.c.card_id)
        query = (
            select(
                reviews_t.c.grade,
                cards_t.c.type,
                cards_t.c.choices,
                cards_t.c.deck_id,
                cards_t.c.slug,
            )
            .select_from(cards_decks().join(reviews_t, reviews_t.c.card_id == cards_t.c.id))
            .where(reviews_t.c.id.in_(first), cards_t.c.sibling_of.is_(None))
        )
        if decks:
            query = query.where(decks_t.c.slug.in_(list(decks)))
        named = select(cards_t.c.deck_id, cards_t.c.sibling_of).where(
            cards_t.c.sibling_of.is_not(None)
        )
        with self.db.read() as conn:
            paired = {(deck, slug) for deck, slug in conn.execute(named)}
            return [
                (grade >= 3, len(json.loads(choices)) if kind == "mcq" else 0)
                for grade, kind, choices, deck, slug in conn.execute(query)
                if (deck, slug) not in paired
            ]

    def bank(self, decks: Sequence[str]) -> list[tuple[int, str, int]]:
        """(pk, domain, choices) of the multiple-choice cards of `decks` that can be asked."""
        query = exam_bank(decks, cards_t.c.id, cards_t.c.domain, cards_t.c.choices)
        with self.db.read() as conn:
            return [
                (pk, domain or "", len(json.loads(choices)))
                for pk, domain, choices in conn.execute(query)
            ]

    def siblings(self, decks: Sequence[str]) -> dict[int, set[int]]:
        """bank pk -> the cards of its deck testing the same fact (`sibling_of`, either way).

        Two lookups by (deck, slug), the cards' unique index: a join matching either
        direction at once would compare every card with every other.
        """
        other = cards_t.alias("other")
        same_deck = (other.c.deck_id == cards_t.c.deck_id) & other.c.retired.is_(False)
        named = exam_bank(decks, cards_t.c.id, other.c.id).join(  # the question names it
            other, same_deck & (other.c.slug == cards_t.c.sibling_of)
        )
        naming = exam_bank(decks, cards_t.c.id, other.c.id).join(  # it names the question
            other, same_deck & (other.c.sibling_of == cards_t.c.slug)
        )
        found: dict[int, set[int]] = {}
        with self.db.read() as conn:
            for query in (named, naming):
                for pk, sibling in conn.execute(query):
                    found.setdefault(pk, set()).add(sibling)
        return found

    def due(
        self, learner_id: int, day: dt.date, decks: Sequence[str]
    ) -> list[tuple[int, str, int]]:
        """(pk, domain, choices; 0 for a flashcard) of the cards due by `day` in `decks`
        (not retired, not suspended): the reviews of today's plan."""
        query = (
            select(cards_t.c.id, cards_t.c.domain, cards_t.c.type, cards_t.c.choices)
            .select_from(states_cards_decks())
            .where(
                states_t.c.learner_id == learner_id,
                states_t.c.due <= day,
                cards_t.c.retired.is_(False),
                ~suspended(learner_id),
            )
        )
        if decks:
            query = query.where(decks_t.c.slug.in_(list(decks)))
        with self.db.read() as conn:
            return [
                (pk, domain or "", len(json.loads(choices)) if kind == "mcq" else 0)
                for pk, domain, kind, choices in conn.execute(query)
            ]

    # ---- the calibration record (append-only) ------------------------------------------

    def freeze(
        self,
        exam_id: int,
        chances: Sequence[tuple[int, float]],
        model: str,
        at: dt.datetime,
    ) -> None:
        """The forecast chance of each question of a practice exam about to be taken."""
        self._append(exam_id, FORECAST, [(pk, p) for pk, p in chances], model, at)

    def record_outcomes(
        self, exam_id: int, outcomes: Sequence[tuple[int, bool]], at: dt.datetime
    ) -> None:
        """Each question's outcome, beside the frozen forecast (after submission)."""
        values = [(pk, 1.0 if right else 0.0) for pk, right in outcomes]
        self._append(exam_id, OUTCOME, values, None, at)

    def _append(
        self,
        exam_id: int,
        kind: str,
        values: Sequence[tuple[int, float]],
        model: str | None,
        at: dt.datetime,
    ) -> None:
        """Add rows for an exam (the exam's learner is read in the same transaction)."""
        if not values:
            return
        with self.db.write() as conn:
            learner_id = conn.scalar(
                select(mock_exams_t.c.learner_id).where(mock_exams_t.c.id == exam_id)
            )
            if learner_id is None:
                return
            rows = [
                {
                    "learner_id": learner_id,
                    "exam_id": exam_id,
                    "card_id": pk,
                    "kind": kind,
                    "value": value,
                    "model": model,
                    "recorded_at": at,
                }
                for pk, value in values
            ]
            conn.execute(insert(forecast_checks_t), rows)

    def rows(self, learner_id: int) -> list[tuple[int, int, str, float]]:
        """(exam id, card pk, kind, value) of every row, in the order written."""
        query = (
            select(
                forecast_checks_t.c.exam_id,
                forecast_checks_t.c.card_id,
                forecast_checks_t.c.kind,
                forecast_checks_t.c.value,
            )
            .where(forecast_checks_t.c.learner_id == learner_id)
            .order_by(forecast_checks_t.c.id)
        )
        with self.db.read() as conn:
            return [(e, c, k, float(v)) for e, c, k, v in conn.execute(query)]

    def checks(self, learner_id: int) -> list[ExamCheck]:
        """Each practice exam with both a frozen forecast and outcomes, oldest first."""
        forecasts: dict[int, dict[int, float]] = {}
        outcomes: dict[int, dict[int, bool]] = {}
        for exam, card, kind, value in self.rows(learner_id):
            if kind == FORECAST:
                forecasts.setdefault(exam, {}).setdefault(card, value)
            else:
                outcomes.setdefault(exam, {}).setdefault(card, value >= 0.5)
        return [
            ExamCheck(
                exam,
                tuple(
                    (forecasts[exam][card], right)
                    for card, right in outcomes[exam].items()
                    if card in forecasts[exam]
                ),
            )
            for exam in sorted(forecasts)
            if exam in outcomes
        ]
