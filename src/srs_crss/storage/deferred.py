"""Keep asyncio and importlib.metadata off the start-up path of a synchronous program.

SQLAlchemy imports both unconditionally (`sqlalchemy.util.compat`,
`util.concurrency`, `util.queue`, the aiosqlite dialect), although a synchronous
engine on SQLite or psycopg never calls them: together they pull in about 70
modules (ssl, socket, email, zipfile, concurrent.futures) and cost some 40 ms of
every command's start. `install()` puts a stand-in for each in `sys.modules`
before SQLAlchemy is imported; the first time anything reads an attribute the
stand-in does not have, the real module is imported, takes the stand-in's place
in `sys.modules` (and on its parent package), and the stand-in forwards to it
from then on. So code that does use them (Alembic's entry points, uvicorn's
event loop) gets the real module, one attribute access late.

The one attribute SQLAlchemy reads at import time, `asyncio.iscoroutine`, is
answered without importing asyncio: until asyncio is loaded no coroutine of
its making can exist, and a plain coroutine is recognised by `inspect`.

tests/program/test_imports.py checks that a review session leaves both
unloaded, and tests/storage/test_deferred.py that they load, in full, on use.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any

DEFERRED = ("asyncio", "importlib.metadata")


class _StandIn(types.ModuleType):
    """A module that becomes the real one on first use."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_load(self.__name__), attribute)


def _iscoroutine(obj: object) -> bool:
    real = sys.modules.get("asyncio")
    if real is not None and not isinstance(real, _StandIn):
        return bool(real.iscoroutine(obj))
    return inspect.iscoroutine(obj)


def _load(name: str) -> types.ModuleType:
    found = sys.modules.get(name)
    if not isinstance(found, _StandIn):
        return importlib.import_module(name)
    stand_in = found
    del sys.modules[name]
    parent, _, child = name.rpartition(".")
    if parent and getattr(sys.modules.get(parent), child, None) is stand_in:
        delattr(sys.modules[parent], child)
    try:
        real = importlib.import_module(name)
    except BaseException:
        sys.modules[name] = stand_in  # (an interrupted import: try again next time)
        raise
    if parent:
        setattr(sys.modules[parent], child, real)
    # the stand-in forwards everything from now on: modules holding it see the real thing
    stand_in.__dict__.update({k: v for k, v in vars(real).items() if k != "__class__"})
    return real


def install() -> None:
    """Put the stand-ins in place, unless the real modules are already loaded."""
    for name in DEFERRED:
        if name in sys.modules:
            continue
        stand_in = _StandIn(name)
        if name == "asyncio":
            stand_in.iscoroutine = _iscoroutine  # type: ignore[attr-defined]
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, stand_in)


def loaded(name: str) -> bool:
    """Whether the real module `name` has been imported."""
    module = sys.modules.get(name)
    return module is not None and not isinstance(module, _StandIn)
