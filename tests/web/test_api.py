"""The JSON API: the same services as the pages, versioned and documented."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safehub.db.database import Database
from tests.factories import extract_row, write_extract
from tests.web.conftest import PageClient
from tests.web.helpers import (
    aisha_across_agencies,
    case_for,
    second_council,
    share_between_demo_agencies,
)


def test_the_openapi_document_lists_every_operation(client: PageClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "search_people",
        "get_person",
        "get_case",
        "create_referral",
        "import_extract",
        "get_stats",
    } <= operations


def test_the_api_answers_401_without_a_session(client: PageClient) -> None:
    assert client.get("/api/v1/stats").status_code == 401


def test_search_and_person_through_the_api(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    police_child, _ = aisha_across_agencies(app_db, tmp_path)
    client = signed_in("police_investigator", "POL-WY")  # the police hold this record
    hits = client.get("/api/v1/people", params={"name": "aisha"}).json()
    assert [h["person_id"] for h in hits] == [police_child]
    person = client.get(f"/api/v1/people/{police_child}").json()
    assert {i["normalised"] for i in person["identifiers"]} == {"+447700900123"}
    assert person["records"][0]["indicators"] == ["missing", "taxis_cars"]


def test_case_chronology_through_the_api_is_in_date_order(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    children = aisha_across_agencies(app_db, tmp_path)
    share_between_demo_agencies(app_db)  # the police records reach social care under an agreement
    client = signed_in()
    case_id = case_for(app_db, children, ["social_worker@la-bradford"])
    case = client.get(f"/api/v1/cases/{case_id}").json()
    dates = [e["date"] for e in case["chronology"]]
    assert dates == sorted(dates) and len(dates) == 2


def test_a_referral_through_the_api_needs_the_csrf_header(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl")
    body = {
        "given_names": "Aisha",
        "family_name": "Hussain",
        "date_of_birth": "2011-07-03",
        "concern_type": "sexual_exploitation",
        "concern": "Collected from school by adult men.",
        "immediate_danger": False,
    }
    assert client.post("/api/v1/referrals", json=body).status_code == 403
    created = client.post(
        "/api/v1/referrals", json=body, headers={"X-CSRF-Token": client.csrf("/")}
    )
    assert created.status_code == 201 and created.json()["reference"].startswith("REF-")


def test_an_invalid_referral_names_the_field(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in("school_dsl")
    response = client.post(
        "/api/v1/referrals",
        headers={"X-CSRF-Token": client.csrf("/")},
        json={
            "given_names": "",
            "family_name": "X",
            "concern_type": "x",
            "concern": "short",
            "immediate_danger": True,
        },
    )
    assert response.status_code == 422
    detail = " ".join(response.json()["detail"])
    assert "given_names" in detail and "concern_type" in detail and "concern:" in detail
    # The same messages as the form's, which say how to put each right.
    assert "Enter the child's first name" in detail


def test_a_referral_body_of_the_wrong_shape_names_the_field(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl")
    response = client.post(
        "/api/v1/referrals",
        headers={"X-CSRF-Token": client.csrf("/")},
        json={
            "given_names": "A",
            "family_name": "X",
            "concern_type": "missing",
            "concern": "Found in a car with two adult men.",
            "immediate_danger": "maybe",
        },
    )
    assert response.status_code == 422
    assert "immediate_danger" in " ".join(response.json()["detail"])


def test_a_force_covering_two_councils_names_the_council_through_the_api(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    rochdale_id = second_council(app_db)
    client = signed_in("police_investigator", "POL-WY")
    headers = {"X-CSRF-Token": client.csrf("/")}
    body = {
        "given_names": "Aisha",
        "family_name": "Hussain",
        "concern_type": "missing",
        "concern": "Found in a car with two adult men.",
        "immediate_danger": False,
    }
    refused = client.post("/api/v1/referrals", json=body, headers=headers)
    assert refused.status_code == 422
    assert "council_agency_id" in refused.json()["detail"][0]
    assert f"{rochdale_id} (Rochdale)" in refused.json()["detail"][0]
    created = client.post(
        "/api/v1/referrals", json={**body, "council_agency_id": rochdale_id}, headers=headers
    )
    assert created.status_code == 201


def test_an_import_through_the_api_is_all_or_nothing(
    signed_in: Callable[..., PageClient], tmp_path: Path
) -> None:
    client = signed_in("police_analyst", "POL-WY")
    token = client.csrf("/")
    bad = write_extract(
        tmp_path / "bad.csv", [extract_row(), extract_row(person_ref="P-2", record_date="x")]
    )
    rejected = client.post(
        "/api/v1/imports",
        headers={"X-CSRF-Token": token},
        files={"extract": ("bad.csv", bad.read_bytes(), "text/csv")},
    )
    assert rejected.status_code == 422 and rejected.json()["imported"] is False
    assert rejected.json()["problems"] == [
        "bad.csv: row 3, column record_date: not a date; write it as YYYY-MM-DD (got 'x')"
    ]
    assert client.get("/api/v1/stats").json()["records"] == 0
    good = write_extract(tmp_path / "good.csv", [extract_row()])
    accepted = client.post(
        "/api/v1/imports",
        headers={"X-CSRF-Token": token},
        files={"extract": ("good.csv", good.read_bytes(), "text/csv")},
    )
    assert accepted.status_code == 200 and accepted.json()["records_new"] == 1
