"""The note editor in a real browser: type, see the flag beside the note, accept the suggestion."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.practice.conftest import ChildOnCase
from tests.signin.helpers import browser_sign_in

pytestmark = pytest.mark.browser


def test_typing_shows_the_flag_and_accepting_the_suggestion_rewrites_the_phrase(
    page: Page, live_server: str, make_user: Callable[..., str], child_on_case: ChildOnCase
) -> None:
    browser_sign_in(page, live_server, make_user("social_worker", "LA-BRADFORD"))
    page.goto(f"{live_server}/cases/{child_on_case.case_id}/notes/new")
    assert_accessible(page)

    note = page.get_by_label("Note", exact=True)
    note.press_sequentially("Amy absconded from her placement on Friday.", delay=5)
    flags = page.locator("#language-flags")
    expect(flags).to_contain_text("“absconded”")
    expect(flags).to_contain_text("Write 'went missing from care'")
    assert_accessible(page)

    flags.get_by_role("button", name="Use “went missing” instead of “absconded”").click()
    expect(note).to_have_value("Amy went missing from her placement on Friday.")
    expect(flags).to_contain_text("No language to look at.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case note, version 1")
    expect(page.get_by_text("Amy went missing from her placement on Friday.")).to_be_visible()
