"""The review queue in a real browser, checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.axe_full import assert_no_findings as assert_accessible
from tests.identity.helpers import (
    aisha_rows,
    nothing_at_stake_rows,
    nothing_at_stake_second_rows,
    second_batch_rows,
)
from tests.signin.helpers import browser_sign_in

pytestmark = pytest.mark.browser


def test_a_reviewer_confirms_a_possible_match_seeing_the_evidence(
    page: Page,
    live_server: str,
    make_user: Callable[..., str],
    app_db: Database,
    importer: Callable[[list[dict[str, str]]], None],
    resolve: Callable[..., object],
) -> None:
    importer(aisha_rows() + nothing_at_stake_rows())
    resolve("bulk")
    importer(second_batch_rows() + nothing_at_stake_second_rows())
    resolve("incremental")
    reviewer = make_user("mash_triage", "LA-BRADFORD")
    browser_sign_in(page, live_server, reviewer)

    page.get_by_role("link", name="Review matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible matches to review")
    assert_accessible(page)
    # The pair with nothing at stake waits apart, one link away.
    page.get_by_role("link", name="See the other possible matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Other possible matches (nothing at stake)"
    )
    expect(page.get_by_role("link", name="Gareth Pemberton and Gareth Pemberton")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to possible matches to review").click()
    page.get_by_role("link", name="Mohammed Khan and Mohammed Khan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    expect(page.locator("#waterfall svg")).to_be_visible()  # the chart drew, beside its table
    expect(page.get_by_text("It still needs a person to decide")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Yes, the same person").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Match confirmed")).to_be_visible()
    assert_accessible(page)
