"""The layout's rules, checked on the source (docs/architecture.md explains them).

Each rule is read from the import statements of every module under
src/srs_crss (imports under `if TYPE_CHECKING:` are for type checkers only
and are left out), so a new module is held to the rules without being listed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "srs_crss"

LAYERS: dict[str, int] = {
    # 0: the core: plain records and pure rules
    "srs_crss": 0,
    "srs_crss.__main__": 5,
    "srs_crss.errors": 0,
    "srs_crss.sm2": 0,
    "srs_crss.clock": 0,
    "srs_crss.model": 0,
    "srs_crss.deckfile": 0,
    "srs_crss.deckspec": 0,
    "srs_crss.policy": 0,
    "srs_crss.sync": 0,
    "srs_crss.quality": 0,
    "srs_crss.exam": 0,
    "srs_crss.stats": 0,
    "srs_crss.mockexam": 0,
    "srs_crss.profiles": 0,
    "srs_crss.anki.mapping": 0,
    "srs_crss.merge": 0,
    # 1: storage and Anki's formats, each on its own
    "srs_crss.storage": 1,
    "srs_crss.anki": 1,
    # 2: the review session (a queue over the store)
    "srs_crss.session": 2,
    "srs_crss.duepages": 2,
    "srs_crss.newlimit": 2,
    "srs_crss.mockrun": 2,
    # 3: one App per command run
    "srs_crss.service": 3,
    "srs_crss.preferences": 3,
    "srs_crss.marks": 3,
    "srs_crss.practice": 3,
    "srs_crss.examdates": 3,
    "srs_crss.ankiimport": 3,
    "srs_crss.settings": 0,
    # 4: the front ends: the command line (its output shapes and the review screen),
    # and the web app beside it (templates and static files)
    "srs_crss.cli": 4,
    "srs_crss.web": 4,
}
"""A module may import modules of its own layer or below, never above."""

PURE = {
    "srs_crss.sm2",
    "srs_crss.exam",
    "srs_crss.sync",
    "srs_crss.quality",
    "srs_crss.stats",
    "srs_crss.mockexam",
    "srs_crss.model",
    "srs_crss.deckspec",
    "srs_crss.policy",
    "srs_crss.anki.mapping",
    "srs_crss.merge",
}
NO_IO = {
    "os", "io", "sqlite3", "subprocess", "shutil", "tempfile", "socket", "select", "termios",
    "sqlalchemy", "alembic", "genanki", "rich", "typer", "click", "dateutil",
}  # fmt: skip
"""What the pure core must not import: files, databases, terminals, clocks."""

OWNERS = {
    "sqlalchemy": ("srs_crss.storage",),
    "alembic": ("srs_crss.storage",),
    "genanki": ("srs_crss.anki.notetypes", "srs_crss.anki.export"),
    "rich": (
        "srs_crss.cli.render.views",
        "srs_crss.cli.render.screen",
        "srs_crss.cli.render.examscreen",
        "srs_crss.cli.terminal",
        "srs_crss.cli.mockui",
    ),
    "typer": ("srs_crss.cli",),
    "click": ("srs_crss.cli",),
    "starlette": ("srs_crss.web",),
    "jinja2": ("srs_crss.web",),
    "uvicorn": ("srs_crss.web.server",),
    "segno": ("srs_crss.web.qr",),
}
"""Third-party packages and the only modules (or packages) that may import them."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> Iterator[str]:
    """Every module `name` imports at run time (TYPE_CHECKING blocks skipped)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from (i for stmt in child.orelse for i in visit_one(stmt))
                continue
            yield from visit_one(child)

    def visit_one(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            yield base
            for alias in node.names:  # `from srs_crss.cli import ui` imports a module
                if f"{base}.{alias.name}" in MODULES:
                    yield f"{base}.{alias.name}"
        else:
            yield from visit(node)

    yield from visit(tree)


def _layer(module: str) -> int:
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)
    return LAYERS[best]


def _owns(module: str, owners: tuple[str, ...]) -> bool:
    return any(module == o or module.startswith(o + ".") for o in owners)


def test_the_rules_see_every_module() -> None:
    # the check itself can fail: these must be found, or the rules read nothing
    assert {"srs_crss.storage.engine", "srs_crss.cli.app", "srs_crss.sm2"} <= set(MODULES)
    assert "sqlalchemy" in set(_imports("srs_crss.storage.engine"))
    assert "srs_crss.storage" not in set(_imports("srs_crss.session"))  # TYPE_CHECKING only


@pytest.mark.parametrize("package", sorted(OWNERS))
def test_third_party_packages_stay_in_their_place(package: str) -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in MODULES
        for imported in _imports(module)
        if imported.split(".")[0] == package and not _owns(module, OWNERS[package])
    ]
    assert offenders == []


def test_no_import_runs_back_up_a_layer() -> None:
    offenders = [
        f"{module} (layer {_layer(module)}) imports {imported} (layer {_layer(imported)})"
        for module in MODULES
        for imported in _imports(module)
        if imported.startswith("srs_crss") and _layer(imported) > _layer(module)
    ]
    assert offenders == []


def test_storage_and_anki_do_not_know_each_other() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in MODULES
        for imported in _imports(module)
        if (module.startswith("srs_crss.storage") and imported.startswith("srs_crss.anki"))
        or (module.startswith("srs_crss.anki") and imported.startswith("srs_crss.storage"))
    ]
    assert offenders == []


def test_the_pure_core_does_no_io() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in sorted(PURE)
        for imported in _imports(module)
        if imported.split(".")[0] in NO_IO
        or (imported.startswith("srs_crss") and imported not in PURE)
        and imported not in ("srs_crss", "srs_crss.errors")
    ]
    assert offenders == []


WEB_MAY_IMPORT = (
    "srs_crss.service",
    "srs_crss.model",
    "srs_crss.errors",
    "srs_crss.settings",
    "srs_crss.config",
    "srs_crss.profiles",
)
"""The web front end reaches the library through the service API and its records only
(plus sm2's grade meanings, config's setting meanings and the exam profiles), so
modules below can move without touching it."""


def test_the_web_front_end_uses_only_the_service_api() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in MODULES
        if module.startswith("srs_crss.web")
        for imported in _imports(module)
        if imported.startswith("srs_crss")
        and not imported.startswith("srs_crss.web")
        and imported not in (*WEB_MAY_IMPORT, "srs_crss.sm2")
    ]
    assert offenders == []
    cli_to_web = [
        f"{module} imports {imported}"
        for module in MODULES
        if module.startswith("srs_crss.cli")
        for imported in _imports(module)
        if imported.startswith("srs_crss.web")
        and imported not in ("srs_crss.web", "srs_crss.web.server")
    ]
    assert cli_to_web == []


def test_no_import_cycles() -> None:
    graph = {
        module: {i for i in _imports(module) if i in MODULES and i != module} for module in MODULES
    }
    # packages import their own modules (__init__ re-exports): not a cycle of concerns
    for module, imported in graph.items():
        graph[module] = {i for i in imported if not module.startswith(i + ".")}
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


def test_no_source_module_is_too_big() -> None:
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    total = sum(sizes.values())
    assert {m: n for m, n in sizes.items() if n > 420} == {}
    assert max(sizes.values()) < 0.15 * total
