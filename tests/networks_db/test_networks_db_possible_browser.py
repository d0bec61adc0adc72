"""The caveat of a group that rests on a possible match, in a real browser, with axe-core's
checks: it names the pair and leads to the page where a person confirms it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.networks_db.helpers import run_jobs
from tests.networks_db.possible_data import possible_group_rows
from tests.signin.helpers import browser_sign_in
from tests.web.helpers import import_rows

pytestmark = pytest.mark.browser


def test_a_group_resting_on_a_possible_match_says_so_and_leads_to_the_pair(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, possible_group_rows())
    run_jobs(app_db)
    browser_sign_in(page, live_server, make_user("police_analyst", "POL-WY"))

    page.goto(f"{live_server}/networks/groups/G0001")
    expect(page.locator("#possible-match")).to_contain_text(
        "This group rests on a possible match that nobody has confirmed"
    )
    # Why it is a group, with the members named: axe-clean like the rest of the page.
    expect(page.get_by_role("heading", name="Why this is a group")).to_be_visible()
    expect(page.locator("#grounds + p + ul li").first).to_contain_text("Rule: ")
    assert_accessible(page)
    page.get_by_role("link", name="confirm pair P").first.click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    assert_accessible(page)


def test_an_alert_resting_on_a_possible_match_leads_to_the_pair(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    from tests.networks_db.helpers import owner_rows

    import_rows(app_db, tmp_path, possible_group_rows())
    run_jobs(app_db)
    # A child of the group at the centre of its adults: held by the police, who hold the pair.
    alert = owner_rows(app_db, "SELECT min(id) FROM alert WHERE kind = 'network_child_risk'")[0][0]
    browser_sign_in(page, live_server, make_user("police_analyst", "POL-WY"))

    page.goto(f"{live_server}/alerts/{alert}")
    expect(page.get_by_text("Rests on a possible match, to confirm:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="pair P").first.click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
