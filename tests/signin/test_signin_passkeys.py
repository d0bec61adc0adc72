"""Passkeys verified server-side with a software authenticator: added from the account page,
then used as the second factor; a replayed or foreign answer is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.conftest import PASSWORD
from tests.signin.authenticator import SoftwareAuthenticator
from tests.signin.helpers import CSRF_ON_PAGE
from tests.web.conftest import PageClient

ORIGIN, RP_ID = "https://testserver", "testserver"


def _add_passkey(client: PageClient, authenticator: SoftwareAuthenticator) -> Any:
    csrf = client.csrf("/account")
    options = client.post("/account/passkeys/options", headers={"X-CSRF-Token": csrf}).json()
    assert options["rp"]["id"] == RP_ID
    return client.post(
        "/account/passkeys?name=Work laptop",
        headers={"X-CSRF-Token": csrf},
        content=json.dumps(authenticator.create(options)),
    )


def _to_passkey_step(client: PageClient, username: str) -> str:
    client.cookies.clear()
    client.post("/sign-in", data={"username": username, "password": PASSWORD})
    page = client.get("/sign-in/code")
    assert 'data-passkey="get"' in page.text
    return CSRF_ON_PAGE.search(page.text).group(1)  # type: ignore[union-attr]


def _options(client: PageClient, csrf: str) -> dict[str, Any]:
    response = client.post("/sign-in/passkey/options", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    options: dict[str, Any] = response.json()
    return options


def test_a_passkey_added_on_the_account_page_signs_in(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    authenticator = SoftwareAuthenticator(ORIGIN, RP_ID)
    added = _add_passkey(client, authenticator)
    assert added.status_code == 200 and added.json()["redirect"].startswith("/account")
    assert "Work laptop" in client.get("/account").text
    username = "social_worker@la-bradford"
    csrf = _to_passkey_step(client, username)
    answer = client.post(
        "/sign-in/passkey",
        headers={"X-CSRF-Token": csrf},
        content=json.dumps(authenticator.get(_options(client, csrf))),
    )
    assert answer.status_code == 200 and answer.json() == {"redirect": "/"}
    assert client.get("/").status_code == 200


def test_a_replayed_passkey_answer_is_refused(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    authenticator = SoftwareAuthenticator(ORIGIN, RP_ID)
    _add_passkey(client, authenticator)
    csrf = _to_passkey_step(client, "social_worker@la-bradford")
    first = authenticator.get(_options(client, csrf))
    _options(client, csrf)  # a new challenge: the old answer no longer fits
    replay = client.post(
        "/sign-in/passkey", headers={"X-CSRF-Token": csrf}, content=json.dumps(first)
    )
    assert replay.status_code == 400
    assert client.get("/").status_code == 303


def test_an_answer_made_for_another_site_is_refused(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    _add_passkey(client, SoftwareAuthenticator(ORIGIN, RP_ID))
    csrf = _to_passkey_step(client, "social_worker@la-bradford")
    # The same key, used by a look-alike site that relays our challenge (phishing).
    phished = SoftwareAuthenticator("https://safehub-login.example", RP_ID)
    answer = client.post(
        "/sign-in/passkey",
        headers={"X-CSRF-Token": csrf},
        content=json.dumps(phished.get(_options(client, csrf))),
    )
    assert answer.status_code == 400
    assert client.get("/").status_code == 303


def test_a_passkey_can_be_removed(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    _add_passkey(client, SoftwareAuthenticator(ORIGIN, RP_ID))
    page = client.get("/account").text
    action = page.split('action="/account/passkeys/')[1].split('"')[0]
    csrf = client.csrf("/account")
    assert client.post(f"/account/passkeys/{action}", data={"csrf_token": csrf}).status_code == 303
    assert "You have no passkeys" in client.get("/account").text
