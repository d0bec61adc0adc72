"""The access matrix: every role × every kind of object × every route, allowed or denied, run
twice: with the application's checks, and with them switched off so that PostgreSQL row-level
security alone must hold. A denial looks exactly like a page that does not exist."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safehub.access import ROLES
from safehub.access.checks import app_checks_off
from safehub.http.context import SESSION_COOKIE
from tests.access.conftest import OWN, SECRET, World

CASEWORK = {
    "police_investigator",
    "police_analyst",
    "social_worker",
    "mash_triage",
    "health_practitioner",
    "team_manager",
    "head_of_service",
}
# What a user of the own agency may open: person refs and case keys.
PEOPLE_OPEN = {"C-OWN", "P-MEMBER", "P-INVOLVED", "C-RESTRICTED"}
PEOPLE_SHUT = {"P-OTHER", "P-RESTRICTED"}
CASES_OPEN = {"member", "involved"}
CASES_SHUT = {"neither"}
PERSON_ROUTES = ("/people/{id}", "/api/v1/people/{id}", "/api/v1/people/{id}/sealed")
CASE_ROUTES = ("/cases/{id}", "/api/v1/cases/{id}")
MISSING = 987654


@pytest.fixture(params=["app_and_rls", "rls_alone"])
def mode(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "rls_alone":
        with app_checks_off():
            yield request.param
    else:
        yield request.param


def _get(client: TestClient, world: World, role: str, url: str) -> tuple[int, str]:
    response = client.get(url, headers={"Cookie": f"{SESSION_COOKIE}={world.session_for(role)[0]}"})
    return response.status_code, _normalised(response.text)


def _normalised(body: str) -> str:
    """The body without what differs between any two requests (request id, CSP nonce)."""
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r'"request_id":\s*"[^"]*"', '"request_id":""', body)
    return re.sub(r"<strong>[0-9a-f-]{8,}</strong>", "<strong></strong>", body)


def _may_open(role: str, mode: str) -> bool:
    """Whether the role opens need-to-know objects: by its permissions with the app's checks, by
    row-level security alone (every role but oversight sees identifiable rows) without them."""
    return role in CASEWORK if mode == "app_and_rls" else role != "oversight_inspector"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_person_routes_open_only_to_those_who_need_to_know(
    client: TestClient, world: World, role: str, mode: str
) -> None:
    for route in PERSON_ROUTES:
        _, missing = _get(client, world, role, route.format(id=MISSING))
        for ref in sorted(PEOPLE_OPEN | PEOPLE_SHUT):
            status, body = _get(client, world, role, route.format(id=world.people[ref]))
            allowed = ref in PEOPLE_OPEN and _may_open(role, mode)
            assert (status == 200) == allowed, (role, route, ref, status)
            if not allowed:
                assert status == 404 and body == missing, (role, route, ref)
            assert SECRET not in body and "Witnessby" not in body, (role, route, ref)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_case_routes_open_to_the_team_and_involved_agencies_only(
    client: TestClient, world: World, role: str, mode: str
) -> None:
    for route in CASE_ROUTES:
        _, missing = _get(client, world, role, route.format(id=MISSING))
        for key in sorted(CASES_OPEN | CASES_SHUT):
            status, body = _get(client, world, role, route.format(id=world.cases[key]))
            allowed = key in CASES_OPEN and _may_open(role, mode)
            assert (status == 200) == allowed, (role, route, key, status)
            if not allowed:
                assert status == 404 and body == missing, (role, route, key)
            assert SECRET not in body, (role, route, key)


@pytest.mark.parametrize("route", ["/people?name={q}", "/api/v1/people?name={q}"])
def test_search_finds_only_people_the_user_may_see_never_one_restricted_elsewhere(
    client: TestClient, world: World, route: str, mode: str
) -> None:
    for name, ref, findable in (
        ("Witnessby", "P-RESTRICTED", False),
        ("Otherton", "P-OTHER", False),
        ("Refugeton", "C-RESTRICTED", True),
        ("Ownby", "C-OWN", True),
        ("Memberley", "P-MEMBER", False),
    ):
        status, body = _get(client, world, "social_worker", route.format(q=name))
        link = (
            f'/people/{world.people[ref]}"'
            if route.startswith("/people")
            else f'"person_id":{world.people[ref]}'
        )
        assert status == 200 and (link in body) == findable, (route, name)


def test_a_case_childs_other_agency_records_are_a_sealed_envelope_with_a_contact(
    client: TestClient, world: World, mode: str
) -> None:
    status, body = _get(client, world, "social_worker", f"/people/{world.people['P-MEMBER']}")
    assert status == 200
    assert "Records not open to you" in body and "West Yorkshire Police" in body
    assert SECRET not in body and "Memberley" not in body


def test_the_oversight_inspector_reads_no_identifiable_row_even_without_the_apps_checks(
    client: TestClient, world: World, mode: str
) -> None:
    for ref in sorted(PEOPLE_OPEN):
        status, _ = _get(
            client, world, "oversight_inspector", f"/api/v1/people/{world.people[ref]}"
        )
        assert status == 404


def test_a_restricted_person_is_open_inside_the_agency_that_restricted_them(
    client: TestClient, world: World, mode: str
) -> None:
    status, body = _get(client, world, "social_worker", f"/people/{world.people['C-RESTRICTED']}")
    # The page names the agency that holds the record (by name, not code).
    assert status == 200 and "Refugeton" in body and "Bradford Children" in body


def _as(world: World, role: str, agency: str = OWN) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={world.session_for(role, agency)[0]}"}


def test_the_sharing_pages_render_for_those_who_use_them_and_pass_the_page_checks(
    client: TestClient, world: World
) -> None:
    from tests.pagecheck import check_page

    for role, path in (
        ("social_worker", "/break-glass"),
        ("social_worker", "/disclosures"),
        ("head_of_service", "/agreements"),
        (
            "social_worker",
            f"/people/{world.people['P-MEMBER']}/disclosure/{world.agencies['POL-WY']}",
        ),
    ):
        response = client.get(path, headers=_as(world, role))
        assert response.status_code == 200, path
        check_page(response.text)
    assert client.get("/agreements", headers=_as(world, "social_worker")).status_code == 404


def test_break_glass_through_the_page_names_the_problem_and_treats_restricted_as_missing(
    client: TestClient, world: World
) -> None:
    _token, csrf = world.session_for("police_investigator")
    form = {"csrf_token": csrf, "subject": "person", "reason": "Too short"}
    short = client.post(
        "/break-glass",
        headers=_as(world, "police_investigator"),
        data={**form, "subject_id": str(world.people["P-OTHER"])},
    )
    assert short.status_code == 400 and 'href="#reason"' in short.text
    form["reason"] = "Child missing tonight and in danger, need the record"
    hidden = client.post(
        "/break-glass",
        headers=_as(world, "police_investigator"),
        data={**form, "subject_id": str(world.people["P-RESTRICTED"])},
    )
    missing = client.post(
        "/break-glass",
        headers=_as(world, "police_investigator"),
        data={**form, "subject_id": "987654"},
    )
    assert hidden.status_code == missing.status_code == 400
    restricted_id = f'value="{world.people["P-RESTRICTED"]}"'
    assert _normalised(hidden.text).replace(restricted_id, 'value="N"') == _normalised(
        missing.text
    ).replace('value="987654"', 'value="N"')
