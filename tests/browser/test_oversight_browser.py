"""The oversight inspector's main flow in a real browser: sign in to the portal, measures by
area, the league table, an area's trends (a chart with its table), disparities, drawing an audit
sample, recording findings (after an error summary, and a comment the language checker
holds), and the register. Each page is checked
with axe-core."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.oversight_portal.conftest import SECRETS, CaseOnFile, add_facts, case_on_file
from tests.signin.helpers import finish_browser_sign_in
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["case_on_file"]


def test_an_inspector_reviews_the_measures_draws_a_sample_and_records_findings(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    case_on_file: CaseOnFile,
) -> None:
    add_facts(app_db)
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Username").fill(make_user("oversight_inspector", "LA-BRADFORD"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_browser_sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversight: measures by area")

    page.get_by_label("Period").fill("2025")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("90.0%")
    assert_accessible(page)

    page.get_by_role("link", name="League table").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("League table")
    assert_accessible(page)

    page.get_by_role("link", name="Bradford").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bradford: trends")
    # The chart draws (Vega-Lite, from the page's own spec) beside its table.
    expect(page.locator("#trend-referral_decided_1wd svg")).to_be_visible()
    expect(page.locator("main")).to_contain_text("February 2025")
    assert_accessible(page)

    page.get_by_role("link", name="Disparities").click()
    expect(page.locator("main")).to_contain_text("more than chance would explain")
    assert_accessible(page)

    page.get_by_role("link", name="Audit samples").click()
    assert_accessible(page)
    page.get_by_role("button", name="Draw a sample").click()
    page.get_by_label("How many files").fill("0")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter how many files")
    assert_accessible(page)
    page.get_by_label("How many files").fill("3")
    page.get_by_label("Cases opened from").fill("2020-01-01")
    page.get_by_label("Cases opened up to").fill("2030-12-31")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sample")
    assert_accessible(page)

    page.get_by_role("link", name="File 1").click()
    main = page.locator("main")
    expect(main).to_contain_text("Child A")
    for secret in SECRETS:
        assert secret not in main.inner_text(), secret
    page.get_by_role("button", name="Save the findings").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    for question in (
        "referral_decided_in_time",
        "strategy_discussion_held",
        "childs_voice_recorded",
        "no_victim_blaming",
        "actions_completed",
    ):
        page.locator(f"input[name='{question}'][value='yes']").check()
    # A comment that blames the child is held, on an accessible page, and kept with a reason.
    page.locator("input[name='actions_completed'][value='no']").check()
    page.locator("#actions_completed_comment").fill("Closed because she is not engaging")
    page.get_by_role("button", name="Save the findings").click()
    expect(page.locator("#language-flags")).to_contain_text("not engaging")
    assert_accessible(page)
    page.get_by_label("If you save it as it is, say why").fill("The file's own words")
    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Findings saved for file 1")
    expect(main).to_contain_text("Reviewed")

    page.get_by_role("link", name="Back to audit samples").click()
    page.get_by_role("link", name="Register of queries").click()
    expect(main).to_contain_text("Audit sample")
    assert_accessible(page)
