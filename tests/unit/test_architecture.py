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
    # 0: the core: plain records and pure rules, and the capabilities' pure parts
    "srs_crss": 0,
    "srs_crss.errors": 0,
    "srs_crss.sm2": 0,
    "srs_crss.clock": 0,
    "srs_crss.model": 0,
    "srs_crss.names": 0,
    "srs_crss.untrusted": 0,
    "srs_crss.settings.run": 0,
    "srs_crss.decks": 0,
    "srs_crss.exams.planning": 0,
    "srs_crss.exams.mock": 0,
    "srs_crss.exams.tasks": 0,
    "srs_crss.exams.profiles": 0,
    "srs_crss.study.policy": 0,
    "srs_crss.study.newcards": 0,
    "srs_crss.study.stats": 0,
    "srs_crss.anki.mapping": 0,
    "srs_crss.anki.merge": 0,
    "srs_crss.cohort": 0,
    "srs_crss.forecast": 0,
    # 1: storage and Anki's formats, each on its own
    "srs_crss.storage": 1,
    "srs_crss.anki": 1,
    # 2: the capabilities that work over the store (handed to them as an object)
    "srs_crss.study": 2,
    "srs_crss.exams": 2,
    # 3: the service: one API for both front ends
    "srs_crss.service": 3,
    # 4: the front ends
    "srs_crss.cli": 4,
    "srs_crss.web": 4,
    "srs_crss.__main__": 5,
}
"""A module may import modules of its own layer or below, never above."""

PURE = {
    "srs_crss.sm2",
    "srs_crss.model",
    "srs_crss.names",
    "srs_crss.untrusted.text",
    "srs_crss.decks.spec",
    "srs_crss.decks.sync",
    "srs_crss.decks.quality",
    "srs_crss.decks.testwise",
    "srs_crss.exams.planning",
    "srs_crss.exams.mock",
    "srs_crss.exams.tasks",
    "srs_crss.study.policy",
    "srs_crss.study.newcards",
    "srs_crss.study.stats",
    "srs_crss.anki.mapping",
    "srs_crss.anki.merge",
    "srs_crss.cohort.accounts",
    "srs_crss.cohort.classview",
    "srs_crss.cohort.items",
    "srs_crss.forecast.readiness",
    "srs_crss.forecast.calibration",
    "srs_crss.forecast.plan",
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
    "fsrs_rs_python": ("srs_crss.forecast.memory",),
    "typer": ("srs_crss.cli",),
    "click": ("srs_crss.cli",),
    "starlette": ("srs_crss.web",),
    "jinja2": ("srs_crss.web",),
    "uvicorn": ("srs_crss.web.server",),
    "segno": ("srs_crss.web.qr",),
    "argon2": ("srs_crss.service.accounts",),
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
    assert {"srs_crss.storage.engine", "srs_crss.cli.typerapp", "srs_crss.sm2"} <= set(MODULES)
    assert "sqlalchemy" in set(_imports("srs_crss.storage.engine"))
    assert "srs_crss.storage" not in set(_imports("srs_crss.study.session"))  # TYPE_CHECKING only


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
    "srs_crss.settings.run",
    "srs_crss.settings.keys",
    "srs_crss.exams.profiles",
    "srs_crss.untrusted.text",
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


CAPABILITIES = ("srs_crss.study", "srs_crss.exams", "srs_crss.decks", "srs_crss.anki",
                "srs_crss.settings.run", "srs_crss.forecast")  # fmt: skip
FRONT_ENDS = ("srs_crss.cli", "srs_crss.web")


def _all_imports(name: str) -> set[str]:
    """Every srs_crss module `name` imports, type-checking imports included."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {i for i in found if i in MODULES}


def test_no_circle_even_for_type_checkers() -> None:
    # a helper that takes the whole App and imports it "for types only" is a
    # circle all the same: the service's helpers take a Context instead
    graph = {m: {i for i in _all_imports(m) if not m.startswith(i + ".")} for m in MODULES}
    cycles = []
    for module, imported in graph.items():
        for other in imported:
            if module in graph.get(other, set()) and module < other:
                cycles.append(f"{module} <-> {other}")
    assert cycles == []
    assert not any(
        "srs_crss.service.app" in _all_imports(m)
        for m in MODULES
        if m.startswith("srs_crss.service.") and m != "srs_crss.service.app"
    )


def test_storage_is_opened_only_by_the_service() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in MODULES
        for imported in _imports(module)
        if imported.startswith("srs_crss.storage")
        and not module.startswith(("srs_crss.storage", "srs_crss.service"))
    ]
    assert offenders == []


def test_no_capability_imports_a_front_end_or_the_service() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module in MODULES
        if module.startswith(CAPABILITIES)
        for imported in _all_imports(module)
        if imported.startswith((*FRONT_ENDS, "srs_crss.service"))
    ]
    assert offenders == []


def test_few_modules_are_left_loose() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 8, loose
