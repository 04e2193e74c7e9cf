"""Drawing and scoring practice exams (srs_crss.exams.mock): pure rules."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srs_crss.exams import profiles
from srs_crss.exams.mock import (
    BankItem,
    Question,
    allocate,
    draw,
    exam_choices,
    largest_remainder,
    score,
    trend,
)

WEIGHTS = [
    ("Advocacy", 10.0),
    ("Mentoring and Education", 10.0),
    ("Recovery and Wellness Support", 10.0),
    ("Ethical Responsibility", 16.0),
]


def bank(per_domain: dict[str, int]) -> list[BankItem]:
    items, pk = [], 0
    for domain, count in per_domain.items():
        for _ in range(count):
            pk += 1
            items.append(BankItem(pk, domain))
    return items


def test_largest_remainder_splits_100_by_training_hours() -> None:
    # quotas 21.74, 21.74, 21.74, 34.78: floors 21+21+21+34 = 97; the 3 left go to the
    # largest remainders (.78 first, then the .74s in order)
    assert largest_remainder(WEIGHTS, 100) == {
        "Advocacy": 22,
        "Mentoring and Education": 22,
        "Recovery and Wellness Support": 21,
        "Ethical Responsibility": 35,
    }


@given(
    st.lists(st.floats(min_value=0.1, max_value=100), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=500),
)
def test_largest_remainder_always_sums_to_the_total(weights: list[float], total: int) -> None:
    named = [(f"d{i}", w) for i, w in enumerate(weights)]
    shares = largest_remainder(named, total)
    assert sum(shares.values()) == total
    whole = sum(weights)
    for name, weight in named:  # never more than one away from the exact quota
        assert abs(shares[name] - total * weight / whole) < 1


def test_a_small_domain_gives_its_shortfall_to_the_others() -> None:
    available = {
        "Advocacy": 5,
        "Mentoring and Education": 100,
        "Recovery and Wellness Support": 100,
        "Ethical Responsibility": 100,
    }
    shares = allocate(WEIGHTS, 100, available)
    assert shares["Advocacy"] == 5
    assert sum(shares.values()) == 100
    assert shares["Ethical Responsibility"] > shares["Mentoring and Education"]


def test_a_bank_smaller_than_the_exam_gives_everything_it_has() -> None:
    items = bank({"Advocacy": 3, "Ethical Responsibility": 4})
    drawn = draw(items, WEIGHTS, 100, seed=1)
    assert sorted(drawn.pks) == sorted(i.pk for i in items)
    assert drawn.short
    assert dict(drawn.drawn) == {
        "Advocacy": 3,
        "Mentoring and Education": 0,
        "Recovery and Wellness Support": 0,
        "Ethical Responsibility": 4,
    }


@pytest.mark.parametrize("seed", [1, 2, 3, 42, 2026])
@pytest.mark.parametrize("size", [80, 200, 5000])
def test_draws_follow_the_weights_and_never_repeat(seed: int, size: int) -> None:
    items = bank({name: size for name, _ in WEIGHTS})
    drawn = draw(items, WEIGHTS, 100, seed)
    assert len(drawn.pks) == 100
    assert len(set(drawn.pks)) == 100
    domain_of = {i.pk: i.domain for i in items}
    assert Counter(domain_of[pk] for pk in drawn.pks) == Counter(largest_remainder(WEIGHTS, 100))


def test_the_same_seed_draws_the_same_exam_and_another_seed_does_not() -> None:
    items = bank({name: 200 for name, _ in WEIGHTS})
    assert draw(items, WEIGHTS, 100, 7).pks == draw(items, WEIGHTS, 100, 7).pks
    assert draw(items, WEIGHTS, 100, 7).pks != draw(items, WEIGHTS, 100, 8).pks


def test_items_not_asked_lately_come_first() -> None:
    items = bank({"Advocacy": 30})
    weights = [("Advocacy", 1.0)]
    first = draw(items, weights, 10, seed=5)
    asked = dict.fromkeys(first.pks, 1)  # all asked in exam 1
    second = draw(items, weights, 10, seed=5, last_asked=asked)
    assert not set(first.pks) & set(second.pks)
    asked |= dict.fromkeys(second.pks, 2)
    third = draw(items, weights, 10, seed=5, last_asked=asked)
    assert not set(third.pks) & (set(first.pks) | set(second.pks))
    # everything asked once: the longest ago (exam 1) come back first
    asked |= dict.fromkeys(third.pks, 3)
    assert set(draw(items, weights, 10, seed=9, last_asked=asked).pks) == set(first.pks)


def test_items_outside_the_profile_domains_are_not_drawn() -> None:
    items = [*bank({"Advocacy": 5}), BankItem(99, None), BankItem(98, "Pennsylvania")]
    assert 99 not in draw(items, WEIGHTS, 10, 1).pks
    assert 98 not in draw(items, WEIGHTS, 10, 1).pks


def test_choice_order_is_fixed_by_the_exam_and_varies_between_questions() -> None:
    choices = ["a", "b", "c", "d"]
    assert exam_choices(3, 1, choices) == exam_choices(3, 1, choices)
    orders = {tuple(exam_choices(3, n, choices)) for n in range(1, 30)}
    assert len(orders) > 5
    assert all(sorted(order) == choices for order in orders)


def q(position: int, domain: str, right: bool | None) -> Question:
    picked = None if right is None else ("yes" if right else "no")
    return Question(position, position, f"d/c{position}", domain, "?", ("yes", "no"), "yes",
                    None, None, picked)  # fmt: skip


def test_score_counts_unanswered_as_wrong_and_names_the_weakest_domain() -> None:
    questions = [
        q(1, "Advocacy", True),
        q(2, "Advocacy", True),
        q(3, "Ethical Responsibility", False),
        q(4, "Ethical Responsibility", None),
        q(5, "Ethical Responsibility", True),
    ]
    result = score(questions, 68, False, 30.0, [name for name, _ in WEIGHTS])
    assert (result.correct, result.asked) == (3, 5)
    assert result.percent == 60.0
    assert not result.passed
    assert [(d.domain, d.correct, d.asked) for d in result.domains] == [
        ("Advocacy", 2, 2),
        ("Ethical Responsibility", 1, 3),
    ]
    assert result.weakest == "Ethical Responsibility"


def test_the_pass_mark_is_inclusive_and_nothing_missed_has_no_weakest_domain() -> None:
    questions = [q(n, "Advocacy", n <= 68) for n in range(1, 101)]
    assert score(questions, 68, False, 0).passed
    perfect = score([q(1, "Advocacy", True)], 68, False, 0)
    assert perfect.weakest is None


def test_trend_is_first_to_last() -> None:
    assert trend([]) is None
    assert trend([50.0]) is None
    assert trend([50.0, 70.0, 64.0]) == 14.0


def test_the_shipped_profiles_name_their_sources_and_the_deck_domains() -> None:
    known = profiles.load()
    assert set(known) >= {"crss", "icrc-pr"}
    crss, icrc = known["crss"], known["icrc-pr"]
    assert (crss.questions, crss.minutes, crss.pass_percent) == (100, 120, 68)
    assert not crss.pass_is_estimate
    assert icrc.pass_is_estimate  # IC&RC reports a scaled score, not a percentage
    for profile in known.values():
        assert {what for what, _ in profile.sources} == {"questions", "minutes", "pass", "weights"}
        assert set(profile.domains) == {name for name, _ in WEIGHTS}
    assert "not published" in dict(crss.sources)["weights"].lower()
