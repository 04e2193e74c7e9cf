"""SM-2 answers -> Anki review log values (pure)."""

from __future__ import annotations

from srs_crss.anki.mapping import ANKI_BUTTON, REVLOG_TYPE, next_free, revlog_type
from srs_crss.model import ExportReview


def test_next_free_keeps_first_come_and_moves_later_ones() -> None:
    taken: set[int] = set()
    assert [next_free(ms, taken) for ms in (100, 101, 100, 105, 105, 103)] == [
        100, 101, 102, 105, 106, 103,
    ]  # fmt: skip


def test_grades_map_to_buttons_and_kinds_to_revlog_types() -> None:
    assert [ANKI_BUTTON[g] for g in range(6)] == [1, 1, 1, 2, 3, 4]

    def kind(name: str, before: int) -> int:
        return revlog_type(ExportReview(1, 0, 4, name, before, 0, 1, 250, None))

    assert kind("new", 0) == 0
    assert kind("relearn", 0) == 2
    assert (kind("extra", 1), kind("extra", 2)) == (0, 1)
    assert kind("review", 3) == 1
    assert set(REVLOG_TYPE.values()) == {0, 1, 2}
