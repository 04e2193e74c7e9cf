"""Hostile Anki packages (issue 24), each built in the test, imported by the real program
in its own process under limits the test sets (address space, file size, CPU time):
bombs stop at the unpacking cap, an endless view is refused, values Anki never writes
are a plain error (exit 2) with nothing written, implausible rows are skipped and
counted, and no temporary file outlives the import."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from srs_crss.anki.scratch import EXPORT_PREFIX
from srs_crss.anki.scratch import IMPORT_PREFIX as TEMP_PREFIX
from tests.anki_packages import apkg, card_id, collection, colpkg, ms, studied
from tests.conftest import NOW, digest, write_basic_deck
from tests.hostile_packages import (
    colpkg_bomb,
    deflate_bomb,
    endless_view,
    odd_zip,
    unknown_reviews,
    untyped_revlog,
)

MEMORY = 200 << 20
"""Address space for the import: about three times what it needs (measured: 60 MB; the
import before issue 24 took 260 MB for the 600,000 rows below)."""
FILE_SIZE = 128 << 20
"""No file the import writes may be larger (the unpacking cap of a small package is 64 MiB)."""
CPU_SECONDS = 120


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run(db: Path, tmp: Path, *args: str, learner: str = "alex") -> subprocess.CompletedProcess[str]:
    """`srs-crss ARGS` in its own process, under the limits, its temporary folder `tmp`."""
    env = {
        **os.environ, "SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": learner,
        "NO_COLOR": "1", "TMPDIR": str(tmp),
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "srs_crss", *args], env=env, capture_output=True, text=True,
        timeout=300, preexec_fn=_limits, check=False,
    )  # fmt: skip


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    """The import's temporary folder: empty after every run."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.fixture
def learner_db(tmp_path: Path, tmp: Path) -> Path:
    """A database with deck "many" (c00-c02) and learner alex."""
    db = tmp_path / "learner.db"
    assert run(db, tmp, "sync", str(write_basic_deck(tmp_path / "many.toml", 3))).returncode == 0
    assert run(db, tmp, "stats").returncode == 0
    return db


def refused(db: Path, tmp: Path, package: Path, words: str) -> None:
    """The import ends with a plain error naming the package (exit 2), and nothing is
    written: no learner, no database file, no temporary file."""
    existed = db.exists()
    before = digest(db) if existed else None
    done = run(db, tmp, "import-anki", str(package), learner="newcomer")
    assert done.returncode == 2, done.stderr
    assert f"Error: {package}: " in done.stderr and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    assert db.exists() == existed
    if existed:
        assert digest(db) == before
    assert list(tmp.iterdir()) == []


def test_a_zstd_bomb_stops_at_the_cap(tmp_path: Path, tmp: Path, learner_db: Path) -> None:
    bomb = colpkg_bomb(tmp_path / "bomb.colpkg", 5 << 30)  # 5 GiB from 160 KB
    refused(learner_db, tmp, bomb, "unpacks to more than 64 MB")


def test_a_zstd_frame_that_is_no_database_stops_at_once(tmp_path: Path, tmp: Path) -> None:
    bomb = colpkg_bomb(tmp_path / "zeros.colpkg", 100 << 30, header=b"")  # 100 GiB of zeros
    refused(tmp_path / "fresh.db", tmp, bomb, "no SQLite collection")


def test_a_deflate_bomb_stops_at_the_cap(tmp_path: Path, tmp: Path) -> None:
    bomb = deflate_bomb(tmp_path / "bomb.apkg", 200 << 20)
    assert bomb.stat().st_size < 1 << 20
    refused(tmp_path / "fresh.db", tmp, bomb, "unpacks to more than 64 MB")


def test_an_endless_view_is_refused(tmp_path: Path, tmp: Path, learner_db: Path) -> None:
    refused(learner_db, tmp, endless_view(tmp_path / "view.apkg", tmp_path), "is a view")


