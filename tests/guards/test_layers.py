"""Dependencies point inwards: the domain engines import no web or database framework."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "safehub"
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "psycopg", "jinja2", "uvicorn", "typer")
PURE_PACKAGES = ("extracts", "timescales", "language", "linkage", "network", "synthetic")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pure_packages_import_no_framework() -> None:
    offenders = []
    for package in PURE_PACKAGES:
        for path in (SRC / package).rglob("*.py"):
            bad = _imports(path) & set(FRAMEWORKS)
            if bad:
                offenders.append(f"{path.relative_to(SRC)}: {sorted(bad)}")
    assert offenders == []


def test_services_do_not_import_the_web_layer() -> None:
    offenders = [
        str(p)
        for p in (SRC / "services").rglob("*.py")
        if any(
            m.startswith(("safehub.web", "safehub.api", "safehub.cli")) for m in _module_imports(p)
        )
    ]
    assert offenders == []


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
