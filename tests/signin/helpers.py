"""Completing a sign-in in tests: the password, then a valid authenticator-app code.

Used by every web and browser test that needs a signed-in user (``tests/web/conftest.py``,
``tests/browser/test_journeys.py``). A first sign-in goes through the real set-up page (the
secret is read from the page, as a person would read it); later ones read the secret from the
database and choose a code that has not been used yet.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyotp
from sqlalchemy import text

from safehub.db.database import Database
from safehub.services.accounts.mfa import totp_bound_to
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

SECRET_ON_PAGE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
CSRF_ON_PAGE = re.compile(r'name="csrf_token" value="([^"]+)"')


def complete_sign_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Sign ``username`` in on a TestClient through both steps; returns the client."""
    first = client.post("/sign-in", data={"username": username, "password": password})
    assert first.status_code == 303, first.text
    if first.headers["location"] == "/sign-in/set-up":
        submit_set_up_code(client)
        return client
    page = client.get("/sign-in/code")
    code = unused_code(client.app.state.db, username, _now(client))
    done = client.post(
        "/sign-in/code", data={"csrf_token": _match(CSRF_ON_PAGE, page.text), "code": code}
    )
    assert done.status_code == 303, done.text
    return client


def submit_set_up_code(client: Any) -> Any:
    """On a first sign-in, after the password: read the key from the set-up page as a person
    would, and send the app's code; returns the response (the recovery codes page)."""
    page = client.get("/sign-in/set-up")
    assert page.status_code == 200, page.text
    code = pyotp.TOTP(_match(SECRET_ON_PAGE, page.text)).at(_now(client))
    done = client.post(
        "/sign-in/set-up", data={"csrf_token": _match(CSRF_ON_PAGE, page.text), "code": code}
    )
    assert done.status_code == 200 and "Save your recovery codes" in done.text, done.text
    return done


def unused_code(db: Database, username: str, now: datetime | None = None) -> str:
    """A valid code for the user that the replay check will accept (this step's, or the next
    one's when this step's code has been used already)."""
    secret, last_used = totp_state(db, username)
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now or datetime.now(UTC))
    if last_used is not None and step <= last_used:
        step = last_used + 1
    return totp.generate_otp(step)


def totp_state(db: Database, username: str) -> tuple[str, int | None]:
    """The user's TOTP secret (opened with the application's key: it is stored sealed) and the
    step of the last code accepted."""
    with db.owner_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT t.user_id, t.secret, t.last_used_step FROM mfa_totp t "
                "JOIN app_user u ON u.id = t.user_id "
                "WHERE u.username = :u AND t.confirmed_at IS NOT NULL"
            ),
            {"u": username},
        ).one()
    return db.secrets.unseal(row[1], bound_to=totp_bound_to(row[0])), row[2]


def browser_sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the pages: username and password, then the second factor (first time)."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_browser_sign_in(page)


def finish_browser_sign_in(page: Page, db: Database | None = None, username: str = "") -> None:
    """In a browser, after the password: set up the app on a first sign-in (reading the key
    from the page), else enter an unused code (reading the secret from ``db``)."""
    from playwright.sync_api import expect

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("Set up an authenticator app|Enter the code"))
    if "Set up" in heading.inner_text():
        secret = page.locator("#totp-secret").inner_text().strip()
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continue").click()
        expect(heading).to_have_text("Save your recovery codes")
        page.get_by_role("link", name="Continue to Safehub").click()
        return
    assert db is not None, "an enrolled user's code needs the database"
    page.get_by_label("Code").fill(unused_code(db, username))
    page.get_by_role("button", name="Continue").click()


def _now(client: Any) -> datetime:
    clock = getattr(client.app.state, "clock", None)
    return clock() if clock is not None else datetime.now(UTC)


def _match(pattern: re.Pattern[str], html: str) -> str:
    found = pattern.search(html)
    assert found, f"{pattern.pattern!r} not on the page"
    return found.group(1)
