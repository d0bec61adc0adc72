"""A test client on the real app and database, and signed-in users of any role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from safehub.db.database import Database
from tests.conftest import PASSWORD
from tests.pagecheck import check_page

__all__ = ["PASSWORD"]


class PageClient(TestClient):
    """A client that checks every HTML page it loads."""

    def request(self, method: str, url: httpx._types.URLTypes, **kwargs: object) -> httpx.Response:  # type: ignore[override]
        response = super().request(method, url, **kwargs)  # type: ignore[arg-type]
        if response.headers.get("content-type", "").startswith("text/html"):
            check_page(response.text)
        return response

    def csrf(self, path: str = "/") -> str:
        # Followed: the oversight body's home is a redirect to its portal.
        page = self.get(path, follow_redirects=True).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no csrf token on the page"
        return match.group(1)


@pytest.fixture
def client(app_db: Database) -> Iterator[PageClient]:
    from safehub.web.app import create_app

    with PageClient(create_app(app_db), base_url="https://testserver", follow_redirects=False) as c:
        yield c


@pytest.fixture
def signed_in(client: PageClient, make_user: Callable[..., str]) -> Callable[..., PageClient]:
    def sign_in(role: str = "social_worker", agency: str = "LA-BRADFORD") -> PageClient:
        username = make_user(role, agency)
        # A password alone does not sign in: both steps, with a real code.
        from tests.signin.helpers import complete_sign_in

        return complete_sign_in(client, username)  # type: ignore[no-any-return]

    return sign_in
