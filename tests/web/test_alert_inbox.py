"""The alert inbox a team works: folded by child, plain words, filters, sorting, paging,
assignment, bulk decisions with a reason; a decision stands."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.alerts import (
    AlertDecision,
    AlertDecisionRefusedError,
    NewAlert,
    decide_alert,
    raise_alerts,
)
from safehub.services.casework.people import age_on
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies

SYSTEM = Actor(label="system:test")
REASON = "Record POL-WY/CR-{n} (crime report, 07 April 2024, held by POL-WY) in area E08000032."


def _agency(db: Database, code: str) -> int:
    with db.owner_engine.connect() as conn:
        return int(
            conn.execute(text("SELECT id FROM agency WHERE code = :c"), {"c": code}).scalar_one()
        )


def _raise(db: Database, alerts: list[NewAlert]) -> list[int]:
    with unit_of_work(db, actor=SYSTEM) as uow:
        ids = raise_alerts(uow, alerts=alerts, purpose="test")
        uow.commit()
    return ids


def _child_alert(child: int, n: int, la: int, police: int) -> NewAlert:
    return NewAlert(
        kind="network_child_linked",
        title="A child is linked to an adult already linked to other children",
        reasons=[REASON.format(n=n), "The adult is linked to 2 other children."],
        rule="network.adult_linked_to_other_children",
        target_agency_id=la,
        dedupe_key=f"test:child:{child}:{n}",
        person_id=child,
        owning_agency_id=police,
        evidence={"group": "G0001"},
    )


def _group_alert(n: int, la: int, owner: int) -> NewAlert:
    return NewAlert(
        kind="network_group",
        title="A new record connects to a known group",
        reasons=[f"Record CR-{n} names a member of group G{n:04d}."],
        rule="network.known_group",
        target_agency_id=la,
        dedupe_key=f"test:group:{n}",
        owning_agency_id=owner,
        evidence={"group": f"G{n:04d}"},
    )


@pytest.fixture
def world(app_db: Database, tmp_path: Path) -> dict[str, int]:
    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    repeats = _raise(app_db, [_child_alert(child, n, la, police) for n in (1, 2, 3)])
    groups = _raise(app_db, [_group_alert(n, la, la) for n in range(1, 27)])
    return {"child": child, "first": repeats[0], "group": groups[0], "repeats": len(repeats)}


@pytest.fixture
def worker(world: dict[str, int], signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in("social_worker", "LA-BRADFORD")


def _rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in html else ""
    return re.findall(r"<tr.*?</tr>", body, re.S)


def test_repeats_about_a_child_are_one_row_naming_the_child_and_counting_them(
    worker: PageClient, world: dict[str, int]
) -> None:
    page = worker.get("/alerts?kind=network_child_linked")
    assert page.status_code == 200
    [row] = _rows(page.text)
    age = age_on("2011-07", date.today())
    assert f"Ayesha Hussein ({age})" in row
    assert f"{world['repeats']} alerts" in row
    assert "West Yorkshire Police" in row and "West Yorkshire" in row


def test_alert_pages_speak_in_names_never_rule_ids_agency_or_area_codes(
    worker: PageClient, world: dict[str, int]
) -> None:
    for path in ("/alerts", f"/alerts/{world['first']}"):
        page = worker.get(path)
        visible = re.sub(r"<[^>]+>", " ", page.text)
        for code in ("network.adult_linked", "POL-WY", "LA-BRADFORD", "E08000032", "E23000010"):
            assert code not in visible, (path, code)
    detail = worker.get(f"/alerts/{world['first']}").text
    assert "Record West Yorkshire Police CR-1" in detail and "in area Bradford" in detail
    assert "7 April 2024" in detail and "Ayesha Hussein" in detail


def test_the_inbox_filters_by_kind_agency_area_and_date(
    worker: PageClient, app_db: Database
) -> None:
    police = _agency(app_db, "POL-WY")
    by_agency = _rows(worker.get(f"/alerts?source={police}").text)
    assert len(by_agency) == 1 and "Ayesha Hussein" in by_agency[0]
    by_area = worker.get("/alerts?area=E08000032")
    assert "26 children or groups" in by_area.text  # the group alerts rest on Bradford's records
    by_kind = worker.get("/alerts?kind=network_group&sort=name")
    assert "26 children or groups" in by_kind.text and "Ayesha" not in by_kind.text
    tomorrow = date.fromordinal(date.today().toordinal() + 1).isoformat()
    assert "0 children or groups" in worker.get(f"/alerts?raised_from={tomorrow}").text


def test_the_inbox_sorts_and_pages(worker: PageClient) -> None:
    first = worker.get("/alerts?sort=most")
    rows = _rows(first.text)
    assert len(rows) == 25 and "Ayesha Hussein" in rows[0]
    second = _rows(worker.get("/alerts?sort=most&page=2").text)
    assert len(second) == 2
    by_name = _rows(worker.get("/alerts?sort=name").text)
    assert "Ayesha Hussein" in by_name[0] and "Group G0001" in by_name[1]


def test_bulk_dismiss_needs_a_reason_and_decides_every_alert_in_the_row(
    worker: PageClient, app_db: Database, world: dict[str, int]
) -> None:
    page = worker.get("/alerts?kind=network_child_linked")
    value = re.search(r'name="alerts" type="checkbox" value="([\d,]+)"', page.text)[1]  # type: ignore[index]
    token = worker.csrf("/alerts")
    form = {"csrf_token": token, "alerts": value, "action": "dismiss", "back": "status=new"}
    refused = worker.post("/alerts/bulk", data=form)
    assert refused.status_code == 400 and "Enter the reason for your decision" in refused.text
    done = worker.post("/alerts/bulk", data={**form, "reason": "Known; already on a plan"})
    assert done.status_code == 303
    with app_db.owner_engine.connect() as conn:
        decided = conn.execute(
            text("SELECT status, decision_reason FROM alert WHERE person_id = :p"),
            {"p": world["child"]},
        ).all()
    assert [tuple(r) for r in decided] == [("dismissed", "Known; already on a plan")] * 3
    assert "Ayesha" not in worker.get("/alerts").text  # no longer new


def test_alerts_can_be_given_to_someone_and_filtered_by_who_has_them(
    worker: PageClient, world: dict[str, int]
) -> None:
    token = worker.csrf("/alerts")
    me = re.search(r'<option value="(\d+)">Test social_worker</option>', worker.get("/alerts").text)
    assert me
    given = worker.post(
        "/alerts/bulk",
        data={
            "csrf_token": token,
            "alerts": str(world["group"]),
            "action": "assign",
            "assignee": me[1],
        },
    )
    assert given.status_code == 303
    mine = _rows(worker.get("/alerts?assigned=me").text)
    assert len(mine) == 1 and "Group G0001" in mine[0] and "Test social_worker" in mine[0]


def test_a_decided_alert_keeps_its_decision(
    app_db: Database, world: dict[str, int], make_user: Callable[..., str]
) -> None:
    make_user("social_worker", "LA-BRADFORD")
    with app_db.owner_engine.connect() as conn:
        user = conn.execute(
            text("SELECT id FROM app_user WHERE username = 'social_worker@la-bradford'")
        ).scalar_one()
    actor = Actor(
        "user:sw", user_id=user, agency_id=_agency(app_db, "LA-BRADFORD"), role="social_worker"
    )
    with unit_of_work(app_db, actor=actor) as uow:
        decide_alert(
            uow,
            alert_id=world["first"],
            decision=AlertDecision("confirm", "Needs a strategy meeting"),
        )
        uow.commit()
    with (
        unit_of_work(app_db, actor=actor) as uow,
        pytest.raises(AlertDecisionRefusedError) as refused,
    ):
        decide_alert(
            uow, alert_id=world["first"], decision=AlertDecision("dismiss", "Changed my mind")
        )
    assert "already confirmed" in str(refused.value)
    with app_db.owner_engine.connect() as conn:
        kept = conn.execute(
            text("SELECT status, decision_reason FROM alert WHERE id = :a"), {"a": world["first"]}
        ).one()
    assert tuple(kept) == ("confirmed", "Needs a strategy meeting")


def test_the_api_serves_the_same_folded_inbox_and_bulk_decisions(
    worker: PageClient, world: dict[str, int], app_db: Database
) -> None:
    police = _agency(app_db, "POL-WY")
    inbox = worker.get("/api/v1/alerts", params={"source": police}).json()
    [fold] = inbox["folds"]
    assert fold["count"] == world["repeats"] and fold["subject"].startswith("Ayesha Hussein (")
    assert fold["rests_on"] == ["West Yorkshire Police"]
    headers = {"X-CSRF-Token": worker.csrf("/")}
    body = {"alert_ids": fold["alert_ids"], "decision": "dismiss", "reason": ""}
    refused = worker.post("/api/v1/alerts/decisions", json=body, headers=headers)
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    body["reason"] = "Known; already on a plan"
    done = worker.post("/api/v1/alerts/decisions", json=body, headers=headers).json()
    assert sorted(done["alert_ids"]) == sorted(fold["alert_ids"])
    again = worker.post("/api/v1/alerts/decisions", json=body, headers=headers).json()
    assert again["alert_ids"] == []  # a decision stands


def _sealed_alert(child: int, la: int, police: int) -> NewAlert:
    return NewAlert(
        kind="victim_treated_as_offender",
        title="A child recorded as a victim has been treated as an offender",
        reasons=["West Yorkshire Police arrested the child in crime report CR-77."],
        rule="victim-treated-as-offender-v1",
        target_agency_id=la,
        dedupe_key=f"test:sealed:{child}",
        person_id=child,
        owning_agency_id=police,
        evidence={"offender_record": "CR-77"},
        sealed=True,
        sources=((police, "crime_report"),),
    )


def test_a_sealed_alert_shows_whom_to_ask_until_an_agreement_opens_its_reasons(
    worker: PageClient, world: dict[str, int], app_db: Database
) -> None:
    from tests.web.helpers import share_between_demo_agencies

    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    [sealed] = _raise(app_db, [_sealed_alert(world["child"], la, police)])
    page = worker.get(f"/alerts/{sealed}")
    assert page.status_code == 200
    assert "This alert is sealed" in page.text and "CR-77" not in page.text
    listed = worker.get("/api/v1/alerts", params={"kind": "victim_treated_as_offender"}).json()
    assert [f["alert_ids"] for f in listed["folds"]] == [[sealed]]
    # Police and social care agree to share crime reports: the same alert now says why.
    share_between_demo_agencies(app_db)
    opened = worker.get(f"/alerts/{sealed}")
    assert "This alert is sealed" not in opened.text
    assert "arrested the child in crime report CR-77" in opened.text
    assert "now open to your agency" in opened.text


def test_a_sealed_alert_that_names_no_record_it_rests_on_is_refused(app_db: Database) -> None:
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    nameless = NewAlert(
        kind="network_group",
        title="A new record connects to a known group",
        reasons=["Record CR-1 names a member of group G0001."],
        rule="network.known_group",
        target_agency_id=la,
        dedupe_key="test:nameless",
        owning_agency_id=police,
        sealed=True,
    )
    # With nothing named, nothing would need sharing: the content would open at once.
    with pytest.raises(ValueError, match="sources must name the records it rests on"):
        _raise(app_db, [nameless])
    with app_db.owner_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alert")).scalar_one() == 0


def test_an_assignment_to_user_true_is_a_422_not_user_1(worker: PageClient) -> None:
    # Found by fuzzing: lax parsing took JSON `true` as the user id 1 and answered 200.
    headers = {"X-CSRF-Token": worker.csrf("/")}
    for bad in (True, "7", 1.5):
        body = {"alert_ids": [1], "user_id": bad}
        response = worker.post("/api/v1/alerts/assignments", json=body, headers=headers)
        assert response.status_code == 422, (bad, response.text)
        assert "user_id" in response.text
    given = worker.post(
        "/api/v1/alerts/assignments", json={"alert_ids": [1], "user_id": None}, headers=headers
    )
    assert given.status_code == 200, given.text
