"""Holding a strategy discussion and closing its action in a real browser, checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.signin.helpers import browser_sign_in
from tests.web.helpers import case_for

pytestmark = pytest.mark.browser


def test_holding_a_strategy_discussion_and_closing_its_action(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    worker = make_user("social_worker", "LA-BRADFORD")
    case_id = case_for(app_db, [], [worker])
    with app_db.owner_engine.connect() as conn:
        my_agency = conn.execute(
            text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")
        ).scalar_one()
    browser_sign_in(page, live_server, worker)

    page.goto(f"{live_server}/meetings")
    assert_accessible(page)
    page.get_by_role("link", name="Plan a meeting").first.click()
    assert_accessible(page)
    page.get_by_label("Strategy discussion").check()
    page.get_by_label("What is it about?").fill("Adults in cars outside the school")
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time (24-hour clock)").fill("00:01")
    page.get_by_label("West Yorkshire Police").check()
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adults in cars outside the school")
    assert_accessible(page)

    record = page.locator('form[action$="/record"]')
    record.get_by_label("Day").fill(str(today.day))
    record.get_by_label("Month").fill(str(today.month))
    record.get_by_label("Year").fill(str(today.year))
    record.get_by_label("Time (24-hour clock)").fill("00:01")
    record.get_by_label("West Yorkshire Police").check()
    record.get_by_label("Bradford Children's Social Care").check()
    record.get_by_label("Information each agency shared").fill("Police: two vehicles identified.")
    record.get_by_label("Decisions").fill("Section 47 enquiries; warning notices to be served.")
    record.get_by_label("Yes").check()
    record.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Section 47 enquiries started")).to_be_visible()

    add = page.locator('form[action$="/actions"]')
    add.get_by_label("Type of action").select_option("sexual_risk_order")
    add.get_by_label("What is to be done").fill("Apply for a sexual risk order against the driver")
    add.get_by_label("Agency that owns it").select_option(str(my_agency))
    add.get_by_label("Day").fill(str(today.day))
    add.get_by_label("Month").fill(str(today.month))
    add.get_by_label("Year").fill(str(today.year))
    add.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Sexual risk order")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What was done?").fill("Application made to the magistrates' court")
    page.get_by_role("button", name="Record as done").click()
    expect(page.get_by_text("Application made to the magistrates' court")).to_be_visible()
    assert case_id > 0


def test_setting_the_partnership_mailbox_with_a_mistake_corrected(
    page: Page, live_server: str, make_user: Callable[..., str]
) -> None:
    browser_sign_in(page, live_server, make_user("administrator", "LA-BRADFORD"))

    page.goto(f"{live_server}/clock-rules")
    page.get_by_role("link", name="The escalation ladder and the partnership's mailbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is the partnership's mailbox?")
    page.get_by_label("What is the partnership's mailbox?").fill("lscp at bradford")
    page.get_by_role("button", name="Save the mailbox").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the mailbox in the correct format")
    assert_accessible(page)
    page.get_by_label("What is the partnership's mailbox?").fill("lscp@bradford.gov.uk")
    page.get_by_role("button", name="Save the mailbox").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")
    assert_accessible(page)
