"""A community report added to the shared record: a ``community_report`` record of the lead's
agency written through the extract import (so resolution is queued like after any import),
blurred as the reporter chose, once only, from a button only safeguarding leads have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.community.convert import convert_to_record
from safehub.services.errors import RefusedError
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.conftest import PageClient
from tests.web.test_community_triage import _report, _report_id


def _lead(db: Database, make_user: Callable[..., str]) -> Actor:
    name = make_user("mash_triage", "LA-BRADFORD")
    (user_id, agency_id), *_ = owner_rows(
        db, "SELECT id, agency_id FROM app_user WHERE username = :u", u=name
    )
    return Actor(
        label=f"user:{user_id}:{name}", user_id=user_id, agency_id=agency_id, role="mash_triage"
    )


def _record(db: Database, ref: str) -> list[tuple[Any, ...]]:
    return owner_rows(
        db,
        "SELECT a.code, r.record_type, r.narrative, r.location_name, r.location_postcode, "
        "count(m.id) FROM agency_record r JOIN agency a ON a.id = r.agency_id "
        "LEFT JOIN person_mention m ON m.record_id = r.id WHERE r.record_ref = :r "
        "GROUP BY a.code, r.record_type, r.narrative, r.location_name, r.location_postcode",
        r=ref,
    )


def test_converting_writes_the_record_and_queues_resolution(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    reference, _ = _report(app_db, vehicle_registration="YX19 ABC", phone="07700 900123")
    report_id = _report_id(app_db, reference)
    lead = _lead(app_db, make_user)
    with unit_of_work(app_db, actor=lead) as uow:
        converted = convert_to_record(uow, report_id=report_id)
        uow.commit()
    assert converted.record_ref == f"CR-COMMUNITY-{report_id}" and converted.people == 2
    code, record_type, narrative, place, postcode, people = _record(app_db, converted.record_ref)[0]
    assert (code, record_type, people) == ("LA-BRADFORD", "community_report", 2)
    assert narrative.startswith("Girls taken into the back of the takeaway")
    # The reporter did not agree to the exact place: the district only.
    assert postcode is None and place == "postcode district BD7"
    queued = owner_rows(app_db, "SELECT job FROM job_run WHERE status = 'queued'")
    assert ("resolve",) in queued
    run_jobs(app_db)  # resolution then the network update run on the new record without error
    ran = owner_rows(app_db, "SELECT job FROM job_run WHERE status = 'succeeded'")
    assert ("resolve",) in ran
    linked = owner_rows(
        app_db,
        "SELECT count(DISTINCT p.person_id) FROM person_mention m "
        "JOIN agency_record r ON r.id = m.record_id "
        "JOIN agency_person p ON p.id = m.agency_person_id WHERE r.record_ref = :r",
        r=converted.record_ref,
    )
    assert linked == [(2,)]  # a vehicle and a phone: two people, not joined by guesswork
    audited = owner_rows(
        app_db,
        "SELECT purpose FROM audit_event WHERE object_type = 'community_report' "
        "AND action = 'alteration'",
    )
    assert ("community report added to the shared record",) in audited


def test_converting_twice_is_refused(app_db: Database, make_user: Callable[..., str]) -> None:
    reference, _ = _report(app_db, online_handle="@someone")
    report_id = _report_id(app_db, reference)
    lead = _lead(app_db, make_user)
    with unit_of_work(app_db, actor=lead) as uow:
        convert_to_record(uow, report_id=report_id)
        uow.commit()
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(RefusedError) as refused:
        convert_to_record(uow, report_id=report_id)
    assert "already in the shared record as CR-COMMUNITY-" in refused.value.errors["convert"]
    assert len(_record(app_db, f"CR-COMMUNITY-{report_id}")) == 1


def test_a_report_naming_no_one_is_refused_with_a_reason(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    report_id = _report_id(app_db, _report(app_db)[0])
    lead = _lead(app_db, make_user)
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(RefusedError) as refused:
        convert_to_record(uow, report_id=report_id)
    assert "names no vehicle, phone number or username" in refused.value.errors["convert"]


def test_the_button_adds_the_report_once_for_leads_only(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db, vehicle_registration="YX19 ABC", share_exact="yes")
    path = f"/community-reports/{_report_id(app_db, reference)}"
    outsider = signed_in("social_worker")
    assert outsider.post(f"{path}/record", data={"csrf_token": outsider.csrf()}).status_code == 404
    client = signed_in("mash_triage")
    page = client.get(path).text
    assert "Add to the shared record as a community report" in page
    assert client.post(f"{path}/record", data={"csrf_token": "forged"}).status_code == 403
    assert _record(app_db, path.replace("/community-reports/", "CR-COMMUNITY-")) == []
    done = client.post(f"{path}/record", data={"csrf_token": client.csrf(path)})
    assert done.status_code == 303
    code, _, _, _, postcode, people = _record(
        app_db, path.replace("/community-reports/", "CR-COMMUNITY-")
    )[0]
    assert (code, postcode, people) == ("LA-BRADFORD", "BD71AA", 1)  # the reporter agreed
    shown = client.get(path).text
    assert "Added to the shared record as a community report" in shown
    assert "Add to the shared record as a community report</button>" not in shown
    again = client.post(f"{path}/record", data={"csrf_token": client.csrf(path)})
    assert again.status_code == 400 and 'href="#convert"' in again.text
    assert "already in the shared record" in again.text
