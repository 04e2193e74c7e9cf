"""Import benchmark (issue 15): a collection package with 10,000 matched notes and
100,000 reviews done in Anki.

The learner's database holds 10,000 cards with 100,000 reviews; it is
exported with its history, imported into a fresh Anki collection with Anki's
own library, and 100,000 further Anki reviews (ten per card, over the two
months after the export) are added to that collection's review log. Anki
then exports the whole collection (.colpkg, its current zstd format).
`import-anki` of that package (100,000 rows it already has, 100,000 new ones)
is timed against `export-anki` of the same notes and history, both as whole
processes in the same run. Target: at most 2x.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics

from benchmarks.common import WORK, Figure, srs, time_command
from benchmarks.gen import build_database

NOW = "2026-11-22T10:00:00+00:00"
LATER = "2027-02-01T10:00:00+00:00"
ANKI_REVIEWS = 100_000
RUNS = 3


def anki_package(db_export: str, out: str, seed: int = 5) -> None:
    """Anki's own export of a collection that imported `db_export` and was studied after."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder = WORK / "import-anki"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=db_export,
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
        )
        db = col.db
        assert db is not None
        cids = db.list("select id from cards order by id")
        rng = random.Random(seed)
        start = int(dt.datetime.fromisoformat(NOW).timestamp() * 1000) + 86_400_000
        rows = []
        for n in range(ANKI_REVIEWS):
            cid = cids[n % len(cids)]
            ms = start + (n // len(cids)) * 6 * 86_400_000 + n  # every 6 days, ms apart
            ease = rng.choices((1, 2, 3, 4), (10, 15, 60, 15))[0]
            rows.append((ms, cid, -1, ease, 6, 1, 2500, rng.randint(2_000, 20_000), 1))
        db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        col.close()
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.export_collection_package(out, include_media=False, legacy=False)
    finally:
        col.close()


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 10,000-card / 100,000-review database ...", flush=True)
    db = build_database(WORK / "export.db", cards=10_000, decks=1, reviews=100_000)
    env = {"SRS_CRSS_DB": str(db), "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    exported = WORK / "ours.apkg"
    time_command(srs("export-anki", "--out", str(exported)), env)
    print("  studying 100,000 reviews in Anki (by SQL) and exporting the collection ...")
    package = WORK / "anki.colpkg"
    anki_package(str(exported), str(package))
    scratch = WORK / "import-scratch.db"
    exports, imports = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        exports.append(time_command(srs("export-anki", "--out", str(exported)), env))
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"import-scratch.db{suffix}").unlink(missing_ok=True)
        shutil.copyfile(db, scratch)
        scratch_env = {**os.environ, **env, "SRS_CRSS_DB": str(scratch), "SRS_CRSS_NOW": LATER}
        imports.append(time_command(srs("import-anki", str(package)), scratch_env))
    imported, export = statistics.median(imports), statistics.median(exports)
    return [
        Figure(
            "import-anki 10,000 notes + 100,000 Anki reviews vs export-anki of the same",
            imported / export,
            "x",
            2.0,
            f"{imported:.2f} s vs {export:.2f} s",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
