"""A refused look-up (another agency's child, a case one is not on) answers "not found" as before,
and writes a security event to the audit chain: who, what was asked, when. Failed sign-ins are
security events too, and the data protection officer's page lists both."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.uow import unit_of_work
from safehub.http.context import SESSION_COOKIE
from safehub.services.accounts import check_password
from tests.access.conftest import OWN, World


def _get(client: TestClient, world: World, role: str, url: str) -> int:
    cookie = f"{SESSION_COOKIE}={world.session_for(role)[0]}"
    return client.get(url, headers={"Cookie": cookie}).status_code


def _refusals(world: World, role: str) -> list[tuple[list[str], dict[str, object]]]:
    user_id = world.users[f"{role}@{OWN}"]
    with world.db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT object_ids, detail FROM audit_event WHERE action = 'refusal' "
                "AND actor LIKE :a ORDER BY id"
            ),
            {"a": f"user:{user_id}:%"},
        ).all()
    return [(list(r[0]), dict(r[1])) for r in rows]


def test_a_look_up_of_another_agencys_child_is_refused_and_logged(
    client: TestClient, world: World
) -> None:
    hidden = world.people["P-OTHER"]
    assert _get(client, world, "social_worker", f"/people/{hidden}") == 404
    assert _get(client, world, "social_worker", f"/api/v1/people/{hidden}") == 404
    asked = [ids for ids, _ in _refusals(world, "social_worker")]
    assert [f"GET /people/{hidden}"] in asked
    assert [f"GET /api/v1/people/{hidden}"] in asked


def test_a_case_the_user_is_not_on_is_refused_and_logged(client: TestClient, world: World) -> None:
    case = world.cases["neither"]
    assert _get(client, world, "police_investigator", f"/cases/{case}") == 404
    [(_asked, detail)] = [
        r for r in _refusals(world, "police_investigator") if r[0] == [f"GET /cases/{case}"]
    ]
    assert detail["status"] == 404


def test_an_allowed_look_up_writes_no_refusal(client: TestClient, world: World) -> None:
    before = len(_refusals(world, "team_manager"))
    assert _get(client, world, "team_manager", f"/people/{world.people['C-OWN']}") == 200
    assert len(_refusals(world, "team_manager")) == before


def test_the_dpo_page_lists_refused_look_ups_and_failed_sign_ins(
    client: TestClient, world: World
) -> None:
    hidden = world.people["P-RESTRICTED"]
    assert _get(client, world, "mash_triage", f"/people/{hidden}") == 404
    with unit_of_work(world.db, actor=Actor("anonymous"), source="198.51.100.7") as uow:
        assert check_password(uow, username=f"social_worker@{OWN.lower()}", password="wrong") == (
            "refused"
        )
        uow.commit()
    cookie = f"{SESSION_COOKIE}={world.session_for('data_protection_officer')[0]}"
    page = client.get("/dpo", headers={"Cookie": cookie})
    assert page.status_code == 200
    assert "Security events" in page.text
    assert f"GET /people/{hidden}" in page.text and "Refused look-up" in page.text
    assert "Failed sign-in" in page.text and "198.51.100.7" in page.text
