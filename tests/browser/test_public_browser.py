"""The public app in a real browser, every page checked with axe-core: reporting anonymously,
a safeguarding lead asking a question in the staff app, and the reporter coming back with the
reference and secret phrase to read it and answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)


def _report_anonymously(page: Page, public: str) -> tuple[str, str]:
    page.goto(public)
    assert_accessible(page)
    expect(page.get_by_text("If a child is in danger now, call 999.")).to_be_visible()
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    _continue(page)  # nothing chosen: the error summary names the question
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select what you are worried about"
    )
    page.get_by_label("A vehicle, such as a taxi or a car").check()
    _continue(page)
    page.get_by_label("What did you see or hear?").fill(
        "The same taxi collects two girls from the park most evenings."
    )
    _continue(page)
    page.get_by_label("It keeps happening").check()
    _continue(page)
    page.get_by_label("Evening").check()
    _continue(page)
    page.get_by_label("Postcode").fill("BD7 1AA")
    _continue(page)
    page.get_by_label("Vehicle registration").fill("YX19 ABC")
    _continue(page)
    _continue(page)  # "about you": anonymous by default
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your report"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Anonymous")
    page.get_by_role("button", name="Send report").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    return page.locator("#reference").inner_text(), page.locator("#phrase").inner_text()


def _ask_a_question(page: Page, staff: str, lead: str, reference: str) -> None:
    sign_in(page, staff, lead)
    page.get_by_role("link", name="Community reports").first.click()
    assert_accessible(page)
    table = page.get_by_role("table", name="Community reports")
    expect(table).to_contain_text("BD7")
    expect(table).not_to_contain_text("BD7 1AA")  # the area only: the reporter did not agree
    table.get_by_role("link", name=reference).click()
    assert_accessible(page)
    page.get_by_label("Ask the reporter a question").fill("Which park was it?")
    page.get_by_role("button", name="Send question").click()
    assert_accessible(page)
    expect(page.locator("#messages")).to_contain_text("Which park was it?")


def test_a_reporter_reports_anonymously_then_comes_back_and_answers_a_question(
    page: Page,
    public_live_server: str,
    live_server: str,
    make_user: Callable[..., str],
) -> None:
    reference, phrase = _report_anonymously(page, public_live_server)
    _ask_a_question(page, live_server, make_user("mash_triage", "LA-BRADFORD"), reference)

    page.goto(f"{public_live_server}/return")
    assert_accessible(page)
    page.get_by_label("Reference").fill(reference.lower())
    page.get_by_label("Secret phrase").fill(phrase)
    _continue(page)
    expect(page.locator("#status")).to_have_text("Being looked at by the safeguarding team")
    expect(page.locator("#messages")).to_contain_text("Which park was it?")
    page.get_by_label("Answer the team's question").fill("Horton Park, by the gates")
    page.get_by_role("button", name="Send").click()
    assert_accessible(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    expect(page.locator("#messages")).to_contain_text("Horton Park, by the gates")


def test_the_welsh_start_page_and_the_privacy_notice_are_accessible(
    page: Page, public_live_server: str
) -> None:
    page.goto(public_live_server)
    page.get_by_role("link", name="Cymraeg").click()
    assert_accessible(page)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(f"{public_live_server}/privacy")
    assert_accessible(page)


def test_the_welsh_question_pages_are_accessible_and_switching_keeps_the_answers(
    page: Page, public_live_server: str
) -> None:
    page.goto(f"{public_live_server}/cy")
    page.get_by_role("button", name="Dechrau nawr").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("button", name="Parhau").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Dewiswch beth sy'n eich poeni")
    assert_accessible(page)
    page.get_by_label("Cerbyd, fel tacsi neu gar").check()
    page.get_by_role("button", name="Parhau").click()
    page.get_by_label("Beth welsoch chi neu beth glywsoch chi?").fill("Tacsi gyda dwy ferch.")
    assert_accessible(page)
    page.get_by_role("button", name="Cadw a darllen y dudalen hon yn Saesneg").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("What did you see or hear?")).to_have_value("Tacsi gyda dwy ferch.")
    assert_accessible(page)
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_label("Beth welsoch chi neu beth glywsoch chi?")).to_have_value(
        "Tacsi gyda dwy ferch."
    )
    for _ in range(6):  # what, then the rest as they are: signs, when, where, identifiers, you
        page.get_by_role("button", name="Parhau").click()
        assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gwiriwch eich atebion cyn anfon eich adroddiad"
    )
    assert_accessible(page)


def test_a_reporter_comes_back_in_welsh_and_answers_a_question(
    page: Page,
    public_live_server: str,
    live_server: str,
    make_user: Callable[..., str],
) -> None:
    reference, phrase = _report_anonymously(page, public_live_server)
    _ask_a_question(page, live_server, make_user("mash_triage", "LA-BRADFORD"), reference)

    page.goto(f"{public_live_server}/cy")
    page.get_by_role("link", name="Dewch yn ôl at eich adroddiad").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    page.get_by_role("button", name="Parhau").click()  # nothing typed: Welsh errors
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rhowch eich cyfeirnod")
    assert_accessible(page)
    page.get_by_label("Cyfeirnod").fill(reference)
    page.get_by_label("Ymadrodd cyfrinachol").fill(phrase)
    page.get_by_role("button", name="Parhau").click()
    assert_accessible(page)
    expect(page.locator("#status")).to_have_text("Mae'r tîm diogelu yn edrych arno")
    expect(page.locator("#messages")).to_contain_text("Which park was it?")
    page.get_by_label("Atebwch gwestiwn y tîm").fill("Parc Horton, wrth y gatiau")
    page.get_by_role("button", name="Anfon", exact=True).click()
    assert_accessible(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Diolch")
    expect(page.locator("#messages")).to_contain_text("Parc Horton, wrth y gatiau")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#status")).to_have_text("Being looked at by the safeguarding team")
    page.get_by_role("link", name="Cymraeg").click()
    page.get_by_role("link", name="Sut rydym yn defnyddio'r hyn rydych yn ei ddweud wrthym").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)


def test_the_welsh_not_found_page_is_accessible_and_switches_to_english(
    page: Page, public_live_server: str
) -> None:
    page.goto(f"{public_live_server}/cy/report/nowhere")
    assert_accessible(page)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Heb ddod o hyd i'r dudalen")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
