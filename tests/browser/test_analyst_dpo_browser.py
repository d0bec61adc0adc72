"""The analyst's and the data protection officer's journeys in a real browser, and the API docs.

Every page visited is checked with axe-core's full rule set, best practices included (the
"region" rule among them: nothing outside a landmark), at every impact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from tests.browser.axe_full import assert_no_findings
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import run_jobs
from tests.signin.helpers import browser_sign_in
from tests.web.helpers import aisha_across_agencies, import_rows, person_id

pytestmark = pytest.mark.browser

# Tall enough for a chart beside its table and the folded tables below; the chart page once
# stretched to 11,000 px because every table was laid out in full.
SENSIBLE_PAGE_HEIGHT = 3_000


def test_an_analyst_goes_from_an_alert_to_the_group_chart_with_names(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    adam = person_id(app_db, "POL-WY", "S-A")
    browser_sign_in(page, live_server, make_user("police_analyst", "POL-WY"))
    assert_no_findings(page)

    page.goto(f"{live_server}/alerts")
    # The inbox folds a group's alerts into one row named after the group.
    page.get_by_role("link", name="Group G0001", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A new record connected to a known group"
    )
    assert_no_findings(page)
    page.get_by_role("link", name=re.compile("Open group G0001")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group G0001")
    members = page.get_by_role("table", name="Members of the group")
    expect(members).to_contain_text("Adam Stone (")
    expect(members).to_contain_text("Amy Doe (")
    expect(members).to_contain_text("Child")
    expect(members.locator("tbody")).not_to_contain_text(re.compile(r"Person \d"))
    chart = page.locator("#link-chart")
    expect(chart).to_have_attribute("data-nodes", re.compile(r"^[1-9]"))
    # Children and adults drawn differently: by shape, not colour alone.
    shapes = page.evaluate(
        "() => { const cy = document.getElementById('link-chart').safehubChart;"
        " const of = (g) => cy.nodes(`[group = \"${g}\"]`).map((n) => n.style('shape'));"
        " return {child: of('child'), adult: of('adult')}; }"
    )
    assert shapes["child"] and shapes["adult"]
    assert set(shapes["child"]).isdisjoint(shapes["adult"])
    # No two labels drawn over each other.
    overlaps = page.evaluate(
        "() => { const cy = document.getElementById('link-chart').safehubChart;"
        " const boxes = cy.nodes().map((n) => n.boundingBox({includeNodes: false,"
        " includeEdges: false, includeLabels: true}));"
        " let found = 0; for (let i = 0; i < boxes.length; i++) for (let j = i + 1;"
        " j < boxes.length; j++) { const a = boxes[i], b = boxes[j];"
        " if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) found++; }"
        " return found; }"
    )
    assert overlaps == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < SENSIBLE_PAGE_HEIGHT, f"the group page is {height} px tall"
    assert_no_findings(page)

    # From a member to the link chart around them, and back to the group from there.
    members.get_by_role("link", name=re.compile("Adam Stone")).click()
    # The chart page: people by name, a key, the chart beside its people, a readable length.
    expect(page.get_by_role("heading", name="Key to the chart")).to_be_visible()
    people = page.get_by_role("table", name="People in the chart")
    expect(people).to_contain_text("Adam Stone (")
    expect(people).not_to_contain_text(f"Person {adam}")
    expect(page.locator("#link-chart")).to_have_attribute("data-nodes", re.compile(r"^[1-9]"))
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < SENSIBLE_PAGE_HEIGHT, f"the chart page is {height} px tall"
    assert_no_findings(page)

    expect(page.get_by_role("link", name="Group G0001")).to_be_visible()

    # The other network pages: people by name, the job in a sentence, nothing outside landmarks.
    page.get_by_role("link", name="Networks", exact=True).click()
    expect(page.locator("#network-jobs-sentence")).to_contain_text("Network analysis: ")
    assert_no_findings(page)
    page.get_by_role("link", name="Key people, ranked with their reasons").click()
    expect(page.get_by_role("table")).to_contain_text("Adam Stone (")
    assert_no_findings(page)
    page.goto(f"{live_server}/networks/children")
    expect(page.get_by_role("table")).to_contain_text(" Doe (")
    assert_no_findings(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Network around ")
    expect(page.get_by_role("table")).to_contain_text("Adam Stone (")
    assert_no_findings(page)


def test_the_dpo_finds_who_viewed_a_child_last_week(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database, tmp_path: Path
) -> None:
    child, _ = aisha_across_agencies(app_db, tmp_path)
    nosy = make_user("social_worker", "LA-BRADFORD")
    with app_db.owner_engine.connect() as conn:
        from sqlalchemy import text

        uid = conn.execute(text("SELECT id FROM app_user WHERE username = :u"), {"u": nosy})
        user_id = int(uid.scalar_one())
    with unit_of_work(app_db, actor=Actor(label=f"user:{user_id}:{nosy}", user_id=user_id)) as uow:
        uow.audit("consultation", "person", [child], purpose="checking on a neighbour")
        uow.commit()

    browser_sign_in(page, live_server, make_user("data_protection_officer", "LA-BRADFORD"))
    page.get_by_role("link", name="Access oversight").click()
    assert_no_findings(page)
    page.get_by_label("Person number").fill(str(child))
    page.get_by_label("From (date)").fill(str(date.today() - timedelta(days=7)))
    page.get_by_label("To (date)").fill(str(date.today()))
    page.get_by_role("button", name="Show accesses").click()
    log = page.get_by_role("table", name="Audit log entries, newest first")
    expect(log).to_contain_text("checking on a neighbour")
    expect(log).to_contain_text(nosy)
    expect(page.get_by_text("Input should be")).to_have_count(0)
    assert_no_findings(page)

    page.get_by_label("Person number").fill("not a number")
    page.get_by_role("button", name="Show accesses").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Person number must be a whole number")
    assert_no_findings(page)


def test_the_glossary_is_linked_from_every_page_footer(
    page: Page, live_server: str, make_user: Callable[..., str]
) -> None:
    browser_sign_in(page, live_server, make_user("school_dsl", "LA-BRADFORD"))
    page.get_by_role("contentinfo").get_by_role("link", name="Words used in Safehub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Words used in Safehub")
    expect(page.get_by_text("No further action (NFA)")).to_be_visible()
    assert_no_findings(page)


def test_the_api_docs_render_from_our_own_assets_within_the_csp(
    browser: Browser, live_server: str
) -> None:
    # A context of its own: the shared one bypasses the CSP so that axe can be injected.
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server) else None,
    )
    try:
        page.goto(f"{live_server}/api/v1/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Safehub")
        expect(page.locator(".opblock").first).to_be_visible()
        assert blocked == [] and elsewhere == []
    finally:
        context.close()
