"""A safeguarding lead adds a community report to the shared record in a real browser, each
page checked with axe-core: refused with the reason when the report names no one, then added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from safehub.jobs.community_match_job import run_matching
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.networks_db.helpers import resolve_people
from tests.web.helpers import aisha_across_agencies
from tests.web.test_community_triage import _report, _report_id

pytestmark = pytest.mark.browser
BUTTON = "Add to the shared record as a community report"


def test_a_lead_adds_a_community_report_to_the_shared_record(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    lead = make_user("mash_triage", "LA-BRADFORD")
    nameless = _report_id(app_db, _report(app_db)[0])  # no vehicle, phone or username
    named = _report_id(app_db, _report(app_db, phone="07700 900123")[0])
    sign_in(page, live_server, lead)

    page.goto(f"{live_server}/community-reports/{nameless}")
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("names no vehicle")
    assert_accessible(page)

    page.goto(f"{live_server}/community-reports/{named}")
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#convert")).to_contain_text(f"CR-COMMUNITY-{named}")
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
    assert_accessible(page)


def test_a_lead_reads_what_agencies_hold_of_a_report_and_assigns_it(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    aisha_across_agencies(app_db, tmp_path)
    resolve_people(app_db)
    lead = make_user("mash_triage", "LA-BRADFORD")
    report_id = _report_id(app_db, _report(app_db, vehicle_registration="YX19 ABC")[0])
    run_matching(app_db, now=datetime.now(UTC), progress=lambda *_: None)  # the worker's cycle
    sign_in(page, live_server, lead)

    page.goto(f"{live_server}/community-reports")
    expect(page.locator("table")).to_contain_text("Names someone held as of concern")
    assert_accessible(page)

    page.goto(f"{live_server}/community-reports/{report_id}")
    expect(page.locator("#match-1")).to_contain_text("1 agency: West Yorkshire Police")
    expect(page.locator("#match-1")).to_contain_text("Sealed: contact West Yorkshire Police")
    assert_accessible(page)
    page.get_by_label("Assigned to").select_option(
        label=page.locator("#assign option").nth(1).inner_text()
    )
    page.get_by_role("button", name="Assign").click()
    page.get_by_role("link", name="Convert into a referral about the child").click()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("first name")
    assert_accessible(page)


def test_a_question_that_blames_the_child_is_held_on_an_accessible_page(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    lead = make_user("mash_triage", "LA-BRADFORD")
    report_id = _report_id(app_db, _report(app_db)[0])
    sign_in(page, live_server, lead)

    page.goto(f"{live_server}/community-reports/{report_id}")
    page.get_by_label("Ask the reporter a question").fill("Was she putting herself at risk?")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator("#language-flags-question")).to_contain_text("putting herself at risk")
    assert_accessible(page)
    page.get_by_label("If you save it as it is, say why").fill("The reporter's own words")
    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator("body")).to_contain_text("Was she putting herself at risk?")
    expect(page.locator("#language-flags-question")).to_have_count(0)