@pytest.mark.parametrize(
    "row",
    [
        (10**18, card_id(0), 3, 1, 1, 2500, 5000, 1),  # an id past year 9999
        (-(10**15), card_id(0), 3, 1, 1, 2500, 5000, 1),
        ("soon", card_id(0), 3, 1, 1, 2500, 5000, 1),
        (None, card_id(0), 3, 1, 1, 2500, 5000, 1),
        (ms(NOW) - 1000, card_id(0), 3, 1, 1, 2500, "ten seconds", 1),
        (ms(NOW) - 1000, card_id(0), None, 1, 1, 2500, 5000, 1),
    ],
    ids=["huge-id", "negative-id", "text-id", "null-id", "text-time", "null-ease"],
)
def test_values_anki_never_writes_are_a_plain_error(
    tmp_path: Path, tmp: Path, learner_db: Path, row: tuple[object, ...]
) -> None:
    package = untyped_revlog(tmp_path / "bad.apkg", tmp_path, row)
    refused(learner_db, tmp, package, "values Anki never writes")
    refused(tmp_path / "fresh.db", tmp, package, "values Anki never writes")


def test_an_encrypted_member_or_an_unknown_method_is_a_plain_error(
    tmp_path: Path, tmp: Path, learner_db: Path
) -> None:
    file = collection(tmp_path / "c.anki2", ["c00"])
    encrypted = odd_zip(tmp_path / "encrypted.apkg", file, zipfile.ZIP_STORED, flags=0x1)
    refused(learner_db, tmp, encrypted, "is encrypted")
    method = odd_zip(tmp_path / "method.apkg", file, 99)
    refused(learner_db, tmp, method, "zip method 99")


def test_implausible_rows_are_skipped_and_counted(
    tmp_path: Path, tmp: Path, learner_db: Path
) -> None:
    """A review dated 2100 would hide the card until 2100, one from 2005 predates Anki,
    a repeated id is one answer logged twice, and two notes with one guid cannot both be
    the card: all left out, and said so."""
    good = studied(["c00", "c01"], 2, "2026-10-01T09:00:00+00:00")
    rows = [
        *good,
        (ms("2100-01-01T00:00:00+00:00"), card_id(0), 3, 1, 1, 2500, 5000, 1),
        (ms("2005-06-01T00:00:00+00:00"), card_id(1), 3, 1, 1, 2500, 5000, 1),
    ]
    schema_free = tmp_path / "dup.anki2"
    collection(schema_free, ["c00", "c01", "c02"], rows)
    con = sqlite3.connect(schema_free)
    # the same guid on a second note (Anki's notes.guid is not unique in the schema)
    con.execute(
        "INSERT INTO notes SELECT id + 100, guid FROM notes WHERE id = ?", (card_id(2) - 1,)
    )
    con.execute("INSERT INTO revlog VALUES (?, ?, -1, 3, 1, 1, 2500, 5000, 1)",
                (ms("2026-10-02T09:00:00+00:00"), card_id(2)))  # fmt: skip
    # a duplicate id: Anki's revlog has id as its primary key, this one does not
    con.execute("ALTER TABLE revlog RENAME TO old")
    con.execute("CREATE TABLE revlog AS SELECT * FROM old")
    con.execute("DROP TABLE old")
    con.execute("INSERT INTO revlog SELECT * FROM revlog WHERE id = ?", (good[0][0],))
    con.commit()
    con.close()
    done = run(learner_db, tmp, "import-anki", str(apkg(tmp_path / "odd.apkg", schema_free)),
               "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    skipped = {r["reason"]: r["count"] for r in report["rows_skipped"]}
    assert skipped == {
        "dated before 2006 or after tomorrow": 2,
        "the same id as another row": 1,
        "from notes that share one id (guid) with another note": 1,
    }
    assert report["reviews_added"] == len(good)
    assert list(tmp.iterdir()) == []
    shown = run(learner_db, tmp, "show", "many/c00", "--json")
    assert json.loads(shown.stdout)["state"]["due"] < "2027-01-01"  # not hidden until 2100


def test_memory_follows_the_matched_cards_not_the_file(
    tmp_path: Path, tmp: Path, learner_db: Path
) -> None:
    """600,000 review rows of the learner's own cards: none is read (within MEMORY)."""
    package = colpkg(tmp_path / "big.colpkg", unknown_reviews(tmp_path, 600_000))
    done = run(learner_db, tmp, "import-anki", str(package), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reviews_added"] == 1
    assert list(tmp.iterdir()) == []


def test_stale_temporary_folders_go_and_live_ones_stay(
    tmp_path: Path, tmp: Path, learner_db: Path
) -> None:
    dead = subprocess.Popen(["true"])  # a process id no process has any more
    dead.wait()
    stale = tmp / f"{TEMP_PREFIX}{dead.pid}-abc"
    stale.mkdir()
    (stale / "collection.sqlite").write_bytes(b"x" * 1000)
    live = tmp / f"{TEMP_PREFIX}{os.getpid()}-def"
    live.mkdir()
    other = tmp / "someone-elses"
    other.mkdir()
    package = apkg(tmp_path / "p.apkg", collection(tmp_path / "c.anki2", ["c00"]))
    assert run(learner_db, tmp, "import-anki", str(package)).returncode == 0
    assert sorted(p.name for p in tmp.iterdir()) == sorted([live.name, other.name])


_TERMINATED_INSIDE = """
import os, signal, sys
from pathlib import Path
from srs_crss.anki.package import open_package
with open_package(Path(sys.argv[1])) as package:
    print(next(Path(os.environ["TMPDIR"]).iterdir()).name, flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()
"""


def test_sigterm_removes_the_temporary_folder(tmp_path: Path, tmp: Path) -> None:
    package = apkg(tmp_path / "p.apkg", collection(tmp_path / "c.anki2", ["c00"]))
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_INSIDE, str(package)], capture_output=True, text=True,
        env={**os.environ, "TMPDIR": str(tmp)}, timeout=120, check=False,
    )  # fmt: skip
    assert done.stdout.startswith(TEMP_PREFIX)  # it was there while the import ran
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert list(tmp.iterdir()) == []


