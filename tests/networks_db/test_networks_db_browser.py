"""The link chart and acting on an alert in a real browser, with axe-core's checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import run_jobs
from tests.signin.helpers import browser_sign_in
from tests.web.helpers import import_rows, person_id

pytestmark = pytest.mark.browser


def test_explore_the_link_chart_then_confirm_an_alert(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    barry = person_id(app_db, "POL-WY", "S-B")
    browser_sign_in(page, live_server, make_user("police_analyst", "POL-WY"))

    page.goto(f"{live_server}/networks/chart?seed={barry}&hops=1")
    chart = page.locator("#link-chart")
    expect(chart).to_have_attribute("data-nodes", "6")  # Barry, his 3 records, phone and car
    assert_accessible(page)
    # Selecting the car brings in everyone else who was in it.
    page.evaluate(
        "document.getElementById('link-chart').safehubChart"
        ".getElementById('vehicle:YX19ABC').emit('tap')"
    )
    expect(page.locator("#link-chart-status")).to_contain_text("new points and links")
    assert int(chart.get_attribute("data-nodes") or 0) > 6
    expect(page.locator("details table").first).to_contain_text("YX19ABC")

    page.get_by_role("link", name="Alerts").first.click()
    page.get_by_role("link", name="Group G0001", exact=True).click()
    expect(page.get_by_text("a member of group G0001")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Confirm").check()
    page.get_by_label("Reason for the decision").fill(
        "The same car as the group; strategy discussion called."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    assert_accessible(page)
