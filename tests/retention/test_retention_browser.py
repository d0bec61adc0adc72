"""The data protection officer erases a record that reached its review date, in a real browser;
every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.retention.conftest import Records, run_review, years_on
from tests.signin.helpers import browser_sign_in

pytestmark = pytest.mark.browser


def test_the_dpo_reviews_a_case_is_told_a_reason_is_needed_and_erases_it(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    records: Records,
) -> None:
    run_review(app_db, years_on(76))
    browser_sign_in(page, live_server, make_user("data_protection_officer", "LA-BRADFORD"))
    page.goto(f"{live_server}/retention")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention reviews")
    assert_accessible(page)
    page.get_by_role("link", name=records.case_reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {records.case_reference}")
    assert_accessible(page)
    page.get_by_label("Erase it, leaving a record of what was erased and why").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the record should be erased"
    )
    assert_accessible(page)
    page.get_by_label("Reason").fill("Past its retention period; no inquiry or claim pending")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention reviews")
    erased = page.get_by_role("table", name="What was erased, when, by whom and why")
    expect(erased).to_contain_text("no inquiry or claim pending")
    assert_accessible(page)
