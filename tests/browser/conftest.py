"""Browser-test helpers: axe-core accessibility checks. The fixtures (``live_server``, ``browser``,
``page``) are in tests/conftest.py, so that every folder shares one Playwright instance per worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every axe-core finding on the current page: the full rule set (WCAG 2.x A/AA and best
    practices, the "region" rule among them) at every impact, minor included."""
    # A click that submits a form may still be loading the next page: axe goes into a document
    # that has its head (a flaky "null.appendChild" in CI otherwise).
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Page) -> None:
    """Zero axe findings of any impact on the page."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