_EXPORT_TERMINATED_INSIDE = """
import os, signal, sys
from pathlib import Path
from srs_crss.service import App
from srs_crss.settings.run import Settings

def terminate(_done):
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()

with App(Settings(database=sys.argv[1], learner="alex"), notify=lambda m: None) as app:
    app.export_anki([], Path(sys.argv[2]), True, progress=terminate)
"""


def test_exports_leave_no_scratch_file_when_terminated_or_killed(
    tmp_path: Path, tmp: Path, learner_db: Path
) -> None:
    """SIGTERM mid-export removes the half-written package and the scratch collection;
    those of an export that was killed outright (SIGKILL) go with the next export."""
    out = tmp_path / "out" / "deck.apkg"
    out.parent.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT_TERMINATED_INSIDE, str(learner_db), str(out)],
        capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)}, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert list(out.parent.iterdir()) == [] and list(tmp.iterdir()) == []
    dead = subprocess.Popen(["true"])
    dead.wait()
    (out.parent / f".deck.apkg.{dead.pid}-x1.tmp").write_bytes(b"half")
    (tmp / f"{EXPORT_PREFIX}{dead.pid}-x2.anki2").write_bytes(b"scratch")
    assert run(learner_db, tmp, "export-anki", "--out", str(out)).returncode == 0
    assert [p.name for p in out.parent.iterdir()] == ["deck.apkg"] and list(tmp.iterdir()) == []


_INTERRUPTED_QUERY = """
import os, signal, sys, threading
from pathlib import Path
from srs_crss.anki.package import open_package
with open_package(Path(sys.argv[1])) as package:
    package._guard.left = 10**15  # no budget: only Ctrl-C can stop this query
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    try:
        list(package._query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                            " SELECT count(*) FROM n"))
    except KeyboardInterrupt:
        print("stopped")
"""


def test_ctrl_c_stops_a_query_on_the_package_at_once(tmp_path: Path, tmp: Path) -> None:
    """Python runs Ctrl-C's handler only between its own steps; the progress handler gives
    it those inside SQLite, and the interrupt is raised again once SQLite has stopped."""
    package = apkg(tmp_path / "p.apkg", collection(tmp_path / "c.anki2", ["c00"]))
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_QUERY, str(package)], capture_output=True, text=True,
        env={**os.environ, "TMPDIR": str(tmp)}, timeout=120, check=False,
    )  # fmt: skip
    assert done.stdout == "stopped\n", done.stderr
    assert list(tmp.iterdir()) == []
