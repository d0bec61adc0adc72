"""Signing in with both factors in a real browser: an authenticator app on a first sign-in, and
a passkey made by Chromium's virtual authenticator (WebAuthn over the DevTools protocol).

Kept in tests/browser (not tests/signin) to share its one session-wide Chromium: a second
Playwright instance in the same process fails.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from safehub.db.database import Database
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.signin.helpers import finish_browser_sign_in, unused_code

pytestmark = pytest.mark.browser


def _password(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_signing_in_sets_up_an_authenticator_app_then_asks_for_its_code(
    page: Page, live_server: str, make_user: Callable[..., str], app_db: Database
) -> None:
    username = make_user("social_worker")
    _password(page, live_server, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct code")
    assert_accessible(page)
    finish_browser_sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your work")

    page.get_by_role("button", name="Sign out").click()
    _password(page, live_server, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    page.get_by_label("Code").fill(unused_code(app_db, username))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your work")


def test_a_passkey_from_a_virtual_authenticator_signs_in(
    page: Page, live_server: str, make_user: Callable[..., str]
) -> None:
    # Browsers take "localhost" as a relying party id, never an IP address.
    base = live_server.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    username = make_user("social_worker")
    _password(page, base, username)
    finish_browser_sign_in(page)

    page.get_by_role("link", name="Your account").click()
    page.get_by_label("Name for the new passkey").fill("Virtual key")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    expect(page.get_by_role("cell", name="Virtual key", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    _password(page, base, username)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your work")
