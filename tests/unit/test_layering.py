"""The app's layering, read from the source: no import cycle, core depends on no domain, routers never
commit (services own the transaction).

Every ``import`` counts — at module level, under ``if TYPE_CHECKING:`` and inside functions — because a
cycle hidden in a function or a type hint is still a cycle the next change trips over.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

#: modules that are a package's HTTP edge: they may use any domain's services (they sit above all of
#: them), so in the package graph they are a node of their own, not part of their package
WEB_MODULES = {"router", "ws"}

#: package cycles that exist today in code other work owns, each with the reason; a fixed one must be
#: removed from here (test_known_cycles_still_exist fails until it is)
KNOWN_PACKAGE_CYCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in APP.rglob("*.py")}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module (or package) ``name`` lives in: ``app.x.y.func`` -> ``app.x.y``."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module or ""
            # ``from app.x import y``: y may be a module of app.x or a name defined in it
            names = [f"{base_name}.{a.name}" for a in node.names] or [base_name]
        for name in names:
            if name != "app" and not name.startswith("app."):
                continue
            target = _resolve(name, modules)
            if target and target != module:
                yield Import(module, target, node.lineno)


def _graph() -> tuple[dict[str, set[str]], list[Import]]:
    modules = _modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    found: list[Import] = []
    for module, path in modules.items():
        for imp in _imports(module, path, modules):
            # a package's __init__ importing its own submodules is not a dependency between layers
            if imp.target.startswith(module + "."):
                continue
            edges[module].add(imp.target)
            found.append(imp)
    return edges, found


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.add(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(component)
    return out


def _package_node(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[-1] in WEB_MODULES:
        return module
    return ".".join(parts[:2])


def _package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            a, b = _package_node(source), _package_node(target)
            if a != b:
                graph.setdefault(a, set()).add(b)
    return graph


def _describe(component: set[str], imports: list[Import], *, packages: bool = False) -> str:
    """The imports that make up a cycle, to name the lines to change."""

    def node(module: str) -> str:
        return _package_node(module) if packages else module

    lines = sorted(
        f"  {i.source} -> {i.target} (line {i.line})"
        for i in imports
        if node(i.source) in component and node(i.target) in component and node(i.source) != node(i.target)
    )
    return "\n".join(lines)


def test_no_import_cycle_between_modules() -> None:
    edges, imports = _graph()
    cycles = _cycles(edges)
    assert not cycles, "import cycles between modules of app/:\n" + "\n".join(
        f"{sorted(c)}:\n{_describe(c, imports)}" for c in cycles
    )


def test_no_import_cycle_between_packages() -> None:
    edges, imports = _graph()
    cycles = [c for c in _cycles(_package_graph(edges)) if frozenset(c) not in KNOWN_PACKAGE_CYCLES]
    assert not cycles, "import cycles between packages of app/ (routers counted apart):\n" + "\n".join(
        f"{sorted(c)}:\n{_describe(c, imports, packages=True)}" for c in cycles
    )


def test_known_cycles_still_exist() -> None:
    edges, _ = _graph()
    current = {frozenset(c) for c in _cycles(_package_graph(edges))}
    stale = [sorted(c) for c in KNOWN_PACKAGE_CYCLES if c not in current]
    assert not stale, f"fixed: remove from KNOWN_PACKAGE_CYCLES: {stale}"


def test_core_depends_on_no_domain() -> None:
    _, imports = _graph()
    bad = [
        f"{i.source} -> {i.target} (line {i.line})"
        for i in imports
        if i.source.startswith("app.core") and not (i.target == "app" or i.target.startswith("app.core"))
    ]
    assert not bad, "app/core must not import a domain package:\n" + "\n".join(bad)


def _commits(source: str, label: str) -> list[str]:
    """Every ``x.commit()`` / ``x.rollback()`` call in ``source``."""
    return [
        f"{label}:{node.lineno}: .{node.func.attr}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    ]


def test_routers_never_commit() -> None:
    routers = sorted(p for p in APP.rglob("*.py") if p.stem in WEB_MODULES)
    assert len(routers) >= 8, routers  # the check reads the real routers
    found = [
        hit for p in routers for hit in _commits(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))
    ]
    assert not found, "routers must leave the transaction to services:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------------------
# the checks catch what they are for (a check that cannot fail proves nothing)
# ------------------------------------------------------------------------------------------------
def test_cycle_finder_reports_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [{"a", "b", "c"}]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_package_graph_keeps_routers_apart() -> None:
    edges = {
        "app.emotions.router": {"app.chat.service"},
        "app.chat.service": {"app.emotions.models"},
        "app.emotions.service": {"app.chat.service"},
    }
    graph = _package_graph(edges)
    assert graph["app.emotions.router"] == {"app.chat"}
    assert {"app.chat", "app.emotions"} in _cycles(graph)


@pytest.mark.parametrize(
    ("source", "hits"),
    [
        ("async def f(db):\n    await db.commit()\n", 1),
        ("async def f(request):\n    await request.state.db.rollback()\n", 1),
        ("async def f(db):\n    await service.save(db)\n", 0),
    ],
)
def test_commit_finder(source: str, hits: int) -> None:
    assert len(_commits(source, "router.py")) == hits
