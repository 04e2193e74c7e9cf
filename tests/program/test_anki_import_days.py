"""`import-anki` after studying in Anki over several days.

Anki's scheduler reads the real clock, so each day of study in Anki runs as its
own process under `faketime` (Debian's package; .ci/run installs it). srs-crss
studies on some of the same days, between Anki's, with SRS_CRSS_NOW. Then every
card's merged history must be the SM-2 replay of both sides, in time order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke, digest, write_basic_deck
from tests.program.test_anki_import import GRADE, _exported, _ms, _replay
from tests.robustness import check_database

pytest.importorskip("anki.collection")

D0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
FAKETIME_ENV = "SRS_CRSS_TEST_FAKETIME"


def _faketime() -> str:
    found = shutil.which("faketime")
    if found is None:
        if os.environ.get(FAKETIME_ENV):
            pytest.fail("faketime is not installed, yet the test run expects it")
        pytest.skip("faketime is not installed (.ci/run installs Debian's faketime)")
    return found


def anki(faketime: str, when: dt.datetime, collection: Path, *args: str) -> str:
    """One process of Anki study (tests/program/anki_study.py) at the fake time `when`."""
    done = subprocess.run(
        [faketime, when.strftime("%Y-%m-%d %H:%M:%S"), sys.executable, "-m",
         "tests.program.anki_study", str(collection), *args],
        cwd=Path(__file__).parents[2], env={**os.environ, "TZ": "UTC"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_studying_in_anki_over_several_days_comes_back_as_sm2(
    cli: Invoke, tmp_path: Path, db: Path
) -> None:
    faketime = _faketime()

    def at(days: float, hour: int = 10) -> dt.datetime:
        return D0 + dt.timedelta(days=days, hours=hour - 10)

    def srs(when: dt.datetime, *args: str, input: str | None = None) -> str:
        result = cli(*args, now=when.isoformat(), input=input)
        assert result.exit_code == 0, result.output
        return result.stdout

    srs(at(0), "sync", str(write_basic_deck(tmp_path / "many.toml", 6)))
    srs(at(0), "review", "--deck", "many", "--new", "3", input="\n4\n\n4\n\n1\n\n4\nq\n")
    package = tmp_path / "out.apkg"
    srs(at(0, 11), "export-anki", "--deck", "many", "--out", str(package))

    collection = tmp_path / "anki" / "collection.anki2"
    collection.parent.mkdir()
    anki(faketime, at(0, 12), collection, "import", str(package))
    studied = [int(anki(faketime, at(0, 12), collection, "study", "Deck many", "1", "40"))]
    studied.append(int(anki(faketime, at(1, 12), collection, "study", "Deck many", "2", "40")))
    # meanwhile in srs-crss: the cards due there, the day after Anki's answers to them
    srs(at(2, 9), "review", "--deck", "many", input="\n4\n" * 6 + "q\n")
    studied.append(int(anki(faketime, at(4, 12), collection, "study", "Deck many", "3", "40")))
    studied.append(int(anki(faketime, at(8, 12), collection, "study", "Deck many", "4", "40")))
    assert all(studied) and sum(studied) >= 12, studied
    back = tmp_path / "back.apkg"
    anki(faketime, at(8, 13), collection, "export", str(back))

    before = {
        f"many/c{i:02d}": json.loads(srs(at(9), "show", f"many/c{i:02d}", "--json"))["history"]
        for i in range(6)
    }
    report = json.loads(srs(at(9), "import-anki", str(back), "--json"))
    assert report["reviews_added"] == sum(studied)  # every answer given in Anki, once
    assert report["answers_recorded_again"] >= 1

    revlog = _revlog(collection, faketime, at(9))
    assert check_database(db) == sum(len(h) for h in before.values()) + report["reviews_added"]
    for card, history in before.items():
        ours = [(_ms(h["reviewed_at"]), h["grade"]) for h in history]
        theirs = [
            (ms, GRADE[ease])
            for ms, c, ease, _ in revlog
            if c == card and not _exported(ms, ease, ours)
        ]
        expected = _replay(ours + theirs, dt.UTC)
        after = json.loads(srs(at(9), "show", card, "--json"))
        print(
            card,
            ours,
            theirs,
            [(_ms(h["reviewed_at"]), h["grade"], h["kind"]) for h in after["history"]],
        )
        assert [(_ms(h["reviewed_at"]), h["grade"], h["kind"]) for h in after["history"]] == [
            (ms, int(r.grade), r.kind.value)
            for (ms, _), r in zip(sorted(ours + theirs), expected, strict=True)
        ], card
        final = expected[-1].after if expected else None
        if final is not None:
            state = after["state"]
            assert (state["repetitions"], state["interval"], state["lapses"]) == (
                final.repetitions, final.interval, final.lapses,
            )  # fmt: skip
            assert final.due is not None and state["due"] == final.due.isoformat()
    assert (
        len({h["day"] for h in json.loads(srs(at(9), "show", "many/c03", "--json"))["history"]})
        >= 2
    )

    unchanged = digest(db)
    again = json.loads(srs(at(9), "import-anki", str(back), "--json"))
    assert again["reviews_added"] == 0 and digest(db) == unchanged


def _revlog(collection: Path, faketime: str, when: dt.datetime) -> list[tuple[int, str, int, int]]:
    """Anki's answers (not its manual rows), with each card's srs-crss id."""
    script = (  # noqa: E501 - a script for a subprocess
        "import json, sys\n"
        "from anki.collection import Collection\n"
        "c = Collection(sys.argv[1])\n"
        "rows = c.db.all('select id, cid, ease, type from revlog where ease > 0 and type < 4')\n"
        "ids = [c.get_card(cid).note()['CardId'] for _, cid, _, _ in rows]\n"
        "print(json.dumps([[r[0], i, r[2], r[3]] for r, i in zip(rows, ids)]))\n"
        "c.close()\n"
    )
    done = subprocess.run(
        [faketime, when.strftime("%Y-%m-%d %H:%M:%S"), sys.executable, "-c", script,
         str(collection)],
        env={**os.environ, "TZ": "UTC"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [(int(i), str(c), int(e), int(k)) for i, c, e, k in json.loads(done.stdout)]
