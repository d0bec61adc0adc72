"""The export page and API: a form with the GOV.UK error summary, then the file as a download."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safehub.db.database import Database
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies, case_for, person_id

WORKER = "social_worker@la-bradford"


def _case(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> tuple[PageClient, int]:
    client = signed_in("social_worker", "LA-BRADFORD")
    return client, case_for(app_db, aisha_across_agencies(app_db, tmp_path), [WORKER])


def test_the_export_form_names_each_problem_then_downloads_the_file_uncached(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    client, case_id = _case(signed_in, app_db, tmp_path)
    child = person_id(app_db, "LA-BRADFORD", "C-77")
    assert client.get(f"/people/{child}/export").status_code == 200  # the person's form too
    form = client.get(f"/cases/{case_id}/export")
    assert form.status_code == 200 and "What is the export for?" in form.text
    csrf = client.csrf(f"/cases/{case_id}/export")

    wrong = client.post(f"/cases/{case_id}/export", data={"csrf_token": csrf, "format": "csv"})
    assert wrong.status_code == 400 and "There is a problem" in wrong.text
    assert 'href="#purpose"' in wrong.text and 'href="#recipients"' in wrong.text
    assert "<title>Error: " in wrong.text

    done = client.post(
        f"/cases/{case_id}/export",
        data={
            "csrf_token": csrf,
            "purpose": "strategy_discussion",
            "format": "csv",
            "recipients": "DS Patel, West Yorkshire Police\nConference chair",
        },
    )
    assert done.status_code == 200 and done.headers["content-type"].startswith("text/csv")
    assert done.headers["content-disposition"].startswith('attachment; filename="CASE-')
    assert done.headers["cache-control"] == "no-store"
    assert done.content.startswith(b"\xef\xbb\xbfOFFICIAL-SENSITIVE")
    assert b"School raised concerns" in done.content  # the council's own referral


def test_the_export_form_refuses_a_post_without_the_forms_token(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    client, case_id = _case(signed_in, app_db, tmp_path)
    sent = client.post(
        f"/cases/{case_id}/export",
        data={"purpose": "strategy_discussion", "format": "csv", "recipients": "DS Patel"},
    )
    assert sent.status_code == 403 and not sent.headers["content-type"].startswith("text/csv")


def test_the_api_returns_a_pdf_and_refuses_an_unknown_purpose_naming_the_valid_ones(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    client, case_id = _case(signed_in, app_db, tmp_path)
    headers = {"X-CSRF-Token": client.csrf("/")}
    body = {"purpose": "child_protection_conference", "format": "pdf", "recipients": ["Chair"]}
    made = client.post(f"/api/v1/cases/{case_id}/exports", json=body, headers=headers)
    assert made.status_code == 200 and made.content.startswith(b"%PDF-")
    assert made.headers["content-type"] == "application/pdf"
    refused = client.post(
        f"/api/v1/cases/{case_id}/exports",
        headers=headers,
        json={**body, "purpose": "press_release"},
    )
    assert refused.status_code == 422
    assert "subject_access_request" in refused.json()["detail"]


def test_a_role_without_the_export_permission_gets_page_not_found(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    client = signed_in("data_protection_officer", "LA-BRADFORD")
    case_id = case_for(app_db, aisha_across_agencies(app_db, tmp_path), [])
    assert client.get(f"/cases/{case_id}/export").status_code == 404
