"""Storage: the only package that imports SQLAlchemy (a test enforces it).

    schema.py    the tables (SQLAlchemy Core); migrations/ upgrades older files
    engine.py    where the database is (`Location`), the engine, transactions, errors
    rows.py      rows <-> records, shared joins and filters
    learners.py, decks.py, queue.py, reviews.py, exams.py, stats.py, export.py
                 one class per area, each over the same `Database`
    accounts.py, cohort.py
                 a cohort server: accounts and sessions; the instructor's reads
    rowsecurity.py  PostgreSQL's row security: the policies, and who acts per transaction
    prepared.py  an answer's statements rendered once per dialect, run at the driver level
    store.py     `Store`: the facade composing them

Everything returned is a plain record from srs_crss.model.
"""

from srs_crss.storage import deferred

deferred.install()  # before SQLAlchemy: asyncio and importlib.metadata wait until used

from srs_crss.storage.store import Store  # noqa: E402

__all__ = ["Store"]
