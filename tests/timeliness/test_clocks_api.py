"""The timeliness API builds the same drafts as the pages: one validation, every field named,
and the choices it accepts described from the services' own vocabularies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safehub.services.timeliness import ACTION_TYPES, MEETING_KINDS, SCOPES
from tests.timeliness.conftest import World
from tests.web.conftest import PageClient


def _post(client: PageClient, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers={"X-CSRF-Token": client.csrf("/")})


def test_a_meeting_through_the_api_is_refused_naming_every_field_to_put_right(
    signed_in: Callable[..., PageClient], world: World
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    refused = _post(
        client,
        "/api/v1/meetings",
        {
            "case_id": world.case_id,
            "kind": "coffee",
            "title": "",
            "scheduled_for": "2025-06-02T10:00:00+01:00",
            "agency_ids": [],
        },
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        "kind: Select the type of meeting",
        "title: Enter what the meeting is about",
        "agencies: Select at least one agency to invite",
    ]


def test_an_action_through_the_api_is_checked_against_its_meeting(
    signed_in: Callable[..., PageClient], world: World
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    planned = _post(
        client,
        "/api/v1/meetings",
        {
            "case_id": world.case_id,
            "kind": "strategy_discussion",
            "title": "Older men and cars",
            "scheduled_for": "2025-06-02T10:00:00+01:00",
            "agency_ids": [world.police],
        },
    )
    assert planned.status_code == 201, planned.text
    meeting = planned.json()
    assert (meeting["kind"], meeting["status"]) == ("strategy_discussion", "planned")
    action = {
        "action_type": "stern_word",
        "description": "Serve notices on the drivers",
        "owner_agency_id": world.police,
        "due_on": "2025-06-01",
    }
    refused = _post(client, f"/api/v1/meetings/{meeting['meeting_id']}/actions", action)
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        "action_type: Select the type of action",
        "due_on: The due date must be on or after the meeting",
    ]
    action |= {"action_type": "child_abduction_warning_notice", "due_on": "2025-06-06"}
    added = _post(client, f"/api/v1/meetings/{meeting['meeting_id']}/actions", action)
    assert added.status_code == 201, added.text
    assert [a["action_type"] for a in added.json()["actions"]] == ["child_abduction_warning_notice"]


def test_the_api_describes_its_choices_from_the_services_vocabularies(
    client: PageClient,
) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    kinds = schemas["MeetingCreate"]["properties"]["kind"]["description"]
    types = schemas["ActionCreate"]["properties"]["action_type"]["description"]
    assert all(kind in kinds for kind in MEETING_KINDS)
    assert all(action_type in types for action_type in ACTION_TYPES)
    (scope,) = [
        p for p in spec["paths"]["/api/v1/inbox"]["get"]["parameters"] if p["name"] == "scope"
    ]
    assert scope["schema"]["pattern"] == f"^({'|'.join(SCOPES)})$"


def test_the_inbox_through_the_api_refuses_a_scope_it_does_not_have(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    assert client.get("/api/v1/inbox", params={"scope": "team"}).status_code == 200
    assert client.get("/api/v1/inbox", params={"scope": "everyone"}).status_code == 422
