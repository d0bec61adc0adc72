"""The sign-in pages through the real app: no user enumeration, CSRF on every form, the
security headers on every page, and the account page's own settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.accounts.users import disable_user
from tests.conftest import PASSWORD
from tests.signin.flows import SYSTEM, user_id
from tests.signin.helpers import CSRF_ON_PAGE, complete_sign_in, unused_code
from tests.web.conftest import PageClient

NONCE = re.compile(r'nonce="[^"]+"')


def _body(html: str, username: str) -> str:
    return NONCE.sub("", html).replace(username, "USERNAME")


def _post_password(
    client: PageClient, username: str, password: str = "not the password"
) -> tuple[int, str]:
    response = client.post("/sign-in", data={"username": username, "password": password})
    return response.status_code, _body(response.text, username)


def test_unknown_user_wrong_password_and_disabled_account_get_the_same_answer(
    client: PageClient, make_user: Callable[..., str], app_db: Database
) -> None:
    known = make_user("social_worker")
    disabled = make_user("team_manager")
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        disable_user(uow, target_user_id=user_id(app_db, disabled), reason="test")
        uow.commit()
    wrong = _post_password(client, known)
    unknown = _post_password(client, "nobody@la-bradford")
    gone = _post_password(client, disabled, PASSWORD)  # even with the right password
    assert wrong == unknown == gone
    assert wrong[0] == 400 and "Enter a correct username and password" in wrong[1]


def test_a_locked_account_and_a_locked_unknown_name_get_the_same_answer(
    client: PageClient, make_user: Callable[..., str]
) -> None:
    known = make_user("social_worker")
    answers = []
    for name in (known, "nobody@la-bradford"):
        for _ in range(5):
            _post_password(client, name)
        answers.append(_post_password(client, name, PASSWORD))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429 and "too many attempts" in answers[0][1]


def test_the_password_step_alone_does_not_open_any_page(
    client: PageClient, make_user: Callable[..., str]
) -> None:
    response = client.post("/sign-in", data={"username": make_user(), "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in/set-up"
    for path in ("/", "/account", "/people"):
        page = client.get(path)
        assert page.status_code == 303 and page.headers["location"] == "/sign-in", path
    assert client.get("/api/v1/stats").status_code == 401


def test_a_second_factor_form_without_its_csrf_token_signs_nobody_in(
    client: PageClient, make_user: Callable[..., str], app_db: Database
) -> None:
    username = make_user()
    complete_sign_in(client, username)
    client.cookies.clear()
    client.post("/sign-in", data={"username": username, "password": PASSWORD})
    code = unused_code(app_db, username)
    forged = client.post("/sign-in/code", data={"code": code})
    assert forged.status_code == 303 and forged.headers["location"] == "/sign-in"
    assert "__Host-safehub-session" not in forged.headers.get("set-cookie", "")


def test_signing_in_with_a_code_from_the_code_page(
    client: PageClient, make_user: Callable[..., str], app_db: Database
) -> None:
    username = make_user()
    complete_sign_in(client, username)  # the first time sets up the app
    client.cookies.clear()
    first = client.post("/sign-in", data={"username": username, "password": PASSWORD})
    assert first.headers["location"] == "/sign-in/code"
    page = client.get("/sign-in/code")
    assert "Enter the code from your authenticator app" in page.text
    csrf = CSRF_ON_PAGE.search(page.text).group(1)  # type: ignore[union-attr]
    wrong = client.post("/sign-in/code", data={"csrf_token": csrf, "code": "000000"})
    assert wrong.status_code == 400 and "Enter a correct code" in wrong.text
    right = client.post(
        "/sign-in/code", data={"csrf_token": csrf, "code": unused_code(app_db, username)}
    )
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert client.get("/").status_code == 200


def test_the_password_ok_state_expires_after_five_minutes(
    client: PageClient, make_user: Callable[..., str]
) -> None:
    start = datetime.now(UTC)
    client.app.state.clock = lambda: start  # type: ignore[attr-defined]
    client.post("/sign-in", data={"username": make_user(), "password": PASSWORD})
    assert client.get("/sign-in/set-up").status_code == 200
    client.app.state.clock = lambda: start + timedelta(minutes=5, seconds=1)  # type: ignore[attr-defined]
    late = client.get("/sign-in/set-up")
    assert late.status_code == 303 and late.headers["location"] == "/sign-in"


def _pages(client: PageClient) -> list[str]:
    return [
        "/sign-in",
        "/sign-in/set-up",
        "/account",
        "/account/password",
        "/",
        "/people",
        "/api/v1/stats",
    ]


@pytest.mark.parametrize("signed", [False, True])
def test_every_sign_in_and_account_page_carries_the_security_headers(
    client: PageClient, make_user: Callable[..., str], signed: bool
) -> None:
    username = make_user()
    if signed:
        complete_sign_in(client, username)
    else:
        client.post("/sign-in", data={"username": username, "password": PASSWORD})
    for path in _pages(client):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp, path
        assert headers["strict-transport-security"].startswith("max-age=31536000"), path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["cache-control"] == "no-store", path


def test_new_recovery_codes_from_the_account_page(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    page = client.get("/account")
    assert "10 unused recovery codes" in page.text
    csrf = client.csrf("/account")
    assert client.post("/account/recovery-codes").status_code == 403  # no token
    fresh = client.post("/account/recovery-codes", data={"csrf_token": csrf})
    assert fresh.status_code == 200
    assert len(re.findall(r"<code>[A-Z2-7]{4}(?:-[A-Z2-7]{4}){5}</code>", fresh.text)) == 10


def test_a_common_new_password_is_refused_with_the_reason(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    csrf = client.csrf("/account/password")
    response = client.post(
        "/account/password", data={"csrf_token": csrf, "current": PASSWORD, "new": "password123456"}
    )
    assert response.status_code == 400 and "not a commonly used one" in response.text
    ok = client.post(
        "/account/password",
        data={"csrf_token": csrf, "current": PASSWORD, "new": "kettle lantern orchard ribbon"},
    )
    assert ok.status_code == 303
