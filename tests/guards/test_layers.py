"""Dependencies point inwards, as the table of allowed arrows says (docs/architecture.md).

Every import of one ``safehub`` package by another is an arrow. An arrow that is not in
``ALLOWED`` fails this test: adding one is a decision, taken by editing the table (and the
picture in ``docs/architecture.md``), never by accident. No two modules import each other,
directly or round a circle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "psycopg", "jinja2", "uvicorn", "typer")
PURE_PACKAGES = (
    "access",
    "events",
    "extracts",
    "timescales",
    "language",
    "linkage",
    "network",
    "synthetic",
    "logs",
    "oversight",
)

# package -> the packages it may import. Inner packages first.
ALLOWED: dict[str, set[str]] = {
    # Pure: rules and engines that know nothing of the web or the database.
    "bulk": set(),
    "config": set(),
    # How every process writes its logs (JSON or text, with the request id): stdlib only.
    "logs": set(),
    "events": set(),
    "access": set(),
    "timescales": set(),
    "language": set(),
    "extracts": {"bulk"},
    "linkage": {"bulk", "extracts"},
    "network": {"bulk", "extracts", "linkage"},
    "synthetic": {"extracts"},
    # Disclosure control and the statistics of disparity monitoring: plain numbers in and out.
    "oversight": set(),
    # The record: models, queries, the unit of work, the audit chain.
    "audit": set(),
    "db": {"access", "audit", "config", "events", "timescales"},
    # Use cases: one function each, audited.
    "services": {
        "access",
        "bulk",
        "config",
        "db",
        "events",
        "extracts",
        "language",
        "linkage",
        "network",
        "oversight",
        "timescales",
    },
    # Entry points.
    "jobs": {"access", "db", "services"},
    # The code lists' plain words are what every page's ``words`` filter says.
    "http": {"access", "db", "extracts", "logs", "services"},
    "api": {"access", "extracts", "http", "services", "timescales"},
    "web": {"access", "api", "extracts", "http", "services", "timescales"},
    "public": {"access", "extracts", "http", "services"},
    "cli": {
        "access",
        "audit",
        "bulk",
        "config",
        "db",
        "extracts",
        "jobs",
        "language",
        "linkage",
        "logs",
        "network",
        "services",
        "synthetic",
        "timescales",
        "web",
        "public",
    },
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "safehub").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imported(path: Path, modules: dict[str, Path]) -> set[str]:
    """The safehub modules ``path`` imports (``from pkg import submodule`` names the submodule)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("safehub"):
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
            names |= subs
            if len(subs) < len(node.names):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("safehub")}
    return names & modules.keys()


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _arrows() -> dict[tuple[str, str], list[str]]:
    modules = _modules()
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, path in modules.items():
        for target in _imported(path, modules):
            source, dest = _package(name), _package(target)
            if source != dest:
                arrows[(source, dest)].append(name)
    return arrows


def test_every_package_is_in_the_table() -> None:
    packages = {_package(m) for m in _modules()} - {"safehub"}
    assert sorted(packages - ALLOWED.keys()) == []


def test_every_arrow_between_packages_is_allowed() -> None:
    offenders = [
        f"{source} -> {dest} (in {', '.join(sorted(where)[:3])})"
        for (source, dest), where in sorted(_arrows().items())
        if dest not in ALLOWED.get(source, set())
    ]
    assert offenders == []


def test_no_two_modules_import_each_other_even_round_a_circle() -> None:
    modules = _modules()
    graph = {name: _imported(path, modules) - {name} for name, path in modules.items()}
    assert _circles(graph) == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_pure_packages_import_no_framework() -> None:
    offenders = []
    for package in PURE_PACKAGES:
        paths = [SRC / "safehub" / f"{package}.py"]
        paths = [p for p in paths if p.exists()] or list((SRC / "safehub" / package).rglob("*.py"))
        for path in paths:
            bad = _top_level_names(path) & set(FRAMEWORKS)
            if bad:
                offenders.append(f"{path.relative_to(SRC)}: {sorted(bad)}")
    assert offenders == []


def _top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


# What oversight counts must never feed back into a decision about a person (the words:
# "no measure ever feeds back into decisions about individuals"). Only oversight's own services,
# the pages and API that show it, the CLI that publishes it, and the jobs that rebuild it may
# import it; linkage, network analysis, alerts, risk and ranking never do.
OVERSIGHT_READERS = (
    "safehub.services.oversight",
    "safehub.web",
    "safehub.api",
    "safehub.cli",
    "safehub.jobs",
)


def test_nothing_that_decides_about_a_person_imports_oversight() -> None:
    modules = _modules()
    offenders = sorted(
        f"{name} -> {target}"
        for name, path in modules.items()
        if not name.startswith(("safehub.oversight", *OVERSIGHT_READERS))
        for target in _imported(path, modules)
        if target.startswith(("safehub.oversight", "safehub.services.oversight"))
    )
    assert offenders == []
