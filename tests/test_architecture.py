"""The layering stays true: each package imports only the core and the packages below it.

docs/ARCHITECTURE.md draws the same layers for a reader; this test is what keeps them. It reads
every module's imports (including those under `if TYPE_CHECKING:` and inside functions, which
are imports all the same) with `ast`, so nothing has to be imported to check it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "schemaudit"

# The core every part reads: top-level modules of `schemaudit`.
CORE = frozenset(
    {
        "__init__",
        "model",
        "model_objects",
        "types",
        "type_names",
        "identifiers",
        "errors",
        "snapshot",
        "gcpause",
        "progress",
        "terminal",
        "files",
        "sqltext",
        "pg_words",
    }
)

# package -> the packages it may import besides the core (and itself)
LAYERS: dict[str, frozenset[str]] = {
    "sources": frozenset(),
    "diff": frozenset(),
    "audit": frozenset({"diff"}),
    "impact": frozenset({"diff", "audit"}),
    "plan": frozenset({"diff", "audit"}),
    "report": frozenset({"diff", "audit", "impact", "plan"}),
    "apply": frozenset({"sources", "diff", "audit", "plan"}),
    "api": frozenset({"sources", "diff", "audit", "plan", "report", "apply"}),
    "commands": frozenset({"sources", "diff", "audit", "impact", "plan", "report", "apply"}),
    "cli": frozenset({"sources", "diff", "audit", "impact", "plan", "report", "apply", "commands"}),
}

# Inside `sources`: the shared modules, then each kind above the kinds whose readers it reuses
# (a spec's inline DDL is read by the ddl package; the python source loads its scratch file
# with the live SQLite reader; the alembic replay is read back by the live sources, and builds
# a `--base` from models with the models child's import helpers).
SOURCE_KINDS: dict[str, frozenset[str]] = {
    "live": frozenset(),
    "ddl": frozenset({"live"}),
    "spec": frozenset({"ddl"}),
    "python": frozenset({"ddl", "live"}),
    "models": frozenset({"ddl", "live"}),  # a scratch server prints create_all's objects as a DDL file's
    "alembic": frozenset({"models"}),
}

MAX_LINES = 450


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts), path


def _imports(path: Path) -> set[str]:
    """Every `schemaudit...` module name a file imports, the imported names included (so
    `from schemaudit.sources import load` counts as `schemaudit.sources.load`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "schemaudit":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "schemaudit")
    return found


def _top(module: str) -> str:
    """The layer a module belongs to: its package under schemaudit, or its own name."""
    parts = module.split(".")
    if len(parts) == 1 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
        return "__init__"  # `schemaudit` itself, or a name it defines (`__version__`)
    return parts[1]


def test_core_imports_only_the_core() -> None:
    for module, path in _modules():
        if _top(module) not in CORE:
            continue
        bad = sorted(i for i in _imports(path) if _top(i) not in CORE)
        assert not bad, f"{module} is core but imports {bad}"


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_a_package_imports_only_the_core_and_packages_below_it(package: str) -> None:
    allowed = CORE | LAYERS[package] | {package}
    for module, path in _modules():
        if _top(module) != package:
            continue
        bad = sorted(i for i in _imports(path) if _top(i) not in allowed)
        assert not bad, f"{module} may import only {sorted(allowed)}, but imports {bad}"


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    top_modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert packages | (top_modules - CORE) == set(LAYERS), "add the new package to LAYERS and ARCHITECTURE.md"


def test_source_kinds_reuse_only_the_shared_modules_and_the_kinds_below() -> None:
    for module, path in _modules():
        parts = module.split(".")
        if parts[:2] != ["schemaudit", "sources"] or len(parts) < 4:
            continue
        kind = parts[2]
        allowed = SOURCE_KINDS[kind] | {kind}
        for imported in _imports(path):
            iparts = imported.split(".")
            if iparts[:2] != ["schemaudit", "sources"] or len(iparts) < 3 or iparts[2] not in SOURCE_KINDS:
                continue  # the registry, `LoadOptions` and the shared modules are for every kind
            assert iparts[2] in allowed, f"{module} imports {imported}: the {kind} source may reuse {sorted(allowed)}"


def test_no_import_cycles_between_modules() -> None:
    modules = dict(_modules())
    names = {m.removesuffix(".__init__"): m for m in modules}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        graph[module] = {names[i] for i in _imports(path) if i in names and names[i] != module}
    # depth-first search for a back edge; report the cycle it closes
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.endswith(".__init__"):
                continue  # a package's __init__ re-exports from its modules by design
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_modules_stay_small_enough_to_read_in_one_sitting() -> None:
    long = {m: n for m, p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_each_package_says_what_it_does() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(PACKAGE.parent)} needs a docstring naming its entry point"
