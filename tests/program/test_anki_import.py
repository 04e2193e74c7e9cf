"""`srs-crss import-anki` with real Anki: export, study in Anki's own scheduler, export from
Anki in each format, import back, and check every card against an SM-2 replay."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srs_crss import clock, sm2
from tests.conftest import Invoke, digest, write_basic_deck
from tests.program.test_anki_export import import_package, real_now
from tests.robustness import check_database

anki_collection = pytest.importorskip("anki.collection")

GRADE = {1: 1, 2: 3, 3: 4, 4: 5}
FORMATS = ("apkg", "legacy.apkg", "colpkg")


def _at(moment: dt.datetime) -> str:
    return moment.isoformat()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """srs-crss history, then Anki answers, then an srs-crss answer between Anki's, and
    Anki's packages in every format. Built once: Anki's scheduler runs on the real clock."""
    from typer.testing import CliRunner

    from srs_crss.cli import app

    tmp = tmp_path_factory.mktemp("anki-import")
    db = tmp / "learner.db"
    runner = CliRunner()

    def cli(*args: str, now: str, input: str | None = None) -> Any:
        env = {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": now, "SRS_CRSS_LEARNER": "alex"}
        result = runner.invoke(app, list(args), env=env | {"NO_COLOR": "1"}, input=input)
        assert result.exit_code == 0, result.output
        return result

    start = real_now() - dt.timedelta(minutes=30)
    cli("sync", str(write_basic_deck(tmp / "many.toml", 6)), now=_at(start))
    # c00 failed (due again today), c01 passed: then exported
    cli("review", "--deck", "many", "--new", "2", now=_at(start), input="\n1\n\n4\nq\n")
    cli("export-anki", "--deck", "many", "--out", str(tmp / "out.apkg"), now=_at(start))

    (tmp / "anki").mkdir()
    col = anki_collection.Collection(str(tmp / "anki" / "collection.anki2"))
    try:
        import_package(col, tmp / "out.apkg")
        own = col.models.by_name("Basic")
        note = col.new_note(own)
        note["Front"], note["Back"] = "my own card", "stays in Anki"
        col.add_note(note, col.decks.id("Default"))
        c01 = col.find_cards('"CardId:many/c01"')
        col.sched.set_due_date(c01, "0")  # a row that is not an answer
        col.decks.select(col.decks.id_for_name("Deck many"))
        buttons = iter([1, 3, 3, 2, 1, 3, 4, 3, 3, 3, 3, 3, 3, 3])
        answered = 0
        srs_answer_at: dt.datetime | None = None
        while (card := col.sched.getCard()) is not None and answered < 14:
            card.start_timer()
            col.sched.answerCard(card, next(buttons))
            answered += 1
            if answered == 3 and srs_answer_at is None:
                # an answer in srs-crss, two minutes ahead of Anki's clock: later Anki
                # answers of the same day fall before it
                srs_answer_at = real_now() + dt.timedelta(minutes=2)
                cli("review", "--deck", "many", now=_at(srs_answer_at), input="\n4\nq\n")
        packages = {}
        for fmt in FORMATS:
            out = tmp / f"back.{fmt}"
            if fmt == "colpkg":
                continue
            options = anki_collection.ExportAnkiPackageOptions(
                with_scheduling=True, with_media=False, legacy=fmt.startswith("legacy")
            )
            col.export_anki_package(out_path=str(out), options=options, limit=None)
            packages[fmt] = out
        revlog = col.db.all("select id, cid, ease, type from revlog order by id")
        cids = {cid: col.get_card(cid).note()["CardId"] for (_, cid, _, _) in revlog}
    finally:
        col.close()
    col = anki_collection.Collection(str(tmp / "anki" / "collection.anki2"))
    col.export_collection_package(str(tmp / "back.colpkg"), include_media=False, legacy=False)
    packages["colpkg"] = tmp / "back.colpkg"
    shutil.copyfile(db, tmp / "before.db")
    yield {
        "tmp": tmp,
        "packages": packages,
        "revlog": revlog,
        "card_of": cids,
        "zone": start.tzinfo,
        "answered": answered,
    }


@pytest.fixture
def learner(world: dict[str, Any], db: Path) -> Path:
    """A fresh copy of the learner's database as it was before any import."""
    shutil.copyfile(world["tmp"] / "before.db", db)
    return db


