"""The same program on a real PostgreSQL server: one database, many learners.

Runs when SRS_CRSS_TEST_PG_URL names a server (.ci/run starts one on
127.0.0.1); skipped with that reason otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from srs_crss.cli import app
from srs_crss.errors import DatabaseError
from srs_crss.storage import Store
from srs_crss.storage.schema import SCHEMA_HEAD, metadata
from tests.conftest import MINI_DECK, NOW, Invoke, write_basic_deck
from tests.program.test_stats_exam import D20, D21, D22, DECK


@pytest.fixture
def pg(pg_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(
        *args: str, now: str = NOW, env: dict[str, str] | None = None, input: str | None = None
    ) -> Result:
        full = {"SRS_CRSS_DB": pg_url, "SRS_CRSS_NOW": now, "SRS_CRSS_LEARNER": "alex"}
        full |= {"NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
        return runner.invoke(app, list(args), env=full, input=input)

    return invoke


def test_schema_matches_the_models(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from srs_crss.storage.migrations import upgrade

    engine = create_engine(pg_url)
    with engine.connect() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()
    with Store.open(pg_url) as store:
        assert store.schema_version() == SCHEMA_HEAD


def test_newer_schema_is_refused(pg_url: str) -> None:
    from sqlalchemy import create_engine, text

    Store.open(pg_url).close()
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer srs-crss"):
        Store.open(pg_url)


def test_commands_and_learners_on_one_server(pg: Invoke, tmp_path: Path) -> None:
    deck = write_basic_deck(tmp_path / "many.toml", 5)
    assert "5 added" in pg("sync", str(deck)).output
    assert "5 unchanged" in pg("sync", str(deck)).output
    review = pg("review", "--new", "3", input="4\n1\nu\n5\n4\n")
    assert review.exit_code == 0, review.output
    assert "Undid your answer to many/c01" in review.output
    other = pg("review", "--new", "2", input="3\n4\n4\n", env={"SRS_CRSS_LEARNER": "sam"})
    assert other.exit_code == 0
    alex = json.loads(pg("show", "many/c01", "--json").output)
    sam = json.loads(pg("show", "many/c01", "--json", env={"SRS_CRSS_LEARNER": "sam"}).output)
    assert [h["grade"] for h in alex["history"]] == [5]
    assert [h["grade"] for h in sam["history"]] == [4]
    assert json.loads(pg("decks", "--json").output)[0] == {
        "id": "many", "name": "Deck many", "cards": 5, "new": 2, "due": 0, "retired": 0,
        "optional": False,
    }  # fmt: skip


def test_stats_match_the_sqlite_figures(pg: Invoke, tmp_path: Path) -> None:
    deck = tmp_path / "two.toml"
    deck.write_text(DECK)
    pg("sync", str(deck))
    pg("review", "--new", "3", input="4\n1\n4\n4\n", now=D20)  # a1 4, e1 1, a2 4, e1 4
    pg("review", "--new", "0", input="5\n2\n3\n4\n4\n", now=D21)
    ended = pg("review", "--new", "0", input="4\n", now=D22).output
    assert "Streak: 3 days" in ended  # before any `stats`: the study days read from the log
    data: dict[str, Any] = json.loads(pg("stats", "--json", now=D22).output)
    assert data["today"] == {"due": 0, "new": 1, "reviewed": 1, "correct": 100.0}
    assert data["streak"] == 3 and data["retention"]["all_time"] == 0.8
    assert data["hardest"][0] == {"id": "two/a2", "failed": 1, "answers": 4, "ef": 2.5, "lapses": 1}
    pg("exam", "set", "2026-11-26", now=D22)
    pg("review", "--new", "1", input="4\n", now=D22)
    pg("review", "--new", "0", input="5\n", now="2026-11-23T10:00:00+00:00")
    rows = json.loads(pg("show", "two/e2", "--json").output)["history"]
    assert rows[-1]["capped_from"] == "2026-11-29" and rows[-1]["due"] == "2026-11-25"
    shown = json.loads(pg("exam", "show", "--json", now=D22).output)
    assert [(e["deck"], e["date"]) for e in shown] == [(None, "2026-11-26")]
    assert pg("exam", "clear", now=D22).output.strip() == "Exam date cleared (all decks)."
    assert json.loads(pg("exam", "show", "--json", now=D22).output) == []


def test_export_from_postgres_imports_into_anki(pg: Invoke, tmp_path: Path) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    mini = tmp_path / "mini.toml"
    mini.write_text(MINI_DECK)
    now = dt.datetime.now().astimezone()
    if now.hour in (3, 4):
        pytest.skip("too close to the 04:00 rollover for a stable day count")
    pg("sync", str(mini), now=now.isoformat())
    pg("review", "--deck", "mini", "--new", "1", input="1\n4\n", now=now.isoformat())
    out = tmp_path / "pg.apkg"
    result = pg("export-anki", "--out", str(out), now=now.isoformat())
    assert "2 reviews carried" in result.output, result.output
    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            anki_collection.ImportAnkiPackageRequest(
                package_path=str(out),
                options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        (cid,) = col.find_cards('"CardId:mini/empathy-basics"')
        card = col.get_card(cid)
        assert (card.type, card.ivl, card.due - col.sched.today) == (2, 1, 1)
        assert col.db.list("select ease from revlog order by id") == [1, 3]
    finally:
        col.close()


def test_stats_for_a_reader_who_may_not_write(pg: Invoke, pg_url: str, tmp_path: Path) -> None:
    # An instructor's read-only role: `stats` cannot keep its per-day counts up to
    # date, so it reads the log itself and gives the same figures.
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    deck = write_basic_deck(tmp_path / "deck.toml", 6)
    assert pg("sync", str(deck)).exit_code == 0
    assert pg("review", "--new", "6", input="4\n1\n5\n3\n4\n4\n").exit_code == 0
    role = f"srs_ro_{uuid.uuid4().hex[:8]}"
    database = make_url(pg_url).database
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'ro'"))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {role}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    reader = make_url(pg_url).set(username=role, password="ro")
    try:
        url = reader.render_as_string(hide_password=False)
        counted = text("SELECT count(*) FROM review_days")
        read_only = pg("stats", "--json", env={"SRS_CRSS_DB": url})
        assert read_only.exit_code == 0, read_only.output
        with engine.connect() as conn:
            assert conn.scalar(counted) == 0  # it could not write the counts
        owner = pg("stats", "--json")  # counts the log, then reads the counts
        with engine.connect() as conn:
            assert conn.scalar(counted) > 0
        assert json.loads(read_only.output) == json.loads(owner.output)
        assert json.loads(owner.output)["today"]["reviewed"] == 6
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"))
            conn.execute(text(f"REVOKE ALL ON SCHEMA public FROM {role}"))
            conn.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM {role}'))
            conn.execute(text(f"DROP ROLE {role}"))
        engine.dispose()


def test_the_exam_day_forecast_and_its_record_on_a_server(pg: Invoke, tmp_path: Path) -> None:
    from tests.program.test_mock import write_mcq_deck

    deck = write_mcq_deck(tmp_path / "bank.toml", 10)
    assert pg("sync", str(deck)).exit_code == 0
    assert pg("review", "--deck", "bank", "--new", "12", input="a\n\n" * 12).exit_code == 0
    taken = pg("mock", "--json", "--deck", "bank", "--questions", "8", "--seed", "1",
               input="a\n" * 8)  # fmt: skip
    assert taken.exit_code == 0, taken.output
    found = json.loads(pg("readiness", "--json").output)
    assert sum(d["cards_seen"] for d in found["domains"]) == 12 and found["reviews"] >= 12
    assert found["calibration"]["exams"] == 1
    plan = json.loads(pg("today", "--json").output)
    assert [s["kind"] for s in plan["steps"]][:2] == ["due", "new"]


def test_results_by_exam_task_on_a_server(pg: Invoke, tmp_path: Path) -> None:
    from tests.program.test_task_results import CRISIS, LANGUAGE, sit_exam, write_deck

    assert pg("sync", str(write_deck(tmp_path))).exit_code == 0
    assert pg("review", "--deck", "tasked", "--new", "5", input="a\n\n" * 5).exit_code == 0
    data = sit_exam(pg, right={"c1", "l1"})
    assert data["tasks"] == [CRISIS | {"right": 1, "asked": 3}, LANGUAGE | {"right": 1, "asked": 1}]
    stats = json.loads(pg("stats", "--json").output)
    assert [(t["task"], t["right"], t["asked"]) for t in stats["tasks"]] == [
        ("crisis", 1, 3),  # the exam's answers are the latest
        ("language", 1, 1),
        ("groups", 0, 0),
    ]


def test_stats_figures_less_retired_and_suspended_cards_on_postgres(
    pg_url: str, tmp_path: Path
) -> None:
    """stats reads due, the forecast and the domains' cards from the states alone, less
    the states of retired (and, for due, suspended) cards found by id: the same figures
    as through the cards, on PostgreSQL too."""
    from sqlalchemy import update

    from srs_crss import model
    from srs_crss.storage.schema import cards_t
    from tests.storage.test_totals import CARDS, START, _grade, _states_agree, _sync

    store = Store.open(pg_url)
    _sync(store, tmp_path, {"a": ["Advocacy"] * CARDS, "b": [None] * CARDS})
    at = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    learner = store.learners.id_of("alex", at)
    pk = {
        (d, n): store.decks.card_view(learner, d, f"c{n}").card.pk for d in "ab" for n in range(4)
    }
    for (_, n), card in pk.items():  # once: due the next day; twice: six days later
        for day in range(1 + n % 2):
            store.reviews.apply(learner, card, _grade(4, START + dt.timedelta(days=day)), at, 9)
    for key in (("a", 3), ("b", 0), ("b", 1)):
        store.suspensions.add(learner, pk[key], model.Suspension.MANUAL, at)
    with store.db.write() as conn:  # ("b", 1) both retired and suspended
        retired = [pk[key] for key in (("a", 0), ("a", 1), ("b", 1))]
        conn.execute(update(cards_t).where(cards_t.c.id.in_(retired)).values(retired=True))
    scopes = [model.Scope(), model.Scope(decks=("a",)), model.Scope(domain="advocacy")]
    for scope in scopes:
        _states_agree(store, learner, START + dt.timedelta(days=3), scope)
    store.close()
