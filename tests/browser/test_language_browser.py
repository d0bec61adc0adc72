"""'Save anyway' in a real browser: a flagged note is held, the author is asked why, and the
reason is kept with the note. Each page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.web.helpers import case_for, import_rows, person_id

pytestmark = pytest.mark.browser

REASON = "The school's own words in its referral, quoted for the strategy meeting"


def test_save_anyway_asks_why_and_the_reason_is_shown_with_the_note(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    row = {
        "agency_code": "POL-WY",
        "agency_type": "police",
        "record_id": "CR-1",
        "record_type": "missing_episode",
        "record_date": "2025-03-01",
        "person_ref": "P-1",
        "person_role": "subject",
        "given_names": "Amy",
        "family_name": "Walsh",
        "date_of_birth": "2012-01-05",
        "indicators": "missing",
    }
    import_rows(app_db, tmp_path, [row])
    case_id = case_for(app_db, [person_id(app_db, "POL-WY", "P-1")], [])
    sign_in(page, live_server, make_user("social_worker", "LA-BRADFORD"))

    page.goto(f"{live_server}/cases/{case_id}/notes/new")
    page.get_by_label("Note").fill("He was her boyfriend, she is 14.")
    page.get_by_role("button", name="Save note").click()
    flags = page.locator("#language-flags")
    expect(flags).to_contain_text("“boyfriend”")
    expect(page.get_by_role("button", name="Save anyway")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Save anyway").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why you are saving the note")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    reason = page.get_by_label("If you save it as it is, say why")
    expect(reason).to_be_focused()
    expect(page.get_by_label("Note")).to_have_value("He was her boyfriend, she is 14.")

    reason.fill(REASON)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case note, version 1")
    expect(page.locator("main")).to_contain_text(REASON)
    assert_accessible(page)


def test_a_referral_concern_with_flagged_language_asks_why_before_going_on(
    page: Page, live_server: str, make_user: Callable[..., str]
) -> None:
    sign_in(page, live_server, make_user("school_dsl", "LA-BRADFORD"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Make a referral").click()
    page.get_by_label("First name").fill("Amy")
    page.get_by_label("Last name").fill("Walsh")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # date of birth not known
    page.get_by_role("button", name="Continue").click()  # not already known

    page.get_by_label("Child sexual exploitation").check()
    page.get_by_label("Describe the concern").fill("Amy is 13 and says Darren is her boyfriend.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#language-flags")).to_contain_text("“boyfriend”")
    assert_accessible(page)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why")
    page.get_by_label("If you save it as it is, say why").fill(REASON)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )


def test_a_dismissal_blaming_the_child_is_held_on_the_alert_page_until_its_author_says_why(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    from tests.web.helpers import aisha_across_agencies
    from tests.web.test_alert_inbox import _agency, _child_alert, _raise

    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    [alert_id] = _raise(app_db, [_child_alert(child, 1, la, police)])
    sign_in(page, live_server, make_user("social_worker", "LA-BRADFORD"))

    page.goto(f"{live_server}/alerts/{alert_id}")
    page.get_by_label("Dismiss").check()
    page.get_by_label("Reason for the decision").fill("She is consenting, it's her boyfriend")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#language-flags")).to_contain_text("“consenting”")
    assert_accessible(page)

    page.get_by_role("button", name="Save anyway").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why you are saving the reason for the decision")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("If you save it as it is, say why")).to_be_focused()
    page.get_by_label("If you save it as it is, say why").fill(REASON)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_text("Kept as written, because")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_accessible(page)


def test_a_bulk_dismissal_blaming_the_child_is_held_with_the_rows_still_selected(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    from tests.web.helpers import aisha_across_agencies
    from tests.web.test_alert_inbox import _agency, _child_alert, _raise

    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    _raise(app_db, [_child_alert(child, n, la, police) for n in (1, 2)])
    sign_in(page, live_server, make_user("social_worker", "LA-BRADFORD"))

    page.goto(f"{live_server}/alerts")
    page.locator("table tbody tr").first.get_by_role("checkbox").check()
    page.get_by_label("Dismiss: the records do not support them").check()
    page.get_by_label("Reason (to confirm or dismiss)").fill("She is consenting to it")
    page.get_by_role("button", name="Apply to the selected rows").click()
    expect(page.locator("#language-flags")).to_contain_text("“consenting”")
    expect(page.locator("table tbody tr").first.get_by_role("checkbox")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("If you save it as it is, say why").fill(REASON)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=2, name="0 children or groups")).to_be_visible()
