"""The public app's shared error pages speak the language of the address: under ``/cy`` the
not-found, expired-form and service-problem pages are in Welsh, marked ``lang="cy"``, with the
link to the same address in English; elsewhere in English with the link to Welsh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from safehub.db.database import Database
from safehub.public.app import create_public_app
from safehub.public.texts import texts
from tests.pagecheck import check_page
from tests.public_app.test_welsh_come_back import english_left

CY, EN = texts("cy"), texts("en")


def _broken() -> None:
    raise RuntimeError("a fault the page must not show")


@pytest.fixture
def public(db: Database) -> Iterator[TestClient]:
    app: FastAPI = create_public_app(db)
    # A route that fails, in each language, to see the service-problem page (500).
    app.add_api_route("/cy/broken", _broken)
    app.add_api_route("/broken", _broken)
    with TestClient(
        app, base_url="https://testserver", follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client


def test_a_welsh_address_that_does_not_exist_is_answered_in_welsh(public: TestClient) -> None:
    page = public.get("/cy/report/nowhere")
    assert page.status_code == 404
    check_page(page.text)
    assert '<html lang="cy"' in page.text
    assert CY["not_found_title"].replace("'", "&#39;") in page.text
    assert 'href="/report/nowhere" hreflang="en"' in page.text  # the language switch
    assert 'href="/cy"' in page.text  # the Welsh start page
    assert english_left(page.text) == set()


def test_an_english_address_that_does_not_exist_is_answered_in_english(
    public: TestClient,
) -> None:
    page = public.get("/report/nowhere")
    assert page.status_code == 404
    check_page(page.text)
    assert '<html lang="en"' in page.text and EN["not_found_title"] in page.text
    assert 'href="/cy/report/nowhere" hreflang="cy"' in page.text


def test_a_failure_under_cy_is_a_welsh_page_with_its_reference_and_no_trace(
    public: TestClient,
) -> None:
    page = public.get("/cy/broken")
    assert page.status_code == 500
    check_page(page.text)
    assert '<html lang="cy"' in page.text
    assert CY["broken_title"].replace("'", "&#39;") in page.text
    assert CY["error_reference"] in page.text and "ffoniwch 999" in page.text
    assert "RuntimeError" not in page.text and "a fault" not in page.text
    assert 'href="/broken" hreflang="en"' in page.text
    assert english_left(page.text) == set()
    english = public.get("/broken")
    assert english.status_code == 500 and EN["broken_title"] in english.text


def test_a_welsh_form_sent_without_its_token_says_so_in_welsh(public: TestClient) -> None:
    page = public.post("/cy/report/what", data={"what_seen": "something"})
    assert page.status_code == 403
    assert '<html lang="cy"' in page.text
    assert CY["expired_title"] in page.text
    assert english_left(page.text) == set()
