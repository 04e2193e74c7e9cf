"""The forecast's pure parts: memory states against fsrs-rs itself, the chance of a
right answer, the pass probability, the monotonic rules, the calibration."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import fsrs_rs_python as fsrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srs_crss.exams.mock import allocate
from srs_crss.forecast import calibration, memory, plan, readiness
from srs_crss.forecast.memory import Answer

D0 = dt.date(2026, 11, 1)
WEIGHTS = (("A", 10.0), ("B", 10.0), ("C", 16.0))


def days(*pairs: tuple[int, int]) -> list[Answer]:
    """(day offset, SM-2 grade) pairs as a history."""
    return [Answer(D0 + dt.timedelta(days=d), g) for d, g in pairs]


GOLDEN = {
    # history -> (stability, difficulty) from fsrs-rs-python 0.9.3 with its defaults
    "one good answer": days((0, 4)),
    "good, good three days on, a miss five days on": days((0, 4), (3, 4), (8, 1)),
    "a miss, again the same day, then easy": days((0, 0), (0, 4), (2, 5)),
    "hard twice a week apart": days((0, 3), (7, 3)),
    "a long good run": days((0, 5), (1, 4), (4, 4), (12, 5), (40, 4)),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_replayed_memory_states_match_fsrs_rs_itself(name: str) -> None:
    history = GOLDEN[name]
    ratings = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
    by_hand = []
    for n, answer in enumerate(history):
        gap = 0 if n == 0 else (answer.day - history[n - 1].day).days
        by_hand.append(fsrs.FSRSReview(ratings[answer.grade], gap))
    expected = fsrs.FSRS(fsrs.DEFAULT_PARAMETERS).memory_state(fsrs.FSRSItem(by_hand))
    model = memory.default_model()
    (state,) = memory.states(model, memory.replay({1: history})).values()
    assert state.stability == pytest.approx(expected.stability, rel=1e-9)
    assert state.difficulty == pytest.approx(expected.difficulty, rel=1e-9)
    assert state.last_day == history[-1].day


def test_golden_figures_for_two_histories() -> None:
    """Figures written down once: a change of library version that moves them shows here."""
    model = memory.default_model()
    one = memory.states(model, memory.replay({1: GOLDEN["one good answer"]}))[1]
    assert one.stability == pytest.approx(2.3065, abs=1e-4)  # w[2], the first Good
    three = memory.states(
        model, memory.replay({1: GOLDEN["good, good three days on, a miss five days on"]})
    )[1]
    assert (three.stability, three.difficulty) == pytest.approx((1.5764, 7.3922), abs=1e-3)


def test_recall_falls_to_the_retention_fsrs_schedules_for() -> None:
    """Our forgetting curve is the one fsrs-rs schedules with: at the interval it gives
    for a desired retention, recall is that retention."""
    model = memory.default_model()
    engine = fsrs.FSRS(list(model.parameters))
    for stability, wanted in itertools.product((0.5, 3.7, 20.0, 180.0), (0.7, 0.8, 0.9, 0.95)):
        interval = engine.next_interval(stability, wanted, 3)
        assert memory.retrievability(stability, interval, model.decay) == pytest.approx(
            wanted, abs=1e-5
        )


def test_a_short_log_keeps_the_default_parameters_and_a_long_one_is_fitted() -> None:
    short = [days((0, 4), (2, 4)) for _ in range(7)]  # 7 reviews to learn from: under 8
    assert memory.fit(memory.replay(dict(enumerate(short)))) == memory.default_model()
    rng = random.Random(1)

    def log(cards: int) -> list[list[Answer]]:
        return [
            days(*((d, rng.choice((1, 4, 4, 5))) for d in (0, 1, 3, 8, 20)))
            for _ in range(cards)
        ]  # fmt: skip

    # fsrs-rs itself keeps its defaults for this little (it says so by returning them)
    assert memory.fit(memory.replay(dict(enumerate(log(40))))) == memory.default_model()
    fitted = memory.fit(memory.replay(dict(enumerate(log(100)))))
    assert fitted.fitted and fitted.reviews == 400 and fitted.name == "FSRS-6 fitted"
    assert fitted.parameters != memory.default_model().parameters


def test_fitting_on_a_long_log_reads_the_newest_cards_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With only the latest answers of a long log (all seventh answers here), fsrs-rs
    # had no early answers to start from and raised NotEnoughData (the benchmark's
    # 1,000,000-answer log did): the newest cards are taken whole instead.
    monkeypatch.setattr(memory, "MAX_FIT_ITEMS", 100)
    log = {pk: days(*((5 * n + pk // 10, 4) for n in range(7))) for pk in range(100)}
    items = memory.training_items(memory.replay(log), memory.MAX_FIT_ITEMS)
    assert len(items) == 102  # 17 cards of 6 items: whole cards, just past 100
    assert sum(len(item) == 2 for item in items) == 17  # each with its first review
    assert memory.fit(memory.replay(log)).parameters  # no NotEnoughData


def test_grades_map_onto_fsrs_ratings() -> None:
    assert [memory.rating(g) for g in range(6)] == [1, 1, 1, 2, 3, 4]


def test_the_chance_of_a_right_choice() -> None:
    assert readiness.chance(0.0, 4) == 0.25
    assert readiness.chance(1.0, 4) == 1.0
    assert readiness.chance(0.6, 4) == pytest.approx(0.25 + 0.75 * 0.6)
    assert readiness.chance(0.6, 0) == 0.6  # a flashcard: no guessing


def test_a_questions_own_record_already_counts_its_guesses() -> None:
    # its answers were right 60% of the time, lucky guesses included: 60%, not 70%
    own = readiness.Item(1, "A", 4, recall=None, picked=0.6)
    assert readiness.item_chance(own, prior_recall=0.0) == pytest.approx(0.6)
    # never below a guess; a sibling's recall counts when it says more
    assert readiness.item_chance(readiness.Item(1, "A", 4, None, 0.1), 0.0) == 0.25
    both = readiness.Item(1, "A", 4, recall=0.9, picked=0.6)
    assert readiness.item_chance(both, 0.0) == pytest.approx(0.25 + 0.75 * 0.9)
    # the prior is for questions with neither
    assert readiness.item_chance(readiness.Item(1, "A", 4, None), 0.4) == pytest.approx(0.55)


def test_the_prior_counts_a_right_first_choice_as_a_guess_one_time_in_k() -> None:
    # half right on 4-choice questions is (0.5 - 0.25) / 0.75 = 1/3 of the facts known
    answers = [(True, 4), (False, 4)] * 50
    assert readiness.prior_recall(answers, 0.0, 0) == pytest.approx(1 / 3)
    assert readiness.prior_recall([(True, 0), (False, 0)], 0.0, 0) == 0.5
    # few answers lean on the deck's average
    assert readiness.prior_recall([(True, 0)], 0.2, 4) == pytest.approx((1 + 0.8) / 5)
    assert readiness.prior_recall([], 0.0, 20) == 0.0  # nobody studied: chance


@given(st.lists(st.floats(0, 1), max_size=12), st.integers(0, 13))
def test_the_exact_score_distribution_matches_counting_every_outcome(
    chances: list[float], needed: int
) -> None:
    brute = 0.0
    for outcome in itertools.product((0, 1), repeat=len(chances)):
        if sum(outcome) >= needed:
            brute += math.prod(p if o else 1 - p for p, o in zip(chances, outcome, strict=True))
    assert readiness.at_least(chances, needed) == pytest.approx(brute, abs=1e-9)


def _every_count(chances: list[float], needed: int) -> float:
    """at_least as first written: every count from 0 to `needed` after every answer."""
    if needed <= 0:
        return 1.0
    dist = [1.0] + [0.0] * needed
    for p in chances:
        for j in range(needed, 0, -1):
            kept = dist[j] if j == needed else dist[j] * (1 - p)
            dist[j] = kept + dist[j - 1] * p
        dist[0] *= 1 - p
    return min(1.0, dist[needed])


@given(
    st.lists(st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.25, 1.0])), max_size=40),
    st.integers(-1, 45),
)
def test_the_counts_left_out_change_nothing_to_the_last_bit(
    chances: list[float], needed: int
) -> None:
    assert readiness.at_least(chances, needed) == _every_count(chances, needed)


@pytest.mark.parametrize("alike", [True, False])
def test_the_pass_chance_is_that_of_the_forms_drawn(alike: bool) -> None:
    rng = random.Random(3)
    chances = {
        name: [0.25 if alike else rng.choice([0.25, 0.5, 0.9]) for _ in range(size)]
        for name, size in (("A", 30), ("B", 12), ("C", 50))
    }
    shares = allocate(WEIGHTS, 40, {n: len(c) for n, c in chances.items()})
    needed = math.ceil(68 * sum(shares.values()) / 100)
    draw, total = random.Random(readiness.SEED), 0.0
    for _ in range(readiness.FORMS):
        form = [p for name, _ in WEIGHTS for p in draw.sample(chances[name], shares[name])]
        total += _every_count(form, needed)
    assert readiness.pass_probability(chances, WEIGHTS, 40, 68) == total / readiness.FORMS


def bank(recalls: list[float | None]) -> list[readiness.Item]:
    return [readiness.Item(n, "ABC"[n % 3], 4, r) for n, r in enumerate(recalls)]


def test_with_no_study_the_forecast_is_chance_and_passing_unlikely() -> None:
    found = readiness.forecast(bank([None] * 60), WEIGHTS, 100, 68, prior=0.0)
    assert found.expected_percent == pytest.approx(25.0)
    assert all(d.expected_percent == pytest.approx(25.0) and d.seen == 0 for d in found.domains)
    assert found.pass_probability < 1e-9


def test_everything_known_passes_and_the_blueprint_weighs_the_domains() -> None:
    items = [
        readiness.Item(n, "A" if n < 30 else "C", 4, 1.0 if n < 30 else 0.0) for n in range(60)
    ]
    found = readiness.forecast(items, WEIGHTS, 100, 68, prior=0.0)
    # A at 100%, C at 25%, B has no items: (10 * 100 + 16 * 25) / 26
    assert found.expected_percent == pytest.approx((1000 + 400) / 26)
    perfect = readiness.forecast(bank([1.0] * 60), WEIGHTS, 100, 68, prior=0.0)
    assert perfect.pass_probability == pytest.approx(1.0)


histories = st.lists(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 5)), min_size=1, max_size=6),
    min_size=1,
    max_size=15,
)


@settings(max_examples=40, deadline=None)
@given(histories, st.integers(0, 60), st.integers(1, 90), st.integers(0, 25))
def test_with_no_further_study_a_later_date_never_forecasts_more(
    raw: list[list[tuple[int, int]]], unseen: int, later: int, prior_tenths: int
) -> None:
    logs = {}
    for pk, steps in enumerate(raw):
        day, answers = 0, []
        for gap, grade in steps:
            day += gap
            answers.append((day, grade))
        logs[pk] = days(*answers)
    model = memory.default_model()
    states = memory.states(model, memory.replay(logs))
    last = max(h[-1].day for h in logs.values())
    prior = min(1.0, prior_tenths / 25)

    def on(day: dt.date) -> readiness.Forecast:
        items = [
            readiness.Item(pk, "ABC"[pk % 3], 4, model.recall(s, day)) for pk, s in states.items()
        ]
        items += [readiness.Item(1000 + n, "ABC"[n % 3], 4, None) for n in range(unseen)]
        return readiness.forecast(items, WEIGHTS, 100, 68, prior)

    sooner, afterwards = on(last), on(last + dt.timedelta(days=later))
    assert afterwards.expected_percent <= sooner.expected_percent + 1e-9
    assert afterwards.pass_probability <= sooner.pass_probability + 1e-9
    for a, b in zip(afterwards.domains, sooner.domains, strict=True):
        assert a.expected_percent <= b.expected_percent + 1e-9


def test_calibration_figures_by_hand() -> None:
    checks = [
        calibration.ExamCheck(1, ((0.8, True), (0.6, False))),  # forecast 70, got 50
        calibration.ExamCheck(2, ((0.5, True), (0.5, True))),  # forecast 50, got 100
    ]
    found = calibration.calibrate(checks)
    assert found.exams == 2 and found.mean_abs_error == pytest.approx(35.0)
    assert found.brier == pytest.approx((0.04 + 0.36 + 0.25 + 0.25) / 4)
    assert found.brier_constant == pytest.approx((3 * 0.25**2 + 0.75**2) / 4)
    assert found.recalibration is None  # fewer than 3 exams
    assert found.recent_exams == 2 and found.recent_within == 50
    assert calibration.calibrate([]).exams == 0


def test_recalibration_learns_a_systematic_lean() -> None:
    """Outcomes drawn from sigmoid(1 + logit(p)): the fit finds the lean, and the
    corrected forecast scores a better Brier score than the raw one."""
    rng = random.Random(5)
    pairs = []
    for _ in range(3000):
        p = rng.uniform(0.05, 0.95)
        truth = 1 / (1 + math.exp(-(1.0 + math.log(p / (1 - p)))))
        pairs.append((p, rng.random() < truth))
    checks = [calibration.ExamCheck(n, tuple(pairs[n * 100 : (n + 1) * 100])) for n in range(30)]
    found = calibration.calibrate(checks)
    assert found.recalibration is not None
    a, b = found.recalibration
    assert a == pytest.approx(1.0, abs=0.2) and b == pytest.approx(1.0, abs=0.2)
    assert found.recent_exams == 4


def test_points_per_item_spread_a_domains_weight_over_its_bank() -> None:
    worth = plan.points_per_item(WEIGHTS, {"A": 10, "B": 0, "C": 32})
    # B has no items: A and C share the score 10:16
    assert worth == pytest.approx({"A": 100 * 10 / 26 / 10, "C": 100 * 16 / 26 / 32})


def test_new_cards_come_from_the_domains_worth_most_as_far_as_they_go() -> None:
    chosen = plan.choose_new(12, {"A": 5, "B": 20, "C": 0}, {"A": 0.9, "B": 0.5, "C": 2.0})
    assert chosen == [("A", 5), ("B", 7)]
    assert plan.choose_new(0, {"A": 5}, {"A": 1.0}) == []


def test_the_quiz_is_offered_only_when_it_beats_as_many_more_new_cards() -> None:
    today, exam = D0, D0 + dt.timedelta(days=10)
    due = [("A", 0.1), ("C", 0.2)]

    def build(quiz_points: float, unseen: int) -> plan.DayPlan:
        return plan.build(today, exam, due, 5, {"A": unseen}, {"A": 0.3}, {"C": quiz_points},
                          {"A": 1.0}, 50.0, None)  # fmt: skip

    # 10 more new cards would add 10 * 0.3 = 3 points: a quiz worth 2.5 is not offered
    assert [s.kind for s in build(0.25, 100).steps] == ["due", "new"]
    offered = build(0.35, 100)
    assert [s.kind for s in offered.steps] == ["due", "new", "quiz"]
    assert offered.steps[2].domain == "C" and offered.steps[2].points == pytest.approx(3.5)
    assert offered.total_points == pytest.approx(0.3 + 5 * 0.3 + 3.5)
    # with only 5 new cards left (all taken today), any useful quiz wins
    assert [s.kind for s in build(0.01, 5).steps] == ["due", "new", "quiz"]
    undated = plan.build(today, None, due, 5, {"A": 9}, {}, {}, {"A": 1.0}, None, 62.0)
    assert [s.points for s in undated.steps] == [None, None] and undated.total_points is None
    assert undated.days_left is None and undated.latest_practice == 62.0
