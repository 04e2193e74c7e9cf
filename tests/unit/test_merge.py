"""Merging Anki answers into the SM-2 history (srs_crss.anki.merge): the rules of docs/anki.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from srs_crss import sm2
from srs_crss.anki import merge
from srs_crss.anki.mapping import RevlogRow
from srs_crss.model import LoggedAnswer, LoggedTime

DAY0 = dt.date(2026, 11, 1)
MS0 = 1_793_500_000_000  # 2026-11-01 around midday UTC
HOUR = 3_600_000
DAY = 24 * HOUR


def day_of(ms: int) -> dt.date:
    return DAY0 + dt.timedelta(days=(ms - MS0) // DAY)


def row(ms: int, ease: int, type_: int = 1, ivl: int = 1, factor: int = 2500) -> RevlogRow:
    return RevlogRow(ms, 1, ease, ivl, 0, factor, 5_000, type_)


def logged(*answers: tuple[int, int]) -> list[LoggedAnswer]:
    """An srs-crss log of (ms, grade) answers, replayed with plain SM-2."""
    out, state, last = [], sm2.CardState(), None
    for n, (ms, grade) in enumerate(answers):
        day = day_of(ms)
        again = last == day and state.due is not None and state.due > day
        outcome = (sm2.repeat if again else sm2.review)(state, grade, day)
        out.append(LoggedAnswer(n + 1, ms, day, grade, 4_000, None, outcome.after))
        state, last = outcome.after, day
    return out


def plan_(
    rows: list[RevlogRow],
    own: list[LoggedAnswer] | None = None,
    cap: Callable[[int, sm2.Review], sm2.Review] | None = None,
) -> merge.Plan:
    """merge.plan for one card (pk 7) with this srs-crss log."""
    own = own or []
    times = {7: [LoggedTime(a.id, a.reviewed_ms, a.grade) for a in own]}
    by_id = {a.id: a for a in own}

    def details(ids: list[int]) -> dict[int, LoggedAnswer]:
        assert len(ids) <= len(own)
        return {i: by_id[i] for i in ids}

    if cap is None:
        return merge.plan({7: rows}, times, details, day_of)
    return merge.plan({7: rows}, times, details, day_of, cap)


def test_buttons_become_grades_again_1_hard_3_good_4_easy_5() -> None:
    rows = [row(MS0 + i * DAY * 30, ease) for i, ease in enumerate((1, 2, 3, 4))]
    plan = plan_(rows)
    assert [int(review.grade) for _, review in plan.cards[0].steps] == [1, 3, 4, 5]
    assert plan.added == 4 and plan.already == 0


def test_rows_that_are_not_answers_are_skipped_and_counted() -> None:
    rows = [
        row(MS0, 0, type_=4, ivl=0, factor=0),  # set due date / forget
        row(MS0 + 1, 0, type_=5, ivl=3, factor=2500),  # rescheduled
        row(MS0 + 2, 3, type_=3, ivl=0, factor=0),  # filtered deck, no rescheduling
        row(MS0 + 3, 3, type_=0),
    ]
    plan = plan_(rows)
    assert plan.skipped == {merge.Skip.MANUAL: 2, merge.Skip.CRAM: 1}
    assert plan.added == 1


def test_an_answer_srs_crss_exported_is_recognised_not_added() -> None:
    own = logged((MS0, 4), (MS0 + DAY, 4))
    rows = [row(MS0, 3), row(MS0 + DAY + 2, 3), row(MS0 + 7 * DAY, 4)]  # +2 ms: moved on export
    plan = plan_(rows, own)
    assert plan.already == 2 and plan.added == 1
    (card,) = plan.cards
    assert card.replaced == ()  # nothing of srs-crss's own is touched
    assert card.steps[0][1].before == own[-1].after


def test_a_different_button_at_the_same_time_is_a_different_answer() -> None:
    own = logged((MS0, 4))
    plan = plan_([row(MS0 + 10, 1)], own)
    assert plan.already == 0 and plan.added == 1


def test_a_later_answer_on_the_same_day_is_an_extra_review() -> None:
    # Anki's learning steps: Good, then Good again ten minutes later.
    plan = plan_([row(MS0, 3, 0), row(MS0 + 600_000, 3, 0)])
    first, second = (review for _, review in plan.cards[0].steps)
    assert first.kind is sm2.ReviewKind.NEW and first.after.interval == 1
    assert second.kind is sm2.ReviewKind.EXTRA
    assert second.after == first.after  # ef, n, I and the due day unchanged


def test_again_then_good_on_one_day_follows_sm2() -> None:
    plan = plan_([row(MS0, 1, 0), row(MS0 + 60_000, 3, 0)])
    failed, passed = (review for _, review in plan.cards[0].steps)
    assert failed.after.repetitions == 0 and failed.after.due == DAY0
    assert passed.kind is sm2.ReviewKind.RELEARN  # an ordinary review with n == 0
    assert passed.after.interval == 1 and passed.after.due == DAY0 + dt.timedelta(days=1)


def test_a_failed_extra_review_must_be_repeated_that_day() -> None:
    rows = [row(MS0, 3, 0), row(MS0 + HOUR, 1, 0), row(MS0 + 2 * HOUR, 3, 0)]
    steps = [review for _, review in plan_(rows).cards[0].steps]
    assert steps[1].after.extra and steps[1].after.due == DAY0
    assert not steps[2].after.extra and steps[2].after.due == DAY0 + dt.timedelta(days=1)
    assert steps[2].after.ef == steps[0].after.ef == 250


def test_answers_given_here_after_an_anki_answer_are_recorded_again_in_time_order() -> None:
    own = logged((MS0, 4), (MS0 + 6 * DAY, 4), (MS0 + 20 * DAY, 5))
    plan = plan_([row(MS0 + 3 * DAY, 1)], own)
    (card,) = plan.cards
    assert card.replaced == (2, 3)
    assert [a.from_anki for a, _ in card.steps] == [True, False, False]
    assert [a.reviewed_ms for a, _ in card.steps] == [MS0 + 3 * DAY, MS0 + 6 * DAY, MS0 + 20 * DAY]
    states = [own[0].after] + [review.after for _, review in card.steps]
    assert all(r.before == states[i] for i, (_, r) in enumerate(card.steps))
    assert card.steps[0][1].after.lapses == 1 and card.steps[1][1].after.interval == 1
    assert plan.added == 1 and plan.restated == 2


def test_the_cap_of_an_exam_plan_is_applied_to_each_answer() -> None:
    eve = DAY0 + dt.timedelta(days=3)

    def cap(_pk: int, review: sm2.Review) -> sm2.Review:
        from srs_crss.exams import planning

        return planning.cap(review, eve + dt.timedelta(days=1))

    plan = plan_([row(MS0, 3), row(MS0 + DAY, 3)], cap=cap)
    last = plan.cards[0].steps[-1][1]
    assert last.after.due == eve and last.capped_from == DAY0 + dt.timedelta(days=7)


answers = st.lists(
    st.tuples(st.integers(0, 60 * 86_400), st.integers(0, 5), st.booleans()), max_size=25
)


@settings(max_examples=300, deadline=None)
@given(answers)
def test_the_result_is_the_sm2_replay_of_the_whole_merged_history(
    history: list[tuple[int, int, bool]],
) -> None:
    """Whatever the mix, the merged log chains state to state and ends where replaying
    every answer (both sides, in time order) from a new card ends."""
    seen: set[int] = set()
    unique = []
    for offset, grade, in_anki in sorted(history):
        if offset not in seen and offset + 1 not in seen and offset - 1 not in seen:
            seen.add(offset)
            unique.append((MS0 + offset * 1000, max(grade, 1) if in_anki else grade, in_anki))
    own = logged(*((ms, g) for ms, g, in_anki in unique if not in_anki))
    button = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
    rows = [row(ms, button[g]) for ms, g, in_anki in unique if in_anki]
    plan = plan_(rows, own)
    grades = {1: 1, 2: 3, 3: 4, 4: 5}
    expected = logged(*((ms, grades[button[g]] if a else g) for ms, g, a in unique))
    if not rows or all(r.ease == 0 for r in rows):
        assert plan.cards == []
        return
    (card,) = plan.cards
    kept = [a for a in own if a.id not in card.replaced]
    chain = [a.after for a in kept] + [review.after for _, review in card.steps]
    assert chain[-1] == expected[-1].after
    assert [review.before for _, review in card.steps] == (
        [kept[-1].after] if kept else [sm2.CardState()]
    ) + chain[len(kept) : -1]
