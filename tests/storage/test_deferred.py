"""storage/deferred.py: asyncio and importlib.metadata stay unloaded through SQLAlchemy's
import and a synchronous engine's work, and become the real modules on first use.

Each case runs in a fresh interpreter: the stand-ins only matter before the real
modules are imported, which pytest itself has long done.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

_PRELUDE = """
import sys
from srs_crss.storage import deferred
deferred.install()
import sqlalchemy, sqlalchemy.dialects.sqlite
engine = sqlalchemy.create_engine("sqlite://")
with engine.connect() as conn:
    assert conn.execute(sqlalchemy.text("select 1")).scalar() == 1
assert not deferred.loaded("asyncio") and not deferred.loaded("importlib.metadata")
assert "asyncio.base_events" not in sys.modules and "ssl" not in sys.modules
"""


def _run(body: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(body)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_synchronous_engine_never_loads_them() -> None:
    assert _run("print('ok')") == "ok\n"


def test_asyncio_becomes_the_real_module_on_first_use() -> None:
    out = _run(
        """
        import asyncio
        async def seven():
            await asyncio.sleep(0)
            return 7
        print(asyncio.run(seven()))
        assert deferred.loaded("asyncio") and sys.modules["asyncio"].Queue is asyncio.Queue
        import asyncio.events  # a submodule, through the parent it replaced
        from sqlalchemy.util import concurrency
        coro = seven()
        print(concurrency.iscoroutine(coro), asyncio.iscoroutine(coro))
        coro.close()
        """
    )
    assert out == "7\nTrue True\n"


def test_iscoroutine_answers_before_asyncio_loads() -> None:
    out = _run(
        """
        from sqlalchemy.util import concurrency
        async def nothing():
            pass
        coro = nothing()
        print(concurrency.iscoroutine(coro), concurrency.iscoroutine(object()))
        coro.close()
        assert not deferred.loaded("asyncio")
        """
    )
    assert out == "True False\n"


def test_importlib_metadata_becomes_the_real_module_on_first_use() -> None:
    out = _run(
        """
        import importlib.metadata
        version = importlib.metadata.version("sqlalchemy")
        from importlib.metadata import version as version_of
        assert version_of("sqlalchemy") == version == sqlalchemy.__version__
        assert deferred.loaded("importlib.metadata")
        assert sys.modules["importlib"].metadata is sys.modules["importlib.metadata"]
        print("ok")
        """
    )
    assert out == "ok\n"
