"""Practitioners' daily journeys in a real browser, every page checked with axe-core: a social
worker from home to an overdue child's case in two clicks; a team triaging its alerts (filter,
fold, bulk dismiss with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from safehub.db.database import Database
from safehub.db.models import User
from safehub.db.uow import unit_of_work
from safehub.services.casework.people import age_on
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, start_deadline_clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.web.helpers import SYSTEM, aisha_across_agencies, case_for
from tests.web.test_alert_inbox import _agency, _child_alert, _group_alert, _raise

pytestmark = pytest.mark.browser
AYESHA = f"Ayesha Hussein ({age_on('2011-07', date.today())})"


def test_a_social_worker_reaches_an_overdue_childs_case_from_home_in_two_clicks(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    worker = make_user("social_worker", "LA-BRADFORD")
    _, child = aisha_across_agencies(app_db, tmp_path)
    case_id = case_for(app_db, [child], [worker])
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        user = uow.session.scalars(select(User).where(User.username == worker)).one()
        start_deadline_clock(
            uow,
            title="Visit at home",
            due_on=date.today() - timedelta(days=2),
            at=datetime.now(UTC) - timedelta(days=20),
            subject=ClockSubject(case_id=case_id),
            owner=ClockOwner(user.agency_id, None, user.id),
        )
        uow.commit()

    sign_in(page, live_server, worker)  # the sign-in ends on the home page
    assert_accessible(page)
    urgent = page.get_by_role(
        "table", name="Your overdue work and work due today, most urgent first"
    )
    expect(urgent).to_contain_text(AYESHA)
    expect(urgent).to_contain_text("Overdue")
    urgent.get_by_role("link", name=AYESHA, exact=True).click()  # the first click after sign-in
    expect(page).to_have_url(f"{live_server}/cases/{case_id}")
    expect(page.locator(".govuk-caption-l")).to_contain_text(AYESHA)
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Deadlines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your deadlines")
    expect(page.get_by_role("link", name=f"{AYESHA}: Visit at home")).to_be_visible()
    assert_accessible(page)


def test_a_team_filters_folds_and_dismisses_alerts_in_bulk_with_a_reason(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    worker = make_user("social_worker", "LA-BRADFORD")
    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    _raise(app_db, [_child_alert(child, n, la, police) for n in (1, 2, 3)])
    _raise(app_db, [_group_alert(n, la, la) for n in (1, 2)])

    sign_in(page, live_server, worker)
    page.get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=2, name="3 children or groups")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kind of alert").select_option(
        label="A child linked to an adult already linked to other children"
    )
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AYESHA)
    expect(rows.first).to_contain_text("3 alerts")
    assert_accessible(page)

    rows.first.get_by_role("checkbox").check()
    page.get_by_label("Dismiss: the records do not support them").check()
    page.get_by_role("button", name="Apply to the selected rows").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    assert_accessible(page)

    page.locator("table tbody tr").first.get_by_role("checkbox").check()
    page.get_by_label("Dismiss: the records do not support them").check()
    page.get_by_label("Reason (to confirm or dismiss)").fill("Known to us; already on a plan")
    page.get_by_role("button", name="Apply to the selected rows").click()
    expect(page.get_by_role("heading", level=2, name="0 children or groups")).to_be_visible()

    page.get_by_label("Status").select_option(label="Dismissed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table tbody tr").first).to_contain_text("3 alerts")
    page.locator("table tbody tr").first.get_by_role("link", name=AYESHA).click()
    expect(page.get_by_text("Known to us; already on a plan")).to_be_visible()
    assert_accessible(page)


def test_search_person_case_and_child_pages_name_the_child_and_pass_axe(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    from tests.web.helpers import share_between_demo_agencies

    worker = make_user("social_worker", "LA-BRADFORD")
    children = aisha_across_agencies(app_db, tmp_path)
    share_between_demo_agencies(app_db)
    case_id = case_for(app_db, children, [worker])

    sign_in(page, live_server, worker)
    page.get_by_role("link", name="Find a person").click()
    page.get_by_label("Name").fill("hussein")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("Bradford Children's Social Care")
    expect(row).to_contain_text("Yes")  # an open case
    assert_accessible(page)

    row.get_by_role("link", name="Ayesha Hussein").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ayesha Hussein")
    assert_accessible(page)
    page.get_by_role("link", name="Child sexual exploitation concerns").click()
    expect(page).to_have_url(f"{live_server}/cases/{case_id}")
    expect(page.locator(".govuk-caption-l")).to_contain_text(AYESHA)
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Child's page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ayesha")
    assert_accessible(page)


def test_a_sealed_alert_says_whom_to_ask_and_opens_once_an_agreement_covers_it(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    from tests.web.helpers import share_between_demo_agencies
    from tests.web.test_alert_inbox import _sealed_alert

    worker = make_user("social_worker", "LA-BRADFORD")
    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    [alert_id] = _raise(app_db, [_sealed_alert(child, la, police)])

    sign_in(page, live_server, worker)
    page.goto(f"{live_server}/alerts/{alert_id}")
    expect(page.get_by_text("This alert is sealed")).to_be_visible()
    expect(page.get_by_text("CR-77")).to_have_count(0)
    assert_accessible(page)

    share_between_demo_agencies(app_db)
    page.reload()
    expect(page.get_by_text("arrested the child in crime report CR-77")).to_be_visible()
    expect(page.get_by_text("now open to your agency")).to_be_visible()
    assert_accessible(page)
