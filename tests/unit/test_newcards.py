"""New cards interleaved across domains by their share of the deck (pure)."""

from __future__ import annotations

from collections import Counter

from srs_crss.study.newcards import interleave


def test_domains_take_turns_in_proportion_to_their_share() -> None:
    lines = {"A": list(range(100, 110)), "B": list(range(200, 205)), "C": list(range(300, 305))}
    order = interleave(lines, {"A": 20, "B": 10, "C": 10}, 8)
    assert order == [100, 200, 300, 101, 102, 201, 301, 103]  # A B C A, A B C A
    first = Counter(str(item)[0] for item in interleave(lines, {"A": 2, "B": 1, "C": 1}, 12))
    assert first == {"1": 6, "2": 3, "3": 3}


def test_the_authors_order_is_kept_within_a_domain() -> None:
    lines = {"A": [5, 3, 9], "B": [8, 1]}
    order = interleave(lines, {"A": 1, "B": 1}, 5)
    assert [x for x in order if x in (5, 3, 9)] == [5, 3, 9]
    assert [x for x in order if x in (8, 1)] == [8, 1]


def test_a_domain_that_runs_out_leaves_the_rest_to_the_others() -> None:
    assert interleave({"A": [1], "B": [2, 3, 4]}, {"A": 10, "B": 1}, 10) == [1, 2, 3, 4]
    assert interleave({"A": [1, 2]}, {}, 1) == [1]
    assert interleave({}, {"A": 1}, 5) == []


def test_equal_shares_alternate_starting_with_the_first_name() -> None:
    assert interleave({"B": [20, 21], "A": [10, 11]}, {"A": 2, "B": 2}, 4) == [10, 20, 11, 21]
