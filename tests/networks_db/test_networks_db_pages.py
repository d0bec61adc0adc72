"""The network pages, the link chart's data, exports as disclosures, and acting on alerts."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safehub.db.database import Database
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows, person_id

Client = Any


@pytest.fixture
def network(app_db: Database, tmp_path: Path) -> Database:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    return app_db


@pytest.fixture
def analyst(network: Database, signed_in: Callable[..., Client]) -> Client:
    return signed_in("police_analyst", "POL-WY")


def test_the_groups_page_lists_each_group_with_its_evidence(analyst: Client) -> None:
    page = analyst.get("/networks")
    assert page.status_code == 200
    assert "G0001" in page.text and "West Yorkshire Police" in page.text
    # Areas by name, not by their ONS code.
    assert "Bradford" in page.text and "E08000032" not in page.text
    group = analyst.get("/networks/groups/G0001")
    assert group.status_code == 200
    assert "Vehicle YX19ABC" in group.text and "CR-1" in group.text and "organiser" in group.text


def test_key_people_are_ranked_with_their_reasons(network: Database, analyst: Client) -> None:
    page = analyst.get("/networks/key-people")
    adam = person_id(network, "POL-WY", "S-A")
    assert "Adam Stone (" in page.text and "shares a vehicle with 1 adult of concern" in page.text
    assert f"Person {adam}" not in page.text


def test_the_link_chart_shows_the_network_as_tables_without_javascript(
    network: Database, analyst: Client
) -> None:
    adam = person_id(network, "POL-WY", "S-A")
    page = analyst.get(f"/networks/chart?seed={adam}")
    assert page.status_code == 200
    assert "YX19ABC" in page.text and "POL-WY/CR-9" in page.text
    assert "<script>" not in page.text  # data only, in a JSON block: no inline script
    data = json.loads(re.search(r'id="link-chart-data">(.*?)</script>', page.text, re.S)[1])  # type: ignore[index]
    nodes = {n["data"]["id"]: n["data"] for n in data["nodes"]}
    assert nodes["vehicle:YX19ABC"] == {
        "id": "vehicle:YX19ABC",
        "kind": "vehicle",
        "label": "YX19ABC",
        "group": "vehicle",
    }
    # People by name and age, children and adults told apart, and the same in the tables.
    assert nodes[f"person:{adam}"]["label"].startswith("Adam Stone (")
    assert nodes[f"person:{adam}"]["group"] == "adult"
    assert "Key to the chart" in page.text and "People in the chart" in page.text
    assert f"Person {adam}" not in page.text


def test_the_chart_filters_by_entity_type_and_time(network: Database, analyst: Client) -> None:
    adam = person_id(network, "POL-WY", "S-A")
    data = analyst.get(
        f"/api/v1/network/chart?seed={adam}&kind=person&kind=record&date_to=2025-02-28"
    ).json()
    kinds = {n["data"]["kind"] for n in data["nodes"]}
    assert kinds == {"person", "record"}
    assert {e["record"] for e in data["events"]} == {"POL-WY/CR-1", "POL-WY/CR-2"}


def test_an_unknown_entity_type_is_refused_and_named(network: Database, analyst: Client) -> None:
    from typing import get_args

    from safehub.api.v1.networks import ChartKind
    from safehub.services.networks.chart import NODE_KINDS

    assert set(get_args(ChartKind)) == set(NODE_KINDS)  # the document's enum is the service's
    adam = person_id(network, "POL-WY", "S-A")
    answer = analyst.get(f"/api/v1/network/chart?seed={adam}&kind=25.0")
    assert answer.status_code == 422
    assert "kind" in answer.text


def test_a_restricted_child_never_appears_in_the_chart_or_its_api(
    network: Database, analyst: Client
) -> None:
    hidden = person_id(network, "POL-WY", "V-R")
    adam = person_id(network, "POL-WY", "S-A")
    data = analyst.get(f"/api/v1/network/chart?seed={adam}&hops=3").json()
    assert f"person:{hidden}" not in json.dumps(data)
    assert f"Person {hidden}" not in json.dumps(data)
    assert analyst.get(f"/api/v1/network/chart?seed={hidden}").json()["nodes"] == []


def _export(client: Client, **fields: str) -> Any:
    token = client.csrf("/networks/export")
    return client.post("/networks/export", data={"csrf_token": token, **fields})


def test_an_export_is_logged_as_a_disclosure_and_escapes_formulas(
    network: Database, analyst: Client
) -> None:
    response = _export(
        analyst,
        subject="G0001",
        fmt="csv",
        purpose="investigation",
        recipient="DS Example, West Yorkshire Police",
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        nodes = archive.read("nodes.csv").decode()
    assert "'+447700900111" in nodes  # a phone number starts with "+": a formula to a spreadsheet
    assert str(person_id(network, "POL-WY", "V-R")) not in re.findall(r"person:(\d+)", nodes)
    [(action, purpose, detail)] = owner_rows(
        network,
        "SELECT action, purpose, detail FROM audit_event WHERE object_type = 'network_export'",
    )
    assert action == "disclosure" and "investigation" in purpose.lower()
    assert detail["recipient"] == "DS Example, West Yorkshire Police"


def test_an_export_without_an_allowed_purpose_is_refused(
    network: Database, analyst: Client
) -> None:
    response = _export(analyst, subject="G0001", fmt="graphml", purpose="curiosity", recipient="me")
    assert response.status_code == 400
    assert "Select the purpose of the export" in response.text
    assert not owner_rows(network, "SELECT 1 FROM audit_event WHERE object_type = 'network_export'")


def test_an_export_starting_from_nothing_a_chart_can_start_from_says_how_to_start(
    network: Database, analyst: Client
) -> None:
    response = _export(
        analyst, subject="YX19ABC", fmt="csv", purpose="investigation", recipient="DS Example"
    )
    assert response.status_code == 400
    assert "start from a person number, or kind:value (e.g. vehicle:YX19ABC)" in response.text
    assert not owner_rows(network, "SELECT 1 FROM audit_event WHERE object_type = 'network_export'")


def test_a_chart_from_something_that_names_nothing_says_how_to_start(analyst: Client) -> None:
    page = analyst.get("/networks/chart?seed=person:adam")
    assert page.status_code == 400 and "a person is given by their number" in page.text
    api = analyst.get("/api/v1/network/chart?seed=YX19ABC")
    assert api.status_code == 422
    assert api.json()["detail"] == (
        "start from a person number, or kind:value (e.g. vehicle:YX19ABC)"
    )


def test_a_graphml_export_holds_the_group(network: Database, analyst: Client) -> None:
    response = _export(
        analyst,
        subject="G0001",
        fmt="graphml",
        purpose="disruption",
        recipient="Licensing review panel",
    )
    assert response.status_code == 200 and b"<graphml" in response.content
    assert b"vehicle:YX19ABC" in response.content


def test_a_social_worker_sees_a_sealed_alert_without_its_reasons(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    [alert_id] = [
        r[0]
        for r in owner_rows(
            network,
            "SELECT id FROM alert WHERE kind = 'network_child_linked' AND person_id = :p",
            p=person_id(network, "POL-WY", "V-9"),
        )
    ]
    page = worker.get(f"/alerts/{alert_id}")
    assert page.status_code == 200
    assert "This alert is sealed" in page.text and "West Yorkshire Police" in page.text
    assert "other child victims" not in page.text and "CR-9" not in page.text


def test_acting_on_an_alert_needs_a_reason_and_records_the_decision(
    network: Database, analyst: Client
) -> None:
    [alert_id] = [
        r[0] for r in owner_rows(network, "SELECT id FROM alert WHERE kind = 'network_group'")
    ]
    page = analyst.get(f"/alerts/{alert_id}")
    assert "a member of group G0001" in page.text
    token = analyst.csrf(f"/alerts/{alert_id}")
    missing = analyst.post(
        f"/alerts/{alert_id}/decision", data={"csrf_token": token, "decision": "confirm"}
    )
    assert missing.status_code == 400 and "Enter the reason" in missing.text
    done = analyst.post(
        f"/alerts/{alert_id}/decision",
        data={
            "csrf_token": token,
            "decision": "confirm",
            "reason": "Same car as the group; case opened",
        },
    )
    assert done.status_code == 303
    assert owner_rows(
        network, "SELECT status, decision_reason FROM alert WHERE id = :a", a=alert_id
    ) == [("confirmed", "Same car as the group; case opened")]


def test_the_child_centred_view_shows_the_adults_and_heightened_risk(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    investigator = signed_in("police_investigator", "POL-WY")
    child = person_id(network, "POL-WY", "V-1")
    adam = person_id(network, "POL-WY", "S-A")
    listed = investigator.get("/networks/children")
    assert "Amy Doe (" in listed.text and f"Person {child}" not in listed.text
    page = investigator.get(f"/networks/children/{child}")
    assert page.status_code == 200
    assert "Network around Amy Doe (" in page.text
    assert "This child is at heightened risk" in page.text
    assert "Adam Stone (" in page.text and "Vehicle YX19ABC" in page.text
    assert f"Person {adam}" not in page.text
    assert "Paradise Takeaway (BD1 1AA)" in page.text and "place:" not in page.text
    assert f"Person {person_id(network, 'POL-WY', 'V-R')}" not in page.text
    assert "Rose Hidden" not in page.text


def test_a_child_restricted_by_the_police_has_no_network_view_elsewhere(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    manager = signed_in("team_manager", "LA-BRADFORD")
    hidden = person_id(network, "POL-WY", "V-R")
    assert manager.get(f"/networks/children/{hidden}").status_code == 404


def test_shared_identifiers_in_records_another_agency_cannot_read_stay_sealed(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    # The group's car is on police records only; social care has no agreement covering them:
    # its manager sees that more is held (whom to ask), not the registration.
    manager = signed_in("team_manager", "LA-BRADFORD")
    page = manager.get("/networks/groups/G0001")
    assert page.status_code == 200
    assert "YX19ABC" not in page.text
    assert "more in records your agency cannot read" in page.text
    # Nor are the people named: they are in police records only, which social care cannot read.
    adam = person_id(network, "POL-WY", "S-A")
    assert "Adam Stone" not in page.text and "Amy Doe" not in page.text
    assert f"Person {adam} (not open to you)" in page.text
    [group] = manager.get("/api/v1/network/groups").json()
    assert not [s for s in group["shared_identifiers"] if "YX19ABC" in s]


def test_the_group_page_names_its_members_with_a_chart_beside_them(
    network: Database, analyst: Client
) -> None:
    page = analyst.get("/networks/groups/G0001")
    adam = person_id(network, "POL-WY", "S-A")
    amy = person_id(network, "POL-WY", "V-1")
    # The members table: name and age, role in words, child or adult.
    assert "Adam Stone (" in page.text and "Amy Doe (" in page.text
    assert f"Person {adam}" not in page.text and f"Person {amy}" not in page.text
    assert "Child victim" in page.text or "child victim" in page.text
    assert (
        "Paradise Takeaway (BD1 1AA)" in page.text and "place:" not in page.text.split("<script")[0]
    )
    # The chart's data: every member, each marked as child or adult, and a key to read it.
    found = re.search(r'id="link-chart-data">(.*?)</script>', page.text, re.S)
    assert found
    data = json.loads(found[1])
    groups = {n["data"]["id"]: n["data"]["group"] for n in data["nodes"]}
    assert groups[f"person:{adam}"] == "adult" and groups[f"person:{amy}"] == "child"
    assert "Key to the chart" in page.text and "Child (diamond, red)" in page.text


def test_the_network_job_is_described_in_a_sentence(network: Database, analyst: Client) -> None:
    page = analyst.get("/networks")
    assert "Network analysis: nothing waiting or running." in page.text
    assert "queued queued" not in page.text
    analyst.post("/networks/run", data={"csrf_token": analyst.csrf("/networks")})
    page = analyst.get("/networks")
    assert "Network analysis: 1 run waiting." in page.text and "Waiting to start" in page.text


def test_a_name_on_a_network_page_is_a_look_at_that_person_the_dpo_can_find(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    amy = person_id(network, "POL-WY", "V-1")
    adam = person_id(network, "POL-WY", "S-A")
    analyst = signed_in("police_analyst", "POL-WY")
    assert "Amy Doe (" in analyst.get("/networks/groups/G0001").text
    assert "Adam Stone (" in analyst.get("/networks/key-people").text
    dpo = signed_in("data_protection_officer", "LA-BRADFORD")
    assert "network group members" in dpo.get("/dpo", params={"person": amy}).text
    assert "key people ranking" in dpo.get("/dpo", params={"person": adam}).text
