"""A review session loads card content a batch ahead while the learner reads
(`Session.ready`, as the review screen calls it on every card): no answer waits for a
batch, and every card shown is the card stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import Grade
from tests.conftest import write_basic_deck

NOW = "2026-11-22T10:00:00+00:00"


def test_ready_loads_the_next_batch_before_it_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_basic_deck(tmp_path / "deck.toml", 40)
    settings = Settings(
        database=str(tmp_path / "a.db"), learner="alex", environ={"SRS_CRSS_NOW": NOW}
    )
    with App(settings) as app:
        app.sync([deck])
        session = app.review_session(decks=["many"], new=40)
        loads: list[tuple[str, int]] = []
        where = ["current"]
        original = session.store.decks.cards_by_pk

        def spy(pks: Any) -> Any:
            loads.append((where[0], len(pks)))
            return original(pks)

        monkeypatch.setattr(session.store.decks, "cards_by_pk", spy)
        shown = []
        while (card := session.current()) is not None:
            shown.append(card.id)
            where[0] = "ready"
            session.ready()
            where[0] = "current"
            session.answer(Grade(4), 1000)
        assert shown == [f"c{i:02d}" for i in range(40)]
        assert loads[0] == ("current", 16)  # the first card's batch: nothing read ahead yet
        assert all(place == "ready" for place, _ in loads[1:]) and len(loads) <= 4
        assert sum(size for _, size in loads) == 40


def test_ready_checkpoints_the_log_while_the_learner_reads(tmp_path: Path) -> None:
    # The session's answers come back to back (no pause for the background checkpoint);
    # the checkpoints happen in ready, and SQLite starts its log over after each.
    deck = write_basic_deck(tmp_path / "deck.toml", 40)
    db = tmp_path / "a.db"
    settings = Settings(database=str(db), learner="alex", environ={"SRS_CRSS_NOW": NOW})
    wal = Path(f"{db}-wal")
    with App(settings) as app:
        app.sync([deck])
        session = app.review_session(decks=["many"], new=40)
        generations = set()
        while session.current() is not None:
            session.ready()
            session.answer(Grade(4), 1000)
            generations.add(int.from_bytes(wal.read_bytes()[12:16], "big"))
        assert len(generations) >= 3  # 40 answers: started over at least twice
