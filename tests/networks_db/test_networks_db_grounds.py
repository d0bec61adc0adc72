"""Why a group is one, kept by the network job and shown on the group page and in the API: the
engine's grounds, with people named as the members list names them and never a person the
reader is not shown."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.migrate import alembic_config
from safehub.services.networks.grounds import stored_grounds
from tests.networks_db.data import group_rows
from tests.networks_db.helpers import latest_run_id, owner_rows, run_jobs
from tests.web.helpers import import_rows, person_id

Client = Any
RULE = "rule: 2 adults of concern linked to child victims (3 children), bound together by"


@pytest.fixture
def network(app_db: Database, tmp_path: Path) -> Database:
    import_rows(app_db, tmp_path, group_rows())
    run_jobs(app_db)
    return app_db


def _stored(db: Database) -> list[str]:
    [(grounds,)] = owner_rows(
        db, "SELECT grounds FROM network_group WHERE run_id = :r", r=latest_run_id(db)
    )
    return list(grounds)


def _section(page: str) -> str:
    """The "Why this is a group" section of a group page (up to the next heading)."""
    found = re.search(r">Why this is a group</h2>(.*?)<h2", page, re.S)
    assert found, "no 'Why this is a group' section"
    return found[1]


def test_a_run_stored_by_the_network_job_keeps_why_each_group_is_one(network: Database) -> None:
    adam, barry = person_id(network, "POL-WY", "S-A"), person_id(network, "POL-WY", "S-B")
    amy = person_id(network, "POL-WY", "V-1")
    grounds = _stored(network)
    assert grounds[0].startswith(RULE)
    assert f"child {amy} linked to {adam}, {barry}" in grounds
    assert f"vehicle:YX19ABC shared by {adam}, {barry}" in grounds


def test_a_restricted_person_is_never_written_into_the_grounds() -> None:
    # The engine leaves restricted rows out, but a person restricted anywhere is left out of
    # the stored results even when their open rows put them in a group (``restricted_people``):
    # no stored reason may name them, the reasons that stood on them fall, and the rule keeps
    # no count that would count them.
    grounds = [
        RULE + " a phone",
        "child 5 linked to 7, 9",
        "child 6 linked to 7, 9, 11",
        "vehicle:YX19ABC shared by 7, 9",
        "9 is in it through direct ties to two or more of its bound members",
    ]
    stored = stored_grounds(grounds, {"9"}, holds_hidden=True)
    assert stored == [
        "rule: adults of concern linked to child victims, bound together by a phone",
        "child 6 linked to 7, 11",
    ]
    assert stored_grounds(grounds, set(), holds_hidden=False) == grounds


def test_the_group_page_says_why_it_is_a_group_naming_the_members(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    analyst = signed_in("police_analyst", "POL-WY")
    page = analyst.get("/networks/groups/G0001")
    assert page.status_code == 200
    section = _section(page.text)
    amy = person_id(network, "POL-WY", "V-1")
    adam = person_id(network, "POL-WY", "S-A")
    assert "Rule: 2 adults of concern linked to child victims (3 children)" in section
    # People by name and age, linked as in the members list (a child to their network view).
    assert re.search(
        rf'Child <a class="govuk-link" href="/networks/children/{amy}">Amy Doe \(', section
    )
    assert re.search(
        rf'linked to <a class="govuk-link" href="/networks/chart\?seed={adam}">Adam Stone \(',
        section,
    )
    assert "Vehicle YX19ABC shared by" in section
    assert f"Person {adam}" not in section


def test_the_api_gives_each_group_its_grounds_with_their_people(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    analyst = signed_in("police_analyst", "POL-WY")
    [group] = analyst.get("/api/v1/network/groups").json()
    adam, barry = person_id(network, "POL-WY", "S-A"), person_id(network, "POL-WY", "S-B")
    amy = person_id(network, "POL-WY", "V-1")
    assert group["grounds"][0]["text"].startswith(RULE) and group["grounds"][0]["person_ids"] == []
    assert {
        "text": f"child {amy} linked to {adam}, {barry}",
        "person_ids": [amy, adam, barry],
    } in group["grounds"]
    spec = analyst.get("/api/v1/openapi.json").json()
    assert "grounds" in spec["components"]["schemas"]["GroupPublic"]["properties"]


def test_an_identifier_in_records_the_reader_cannot_read_stays_sealed_in_the_grounds(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    # Social care has no agreement covering the police records the car is on.
    manager = signed_in("team_manager", "LA-BRADFORD")
    adam = person_id(network, "POL-WY", "S-A")
    section = _section(manager.get("/networks/groups/G0001").text)
    assert "YX19ABC" not in section and "Adam Stone" not in section
    assert (
        f"An identifier in records your agency cannot read shared by Person {adam} (not open to you)"
        in section
    )
    [group] = manager.get("/api/v1/network/groups").json()
    assert not [g for g in group["grounds"] if "YX19ABC" in g["text"]]


def test_a_person_the_members_list_leaves_out_is_left_out_of_the_grounds(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    # Barry is restricted by the police after the run: to social care he is no longer even an
    # existence, so the members list leaves him out, and the grounds do as well.
    barry = person_id(network, "POL-WY", "S-B")
    with network.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE agency_person SET restricted = true WHERE person_id = :p"), {"p": barry}
        )
    manager = signed_in("team_manager", "LA-BRADFORD")
    page = manager.get("/networks/groups/G0001").text
    assert f"Person {barry} " not in page
    [group] = manager.get("/api/v1/network/groups").json()
    assert all(barry not in g["person_ids"] for g in group["grounds"])
    # The reasons that stood on him fall; the rule stays, without counts that would count him.
    assert [g["text"][:48] for g in group["grounds"]] == [
        "rule: adults of concern linked to child victims,"
    ]
    # The police, who restricted him, still see him and every reason.
    analyst = signed_in("police_analyst", "POL-WY")
    [group] = analyst.get("/api/v1/network/groups").json()
    assert any(barry in g["person_ids"] for g in group["grounds"])


def _export(client: Client, fmt: str) -> bytes:
    token = client.csrf("/networks/export")
    fields = {"subject": "G0001", "fmt": fmt, "purpose": "investigation", "recipient": "DS Ex"}
    response = client.post("/networks/export", data={"csrf_token": token, **fields})
    assert response.status_code == 200
    return bytes(response.content)


def test_a_group_export_says_why_it_is_a_group_as_the_page_does(
    network: Database, signed_in: Callable[..., Client]
) -> None:
    adam, barry = person_id(network, "POL-WY", "S-A"), person_id(network, "POL-WY", "S-B")
    amy = person_id(network, "POL-WY", "V-1")
    analyst = signed_in("police_analyst", "POL-WY")
    with zipfile.ZipFile(io.BytesIO(_export(analyst, "csv"))) as archive:
        grounds = [row[0] for row in csv.reader(io.StringIO(archive.read("grounds.csv").decode()))]
    # People by the node ids of nodes.csv, so a link-chart tool can join them.
    assert grounds[0] == "ground" and grounds[1].startswith(RULE)
    assert f"child person:{amy} linked to person:{adam}, person:{barry}" in grounds
    assert b"child person:" in _export(analyst, "graphml")
    [(detail,)] = owner_rows(
        network,
        "SELECT detail FROM audit_event WHERE object_type = 'network_export' "
        "AND detail->>'format' = 'csv'",
    )
    assert detail["grounds"] == len(grounds) - 1


def test_migration_0030_adds_the_grounds_and_its_downgrade_removes_them(network: Database) -> None:
    config = alembic_config(network.owner_engine, secrets=network.secrets)
    before = ScriptDirectory.from_config(config).get_revision("0030").down_revision
    assert isinstance(before, str)
    command.downgrade(config, before)
    try:
        columns = owner_rows(
            network,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'network_group'",
        )
        assert ("grounds",) not in columns
    finally:
        command.upgrade(config, "head")
    # A group stored before the revision has no grounds until the next run, never a null.
    assert owner_rows(network, "SELECT grounds FROM network_group") == [([],)]
