"""The main journeys in a real browser, each page checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.factories import extract_row, write_extract
from tests.signin.helpers import finish_browser_sign_in
from tests.web.conftest import PASSWORD
from tests.web.helpers import case_for, person_id, second_council

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_browser_sign_in(page)  # the second factor (first sign-in: set-up)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your work")


def test_sign_in_import_find_a_child_and_open_the_chronology(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    analyst = make_user("police_analyst", "POL-WY")
    sign_in(page, live_server, analyst)
    assert_accessible(page)

    extract = write_extract(
        tmp_path / "police.csv",
        [
            extract_row(
                narrative="Found in a car with two adult men at 2am.",
                indicators="missing;taxis_cars",
            ),
            extract_row(
                record_id="CR-2",
                record_date="2025-04-12",
                narrative="Collected from school by an adult male.",
            ),
        ],
    )
    page.get_by_role("link", name="Import extracts").click()
    assert_accessible(page)
    page.get_by_label("Agency extract (CSV, format version 1)").set_input_files(str(extract))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Extract imported")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Find a person").click()
    page.get_by_label("Name").fill("aisha huss")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Aisha Hussain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha Hussain")
    assert_accessible(page)

    case_for(app_db, [person_id(app_db, "POL-WY", "P-1")], [analyst])
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Aisha Hussain").first.click()
    expect(page.get_by_role("heading", name="Multi-agency chronology")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("1 March 2025")
    assert_accessible(page)


def test_the_referral_form_reports_an_error_which_can_be_corrected(
    page: Page, live_server: str, make_user: Callable[..., str]
) -> None:
    sign_in(page, live_server, make_user("school_dsl", "LA-BRADFORD"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Make a referral").click()
    page.get_by_label("First name").fill("Aisha")
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the child's last name")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the child's last name").click()
    expect(page.get_by_label("Last name")).to_be_focused()
    expect(page.get_by_label("First name")).to_have_value("Aisha")
    page.get_by_label("Last name").fill("Hussain")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What is the child's date of birth?")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2011")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is this child already known?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Child sexual exploitation").check()
    page.get_by_label("Describe the concern").fill(
        "Seen getting into cars with adult men after school."
    )
    page.get_by_label("No", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    assert_accessible(page)


def test_a_police_referral_asks_which_council_area_the_child_lives_in(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    second_council(app_db)
    sign_in(page, live_server, make_user("police_investigator", "POL-WY"))
    page.goto(f"{live_server}/referrals/new/child")
    page.get_by_label("First name").fill("Aisha")
    page.get_by_label("Last name").fill("Hussain")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server}/referrals/new/concern")
    page.get_by_label("Missing from home or care").check()
    page.get_by_label("Describe the concern").fill("Found in a car with two adult men at 2am.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which council area does the child live in?"
    )
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the council area the child lives in")
    assert_accessible(page)
    page.get_by_label("Rochdale").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Rochdale")
    assert_accessible(page)