def _ms(iso: str) -> int:
    """Milliseconds since the epoch, truncated as the log and the export count them."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (dt.datetime.fromisoformat(iso) - epoch) // dt.timedelta(milliseconds=1)


BUTTON = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


def _exported(ms: int, ease: int, ours: list[tuple[int, int]]) -> bool:
    """Whether an Anki row is one of srs-crss's own answers, exported: same button, and at
    most a second later (the export moves answers sharing a millisecond apart)."""
    return any(0 <= ms - m < 1000 and BUTTON[g] == ease for m, g in ours)


def _replay(history: list[tuple[int, int]], zone: Any) -> list[sm2.Review]:
    """SM-2 over (ms, grade) answers in time order, the first answer of a day being its review."""
    state, last, out = sm2.CardState(), None, []
    for ms, grade in sorted(history):
        day = clock.study_day(dt.datetime.fromtimestamp(ms / 1000, dt.UTC).astimezone(zone), 4)
        again = last == day and state.due is not None and state.due > day
        outcome = (sm2.repeat if again else sm2.review)(state, grade, day)
        out.append(outcome)
        state, last = outcome.after, day
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_import_merges_anki_answers_into_an_sm2_history(
    cli: Invoke, world: dict[str, Any], learner: Path, fmt: str
) -> None:
    now = _at(real_now() + dt.timedelta(minutes=5))
    shown = {
        f"many/c{i:02d}": json.loads(cli("show", f"many/c{i:02d}", "--json", now=now).output)
        for i in range(6)
    }
    result = cli("import-anki", str(world["packages"][fmt]), "--json", now=now)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    answers = [r for r in world["revlog"] if r[2] > 0 and r[3] < 4]
    srs_made = sum(len(s["history"]) for s in shown.values())
    assert report["notes_skipped"] == 1 and report["notes_matched"] == 6
    assert report["reviews_added"] + report["reviews_already_present"] == len(answers)
    assert report["reviews_already_present"] == 2  # the two answers srs-crss exported
    assert report["rows_skipped"] == [{"reason": "rescheduled by hand in Anki", "count": 1}]
    assert report["answers_recorded_again"] >= 1  # the srs-crss answer among Anki's
    assert check_database(learner) == srs_made + report["reviews_added"]
    for card, before in shown.items():
        after = json.loads(cli("show", card, "--json", now=now).output)
        ours = [(_ms(h["reviewed_at"]), h["grade"]) for h in before["history"]]
        theirs = [
            (ms, GRADE[ease])
            for ms, cid, ease, kind in answers
            if world["card_of"][cid] == card and not _exported(ms, ease, ours)
        ]
        expected = _replay(ours + theirs, world["zone"])
        assert [h["grade"] for h in after["history"]] == [int(r.grade) for r in expected]
        assert [h["kind"] for h in after["history"]] == [r.kind.value for r in expected]
        if expected:
            state = after["state"]
            final = expected[-1].after
            assert (state["repetitions"], state["interval"], state["lapses"]) == (
                final.repetitions,
                final.interval,
                final.lapses,
            )
            assert final.due is not None and state["due"] == final.due.isoformat()


def test_a_second_import_changes_nothing(cli: Invoke, world: dict[str, Any], learner: Path) -> None:
    package = str(world["packages"]["apkg"])
    assert cli("import-anki", package).exit_code == 0
    before = digest(learner)
    again = cli("import-anki", package)
    assert again.exit_code == 0
    assert "0 new reviews" in again.output
    assert digest(learner) == before


def test_dry_run_writes_nothing(cli: Invoke, world: dict[str, Any], learner: Path) -> None:
    before = digest(learner)
    result = cli("import-anki", str(world["packages"]["apkg"]), "--dry-run")
    assert result.exit_code == 0
    assert (
        result.output.startswith("Would add ") and "Dry run: nothing was written." in result.output
    )
    assert digest(learner) == before


def test_after_an_import_stats_count_the_anki_reviews(
    cli: Invoke, world: dict[str, Any], learner: Path
) -> None:
    now = _at(real_now() + dt.timedelta(minutes=5))
    reviewed = json.loads(cli("stats", "--json", now=now).output)["today"]["reviewed"]
    added = json.loads(cli("import-anki", str(world["packages"]["apkg"]), "--json").output)
    after = json.loads(cli("stats", "--json", now=now).output)["today"]["reviewed"]
    assert after == reviewed + added["reviews_added"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda src, dst: dst.write_bytes(src.read_bytes()[: len(src.read_bytes()) // 2]),
         "damaged or not an Anki package"),
        (lambda src, dst: dst.write_text("not a package"), "damaged or not an Anki package"),
        (lambda src, dst: None, "no such file"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_nothing_is_written(
    cli: Invoke, world: dict[str, Any], learner: Path, tmp_path: Path, make: Any, message: str
) -> None:
    bad = tmp_path / "bad.apkg"
    make(world["packages"]["apkg"], bad)
    original = digest(world["packages"]["apkg"])
    before = digest(learner)
    result = cli("import-anki", str(bad))
    assert result.exit_code == 2
    assert f"{bad}: {message}" in result.output and "Traceback" not in result.output
    assert digest(learner) == before
    assert digest(world["packages"]["apkg"]) == original


def test_import_into_a_postgresql_store(world: dict[str, Any], pg_url: str) -> None:
    """The same package into a cohort server: every Anki answer (the two srs-crss
    exported included: this store never had them) lands as the SM-2 replay."""
    from typer.testing import CliRunner

    from srs_crss.cli import app

    runner = CliRunner()
    now = _at(real_now() + dt.timedelta(minutes=5))

    def pg(*args: str) -> Any:
        env = {"SRS_CRSS_DB": pg_url, "SRS_CRSS_NOW": now, "SRS_CRSS_LEARNER": "alex"}
        result = runner.invoke(app, list(args), env=env | {"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        return result

    pg("sync", str(world["tmp"] / "many.toml"))
    report = json.loads(pg("import-anki", str(world["packages"]["apkg"]), "--json").stdout)
    answers = [r for r in world["revlog"] if r[2] > 0 and r[3] < 4]
    assert report["reviews_added"] == len(answers) and report["reviews_already_present"] == 0
    for card in sorted(set(world["card_of"].values())):
        shown = json.loads(pg("show", card, "--json").stdout)
        theirs = [
            (ms, GRADE[ease]) for ms, cid, ease, _ in answers if world["card_of"][cid] == card
        ]
        expected = _replay(theirs, world["zone"])
        assert [(_ms(h["reviewed_at"]), h["grade"], h["kind"]) for h in shown["history"]] == [
            (ms, int(r.grade), r.kind.value)
            for (ms, _), r in zip(sorted(theirs), expected, strict=True)
        ]
    again = json.loads(pg("import-anki", str(world["packages"]["apkg"]), "--json").stdout)
    assert again["reviews_added"] == 0 and again["reviews_already_present"] == len(answers)
