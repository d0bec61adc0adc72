"""An action blaming the child is held in the meeting page's action form, in a real browser,
checked with axe-core: its flags, the question why, and adding it only with a reason."""

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


def test_a_flagged_action_is_held_in_its_form_and_added_only_with_a_reason(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    worker = make_user("social_worker", "LA-BRADFORD")
    case_for(app_db, [], [worker])
    with app_db.owner_engine.connect() as conn:
        my_agency = conn.execute(
            text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")
        ).scalar_one()
    browser_sign_in(page, live_server, worker)
    page.goto(f"{live_server}/meetings")
    page.get_by_role("link", name="Plan a meeting").first.click()
    page.get_by_label("Multi-agency meeting").check()
    page.get_by_label("What is it about?").fill("Adults at the takeaway")
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("West Yorkshire Police").check()
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adults at the takeaway")

    add = page.locator('form[action$="/actions"]')
    add.get_by_label("Type of action").select_option("task")
    add.get_by_label("What is to be done").fill("Visit Amy; she keeps going back to him")
    add.get_by_label("Agency that owns it").select_option(str(my_agency))
    add.get_by_label("Day").fill(str(today.day))
    add.get_by_label("Month").fill(str(today.month))
    add.get_by_label("Year").fill(str(today.year))
    add.get_by_role("button", name="Add the action").click()

    held = page.locator("#language-flags-action")
    expect(held).to_contain_text("keeps going back to")
    expect(page.get_by_label("What is to be done")).to_have_value(
        "Visit Amy; she keeps going back to him"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are saving")
    assert_accessible(page)
    page.get_by_label("If you save it as it is, say why").fill(
        "Quoting the words of the strategy meeting's minutes for the review"
    )
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", name="Task")).to_be_visible()
    expect(page.get_by_text("Visit Amy; she keeps going back to him")).to_be_visible()
    assert_accessible(page)
