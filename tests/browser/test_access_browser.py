"""Need to know in a real browser: a sealed envelope opened by a disclosure the police grant, and
break-glass access that the data protection officer sees. Every page checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.factories import extract_row
from tests.web.helpers import case_for, import_rows, person_id

pytestmark = pytest.mark.browser

POLICE_NARRATIVE = "Found in a car with two adult men at 2am."


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """A second person at another desk: their own browser context, cookies and session."""
    context = browser.new_context(bypass_csp=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_a_social_worker_asks_the_police_to_open_a_sealed_envelope_and_then_reads_it(
    page: Page,
    second_page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    worker = make_user("social_worker", "LA-BRADFORD")
    manager = make_user("team_manager", "POL-WY")
    import_rows(app_db, tmp_path, [extract_row(narrative=POLICE_NARRATIVE)])
    child = person_id(app_db, "POL-WY", "P-1")
    case_id = case_for(app_db, [child], [worker])

    sign_in(page, live_server, worker)
    page.goto(f"{live_server}/cases/{case_id}")
    expect(page.get_by_text("West Yorkshire Police holds records about")).to_be_visible()
    expect(page.get_by_text(POLICE_NARRATIVE)).to_have_count(0)
    envelope = page.locator("li", has_text="West Yorkshire Police holds records about")
    envelope.get_by_role("link").click()  # the envelope's link names the child
    sealed = page.locator(".safehub-sealed")
    expect(sealed).to_contain_text("West Yorkshire Police")
    assert_accessible(page)
    sealed.get_by_role("link", name="Ask West Yorkshire Police to disclose its records").click()
    page.get_by_label("Why do you need the records?").fill(
        "Strategy discussion tomorrow: we need the police account of the night she was found."
    )
    page.get_by_label("DPA 2018 Schedule 1 paragraph 18", exact=False).first.check()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disclosure request")
    expect(page.locator(".govuk-summary-list")).to_contain_text("requested")

    sign_in(second_page, live_server, manager)
    second_page.get_by_role("link", name="Disclosures").click()
    second_page.get_by_role("link", name="Request ").first.click()
    second_page.get_by_label("Grant").check()
    second_page.get_by_label("Reason for the decision").fill(
        "Needed to safeguard the child at the strategy discussion."
    )
    assert_accessible(second_page)
    second_page.get_by_role("button", name="Record the decision").click()
    expect(second_page.locator(".govuk-summary-list")).to_contain_text("granted")

    page.goto(f"{live_server}/cases/{case_id}")
    expect(page.get_by_text(POLICE_NARRATIVE)).to_be_visible()
    expect(page.get_by_text("West Yorkshire Police holds records about")).to_have_count(0)
    assert_accessible(page)


def test_break_glass_opens_the_record_with_a_reason_and_the_dpo_sees_it(
    page: Page,
    second_page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    dpo = make_user("data_protection_officer", "POL-WY")
    officer = make_user("police_investigator", "POL-WY")
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-9",
                record_type="referral",
                person_ref="C-77",
                narrative="Missing from care overnight.",
            )
        ],
    )
    child = person_id(app_db, "LA-BRADFORD", "C-77")

    sign_in(page, live_server, officer)
    page.goto(f"{live_server}/people/{child}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.goto(f"{live_server}/break-glass")
    page.get_by_label("Person", exact=True).check()
    page.get_by_label("Number of the person or case").fill(str(child))
    page.get_by_label("Why do you need it now?").fill("Too short")
    page.get_by_role("button", name="Open the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you need this record")
    assert_accessible(page)
    page.get_by_label("Why do you need it now?").fill(
        "Child reported missing tonight; we need to know who she was last seen with."
    )
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha Hussain")
    expect(page.get_by_text("referral REF-9")).to_be_visible()
    assert_accessible(page)

    sign_in(second_page, live_server, dpo)
    second_page.get_by_role("link", name="Access oversight").click()
    unusual = second_page.get_by_role("table", name="Unusual access")
    expect(unusual).to_contain_text(officer)
    assert_accessible(second_page)
    second_page.get_by_role("link", name="Alerts").click()
    # One row per person, the kind of alert written beneath the person's name.
    expect(
        second_page.get_by_role("table").get_by_text("Someone broke the glass to see a record")
    ).to_be_visible()
    assert_accessible(second_page)
