"""The staff pages, through the real app and database; every page passes the page checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safehub.db.database import Database
from tests.web.conftest import PASSWORD, PageClient
from tests.web.helpers import aisha_across_agencies, case_for, share_between_demo_agencies


def test_pages_need_a_signed_in_user(client: PageClient) -> None:
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    client: PageClient, make_user: Callable[..., str]
) -> None:
    make_user("social_worker")
    wrong = client.post(
        "/sign-in", data={"username": "social_worker@la-bradford", "password": "nope"}
    )
    unknown = client.post("/sign-in", data={"username": "nobody@la-bradford", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Enter a correct username and password" in wrong.text
    assert wrong.text.replace("social_worker@la-bradford", "X") == unknown.text.replace(
        "nobody@la-bradford", "X"
    ).replace(_nonce(unknown.text), _nonce(wrong.text))


def _nonce(html: str) -> str:
    import re

    match = re.search(r'nonce="([^"]+)"', html)
    return match.group(1) if match else ""


def test_signing_in_sets_a_secure_host_only_cookie_and_shows_the_home_page(
    client: PageClient, make_user: Callable[..., str]
) -> None:
    # The session cookie is set after the second factor, not the password.
    from tests.signin.helpers import submit_set_up_code

    username = make_user("social_worker")
    response = client.post("/sign-in", data={"username": username, "password": PASSWORD})
    assert response.headers["set-cookie"].startswith("__Host-safehub-signin=")
    cookie = submit_set_up_code(client).headers["set-cookie"]
    assert cookie.startswith("__Host-safehub-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    home = client.get("/")
    assert home.status_code == 200 and "Your work, Test social_worker" in home.text


def test_signing_out_ends_the_session_on_the_server(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    token = client.csrf("/")
    cookie = client.cookies.get("__Host-safehub-session")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert cookie
    client.cookies.clear()
    # Replaying the old cookie must not work: the session ended on the server, not just in the browser.
    replay = client.get("/", headers={"Cookie": f"__Host-safehub-session={cookie}"})
    assert replay.status_code == 303 and replay.headers["location"] == "/sign-in"


def test_a_form_without_its_csrf_token_is_refused(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    response = client.post("/referrals/new/child", data={"given_names": "A", "family_name": "B"})
    assert response.status_code == 403


def test_every_page_carries_security_headers(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    for path in ("/sign-in", "/", "/people", "/referrals/new/child", "/api/v1/stats"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert headers["x-request-id"]


def test_search_finds_a_child_by_part_of_a_name_and_shows_who_knows_her(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    aisha_across_agencies(app_db, tmp_path)
    client = signed_in()
    page = client.get("/people", params={"name": "hussein"})
    assert (
        "1 person found" in page.text
        and "Ayesha Hussein" in page.text
        and "Bradford Children&#39;s Social Care" in page.text
    )


def test_search_with_too_little_typed_shows_an_error_naming_the_field(
    signed_in: Callable[..., PageClient],
) -> None:
    page = signed_in().get("/people", params={"name": "a", "dob": "31/02/2011"})
    assert page.status_code == 400
    assert 'href="#name"' in page.text and "Enter at least 2 letters of a name" in page.text
    assert 'href="#dob"' in page.text and "Enter the date of birth as 3/7/2011" in page.text


def test_the_person_page_shows_identifiers_and_records_by_agency(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    police_child, _ = aisha_across_agencies(app_db, tmp_path)
    page = signed_in("police_investigator", "POL-WY").get(f"/people/{police_child}")
    assert page.status_code == 200
    assert "07700 900123" in page.text and "+447700900123" in page.text
    assert "West Yorkshire Police" in page.text and "Crime report CR-1" in page.text
    assert "Going missing" in page.text


def test_the_case_chronology_merges_agencies_in_date_order_and_filters(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    children = aisha_across_agencies(app_db, tmp_path)
    share_between_demo_agencies(app_db)  # the police records reach social care under an agreement
    client = signed_in()
    case_id = case_for(app_db, children, ["social_worker@la-bradford"])
    page = client.get(f"/cases/{case_id}")
    assert page.text.index("10 February 2025") < page.text.index("1 March 2025")
    assert "School raised concerns" in page.text and "Missing overnight" in page.text
    police_only = client.get(f"/cases/{case_id}", params={"agency": "POL-WY"})
    assert (
        "Missing overnight" in police_only.text and "School raised concerns" not in police_only.text
    )
    referrals_only = client.get(f"/cases/{case_id}", params={"kind": "referral"})
    assert (
        "School raised concerns" in referrals_only.text
        and "Missing overnight" not in referrals_only.text
    )


def test_a_missing_case_and_a_forbidden_page_look_the_same(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("social_worker")
    missing = client.get("/cases/999999")
    forbidden = client.get("/imports")  # a social worker may not import extracts
    assert missing.status_code == forbidden.status_code == 404
    assert "Page not found" in missing.text and "Page not found" in forbidden.text


def test_a_police_analyst_can_upload_an_extract_and_see_what_was_imported(
    signed_in: Callable[..., PageClient], tmp_path: Path
) -> None:
    from tests.factories import extract_row, write_extract

    client = signed_in("police_analyst", "POL-WY")
    token = client.csrf("/imports")
    path = write_extract(tmp_path / "upload.csv", [extract_row()])
    response = client.post(
        "/imports",
        data={"csrf_token": token},
        files={"extract": ("upload.csv", path.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200 and "Extract imported" in response.text
    assert "1 rows: 1 new records" in response.text


def test_an_upload_with_a_bad_row_imports_nothing_and_lists_the_problem(
    signed_in: Callable[..., PageClient], tmp_path: Path
) -> None:
    from tests.factories import extract_row, write_extract

    client = signed_in("police_analyst", "POL-WY")
    token = client.csrf("/imports")
    path = write_extract(tmp_path / "upload.csv", [extract_row(record_type="crime")])
    response = client.post(
        "/imports",
        data={"csrf_token": token},
        files={"extract": ("upload.csv", path.read_bytes(), "text/csv")},
    )
    assert response.status_code == 400 and "Nothing was imported" in response.text
    assert "upload.csv: row 2, column record_type: expected one of" in response.text
    assert client.get("/api/v1/stats").json()["records"] == 0
