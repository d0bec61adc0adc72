"""The public app: its own pages in English and Welsh, no staff page, nothing from another host."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safehub.db.database import Database
from safehub.public.app import create_public_app
from tests.pagecheck import check_page


@pytest.fixture
def public(db: Database) -> Iterator[TestClient]:
    with TestClient(create_public_app(db), base_url="https://testserver") as client:
        yield client


def test_the_start_page_is_in_english_with_a_link_to_the_welsh_version(public: TestClient) -> None:
    page = public.get("/")
    assert page.status_code == 200
    check_page(page.text)
    assert '<html lang="en"' in page.text
    assert 'href="/cy"' in page.text and "Cymraeg" in page.text
    assert "call 999" in page.text


def test_the_welsh_start_page_is_marked_as_welsh(public: TestClient) -> None:
    page = public.get("/cy")
    assert page.status_code == 200
    check_page(page.text)
    assert '<html lang="cy"' in page.text and "ffoniwch 999" in page.text


@pytest.mark.parametrize("path", ["/people", "/sign-in", "/api/v1/docs", "/api/v1/openapi.json"])
def test_no_staff_page_or_api_is_served(public: TestClient, path: str) -> None:
    assert public.get(path).status_code == 404


def test_nothing_is_loaded_from_another_host(public: TestClient) -> None:
    page = public.get("/").text
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses and all(a.startswith(("/", "#")) for a in addresses)
    policy = public.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy


def test_the_shared_assets_are_served(public: TestClient) -> None:
    assert public.get("/static/govuk/govuk-frontend.min.css").status_code == 200
