"""The forecast against a learner whose memory is known (tests/simlearner.py): two
weeks of study through the real review loop, then on day 15 the forecast and a
100-question practice exam answered from the same memory agree within 12 points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from srs_crss.cli import ui
from srs_crss.service import App
from srs_crss.settings.run import Settings
from tests.simlearner import SimLearner, StudyScreen

START = dt.date(2026, 11, 1)
STUDY_DAYS = 14


def app_on(db: Path, day: dt.date) -> App:
    moment = f"{day.isoformat()}T09:00:00+00:00"
    return App(Settings(database=str(db), learner="sim", environ={"SRS_CRSS_NOW": moment}))


def study_and_sit(db: Path, seed: int) -> tuple[float, float, int]:
    """(forecast %, practice exam %, answers given) for one simulated learner."""
    learner = SimLearner(seed)
    answers = 0
    for offset in range(STUDY_DAYS):
        day = START + dt.timedelta(days=offset)
        with app_on(db, day) as app:
            screen = StudyScreen(learner, day)
            ui.run(app.review_session(), screen)
            answers += screen.answers
    exam_day = START + dt.timedelta(days=STUDY_DAYS)
    with app_on(db, exam_day) as app:
        forecast = app.forecasting.readiness("crss").forecast.expected_percent
        run = app.practice.start("crss", seed=seed).run
        cards = app.store.decks.cards_by_pk([q.pk for q in run.questions])
        for question in list(run.questions):
            run.go(question.position)
            fact = cards[question.pk].note
            run.pick(learner.sit(fact, question.answer, list(question.choices), exam_day))
        result = run.submit()
    return forecast, result.percent, answers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_two_weeks_the_forecast_agrees_with_a_practice_exam(db: Path, seed: int) -> None:
    forecast, exam, answers = study_and_sit(db, seed)
    print(f"seed {seed}: forecast {forecast:.1f}%, practice exam {exam:.1f}%, {answers} answers")
    assert answers > 300  # two weeks of real study went through the review loop
    assert abs(forecast - exam) <= 12
