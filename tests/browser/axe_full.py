"""axe-core's full rule set, best practices included (the "region" rule among them: nothing
outside a landmark), at every impact: stricter than ``assert_accessible``."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import AXE


def every_axe_finding(page: Page) -> list[dict[str, Any]]:
    """All of axe-core's findings on the page, of any impact, best practices included."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def assert_no_findings(page: Page) -> None:
    findings = every_axe_finding(page)
    assert findings == [], f"{page.url}: {findings}"
