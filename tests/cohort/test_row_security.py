"""Learners kept apart by PostgreSQL itself (issue 29): row-level security, forced.

Against a real server (SRS_CRSS_TEST_PG_URL; skipped without one). The class is
set up as the tables' owner, then everything is checked as the server's role,
which does not own the tables: with no setting it sees nothing, with learner A's
it sees and changes only A's rows, as an instructor it reads all and changes none.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from srs_crss.cli import app
from srs_crss.storage.rowsecurity import learner_tables
from srs_crss.storage.schema import metadata
from tests.conftest import NOW, Invoke, write_basic_deck
from tests.program.test_mock import take, write_mcq_deck

DAY_BEFORE = "2026-11-21T10:00:00+00:00"


def _runner(url: str) -> Invoke:
    runner = CliRunner()

    def invoke(
        *args: str, learner: str = "alex", input: str | None = None, now: str = NOW
    ) -> Result:
        env = {"SRS_CRSS_DB": url, "SRS_CRSS_NOW": now, "SRS_CRSS_LEARNER": learner}
        return runner.invoke(app, list(args), env={**env, "NO_COLOR": "1"}, input=input)

    return invoke


class Cohort:
    def __init__(self, owner_url: str, app_url: str, role: str) -> None:
        self.owner = _runner(owner_url)
        self.server = _runner(app_url)
        self.app_url = app_url
        self.role = role
        self.engine = create_engine(app_url)
        self.ids: dict[str, int] = {}

    def connect(self, **settings: str) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            for key, value in settings.items():
                conn.execute(
                    text("SELECT set_config(:k, :v, true)"), {"k": f"srs_crss.{key}", "v": value}
                )
            yield conn


@pytest.fixture
def cohort(pg_url: str, tmp_path: Path) -> Iterator[Cohort]:
    """Two learners with history in every learner table, then `cohort setup-db`."""
    role = f"srs_app_{uuid.uuid4().hex[:8]}"
    owner = _runner(pg_url)
    bank = write_mcq_deck(tmp_path / "bank.toml", 3)
    basic = write_basic_deck(tmp_path / "many.toml", 4)
    assert owner("sync", str(bank), str(basic)).exit_code == 0
    for name in ("alex", "sam"):
        first = owner(
            "review",
            "--deck",
            "many",
            "--new",
            "2",
            learner=name,
            input="\n4\n" * 2,
            now=DAY_BEFORE,
        )
        assert "Reviewed: 2" in first.stdout, first.output
        again = owner("review", "--deck", "many", "--new", "0", learner=name, input="\n4\n" * 2)
        assert "Reviewed: 2" in again.stdout, again.output  # now due in 6 days
        owner("config", "set", "new-per-day", "7", learner=name)
        owner("exam", "set", "2026-11-25", learner=name)  # pulls them in: due_moves
        owner("flag", "bank/q001", f"{name} thinks this is off", learner=name)
        owner("suspend", "bank/q002", learner=name)
        owner("review", "--cram", "--deck", "many", learner=name, input="\n4\nq\n")
        owner("stats", learner=name)  # fills review_days
        take(
            lambda *a, who=name, **k: owner(*a, learner=who, **k),
            "--questions",
            "3",
            "--seed",
            "1",
            lines=["A", "B", "C"],
        )
    done = owner("cohort", "setup-db", "--app-role", role)
    assert done.exit_code == 0, done.output
    assert "row security on" in done.stdout
    app_url = make_url(pg_url).set(username=role).render_as_string(hide_password=False)
    state = Cohort(pg_url, app_url, role)
    admin = create_engine(pg_url)
    with admin.connect() as conn:
        state.ids = dict(conn.execute(text("SELECT name, id FROM learners")).all())
    admin.dispose()
    yield state
    state.engine.dispose()


def _counts(conn: Connection) -> dict[str, int]:
    return {
        entry.table.name: int(
            conn.execute(text(f"SELECT count(*) FROM {entry.table.name}")).scalar_one()
        )
        for entry in learner_tables()
    }


def test_every_table_with_learner_rows_has_a_forced_policy(cohort: Cohort) -> None:
    with cohort.engine.connect() as conn:
        holding = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name = 'learner_id'"
                )
            ).scalars()
        )
        secured = {
            row.relname: (row.relrowsecurity, row.relforcerowsecurity)
            for row in conn.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
                )
            )
        }
        policies = set(
            conn.execute(text("SELECT tablename || '.' || policyname FROM pg_policies")).scalars()
        )
    assert {"reviews", "card_states", "review_days", "mock_exams"} <= holding
    # learners themselves, and practice questions (through their exam), hold learner rows too
    expected = holding | {"learners", "mock_questions"}
    assert {entry.table.name for entry in learner_tables()} == expected
    lacking = [
        name
        for name in sorted(expected)
        if secured.get(name) != (True, True)
        or not {f"{name}.srs_learner", f"{name}.srs_instructor"} <= policies
    ]
    assert lacking == []
    # and no table refers to a learner table without being one (a new table would show here)
    referring = {
        table.name
        for table in metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name in expected
    }
    assert referring <= expected


def test_without_the_setting_the_server_role_sees_and_changes_nothing(cohort: Cohort) -> None:
    for conn in cohort.connect():
        assert set(_counts(conn).values()) == {0}
        assert conn.execute(text("UPDATE reviews SET grade = 0")).rowcount == 0
        assert conn.execute(text("DELETE FROM card_states")).rowcount == 0
    with pytest.raises(sa_exc.ProgrammingError, match="row-level security"):
        for conn in cohort.connect():
            conn.execute(text("INSERT INTO learners (name, created_at) VALUES ('x', now())"))
    with pytest.raises(sa_exc.ProgrammingError, match="must be owner"):
        for conn in cohort.connect():
            conn.execute(text("ALTER TABLE reviews DISABLE ROW LEVEL SECURITY"))
    # shared content is readable: the decks are the class's, not a learner's
    for conn in cohort.connect():
        assert conn.execute(text("SELECT count(*) FROM cards")).scalar_one() == 16


def test_learner_a_cannot_read_or_change_learner_b(cohort: Cohort) -> None:
    alex, sam = str(cohort.ids["alex"]), cohort.ids["sam"]
    for conn in cohort.connect(learner_id=alex, learner="alex"):
        mine = _counts(conn)
        assert all(mine[name] > 0 for name in mine), mine
        assert conn.execute(text("SELECT name FROM learners")).scalars().all() == ["alex"]
        for name in mine:
            column = "id" if name == "learners" else "learner_id"
            if name == "mock_questions":
                continue
            seen = conn.execute(
                text(f"SELECT count(*) FROM {name} WHERE {column} = :s"), {"s": sam}
            )
            assert seen.scalar_one() == 0, name
            assert (
                conn.execute(text(f"DELETE FROM {name} WHERE {column} = :s"), {"s": sam}).rowcount
                == 0
            )
        assert conn.execute(
            text("UPDATE mock_questions SET picked = 'x' WHERE exam_id IN "
                 "(SELECT id FROM mock_exams WHERE learner_id = :s)"), {"s": sam}
        ).rowcount == 0  # fmt: skip
    with pytest.raises(sa_exc.ProgrammingError, match="row-level security"):
        for conn in cohort.connect(learner_id=alex, learner="alex"):
            conn.execute(
                text("INSERT INTO flags (learner_id, card_id, note, created_at) "
                     "SELECT :s, id, 'forged', now() FROM cards LIMIT 1"), {"s": sam}
            )  # fmt: skip
    with pytest.raises(sa_exc.ProgrammingError, match="row-level security"):
        for conn in cohort.connect(learner_id=alex, learner="alex"):  # moving a row to B
            conn.execute(text("UPDATE flags SET learner_id = :s"), {"s": sam})
    owner = create_engine(make_url(cohort.app_url).set(username="postgres"))
    with owner.connect() as conn:  # sam's history is all there
        assert (
            conn.execute(
                text("SELECT count(*) FROM flags WHERE learner_id = :s"), {"s": sam}
            ).scalar_one()
            == 1
        )
    owner.dispose()


def test_an_instructor_reads_everyone_and_changes_nothing(cohort: Cohort) -> None:
    for conn in cohort.connect(instructor="on"):
        everyone = _counts(conn)
        assert conn.execute(text("SELECT name FROM learners ORDER BY name")).scalars().all() == [
            "alex",
            "sam",
        ]
        assert conn.execute(text("UPDATE card_states SET ef = 130")).rowcount == 0
        assert conn.execute(text("DELETE FROM reviews")).rowcount == 0
        assert conn.execute(text("UPDATE mock_questions SET picked = NULL")).rowcount == 0
    for conn in cohort.connect(learner_id=str(cohort.ids["alex"])):
        alone = _counts(conn)
    assert all(everyone[name] == 2 * alone[name] or name == "learners" for name in everyone), (
        everyone,
        alone,
    )
    with pytest.raises(sa_exc.ProgrammingError, match="row-level security"):
        for conn in cohort.connect(instructor="on"):
            conn.execute(
                text(
                    "INSERT INTO exams (learner_id, exam_day, created_at) "
                    "VALUES (:a, '2027-02-01', now())"
                ),
                {"a": cohort.ids["alex"]},
            )


def test_the_program_runs_as_the_server_role_one_learner_at_a_time(cohort: Cohort) -> None:
    server = cohort.server
    alex = json.loads(server("stats", "--json").stdout)
    assert alex["today"]["reviewed"] > 0
    flags = server("flags", "--json", learner="sam")
    assert flags.exit_code == 0, flags.output
    assert [f["learner"] for f in json.loads(flags.stdout)] == ["sam"]
    newcomer = server("review", "--deck", "bank", "--new", "1", learner="jo", input="A\n4\n")
    assert newcomer.exit_code == 0, newcomer.output
    assert "alex" not in newcomer.output and "sam" not in newcomer.output
    exam = server("exam", "set", "2027-03-01", learner="jo")
    assert exam.exit_code == 0, exam.output
    shown = json.loads(server("exam", "show", "--json", learner="alex").stdout)
    assert [e["date"] for e in shown] == ["2026-11-25"]


def test_setup_refuses_what_would_not_keep_learners_apart(cohort: Cohort, db: Path) -> None:
    owner = cohort.owner
    again = owner("cohort", "setup-db", "--app-role", cohort.role)  # idempotent
    assert again.exit_code == 0, again.output
    as_owner = owner("cohort", "setup-db", "--app-role", "postgres")
    assert as_owner.exit_code == 2 and "owner" in as_owner.stderr
    bad = owner("cohort", "setup-db", "--app-role", 'x"; DROP TABLE reviews; --')
    assert bad.exit_code == 2 and "plain role name" in bad.stderr
    sqlite = _runner(str(db))("cohort", "setup-db", "--app-role", "srs_app")
    assert sqlite.exit_code == 2 and "needs PostgreSQL" in sqlite.stderr


def test_the_instructor_figures_read_everyone_as_the_server_role(cohort: Cohort) -> None:
    table = cohort.server("class", "--json", learner="nobody")
    assert table.exit_code == 0, table.output
    assert [row["name"] for row in json.loads(table.stdout)["learners"]] == ["alex", "sam"]
    items = cohort.server("items", "--json", learner="nobody")
    assert items.exit_code == 0, items.output
    assert sum(item["answers"] for item in json.loads(items.stdout)) == 6  # 3 questions x 2
    from srs_crss.service import App
    from srs_crss.settings.run import Settings

    with App(Settings(cohort.app_url, "nobody", environ={"SRS_CRSS_NOW": NOW})) as app:
        flags = app.cohort.flags()  # what learners flagged, for the instructor's page
    assert sorted(flag.learner for flag in flags) == ["alex", "sam"]
    assert cohort.server("cohort", "exam", "set", "2026-12-20").exit_code == 0
    for conn in cohort.connect():  # the class's date is the class's, not a learner's row
        assert conn.execute(text("SELECT count(*) FROM cohort_exams")).scalar_one() == 1


def test_removing_an_account_with_its_history_as_the_server_role(cohort: Cohort) -> None:
    server = cohort.server
    assert server("users", "add", "zed").exit_code == 0
    studied = server("review", "--deck", "many", "--new", "1", learner="zed", input="\n4\n")
    assert studied.exit_code == 0, studied.output
    gone = server("users", "remove", "zed", "--delete-history")  # run as learner alex
    assert gone.exit_code == 0, gone.output
    owner = create_engine(make_url(cohort.app_url).set(username="postgres"))
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM learners WHERE name = 'zed'")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM learners")).scalar() == 2  # alex, sam
    owner.dispose()
