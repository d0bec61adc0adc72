"""A lead gives a report to a colleague ("assigned to me"), and converts it into a referral
through the referral service or into a note on a case they work on; the report then says
"converted" with a link to what it became, once only. The public app cannot send a report that
pretends the hub already acted on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.community import list_community_reports
from safehub.services.community.convert import (
    ReferralFromReport,
    convert_to_case_note,
    convert_to_referral,
)
from safehub.services.community.triage import assign_community_report
from safehub.services.errors import RefusedError
from tests.networks_db.helpers import owner_rows
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies, case_for
from tests.web.test_community_convert import _lead
from tests.web.test_community_triage import _report, _report_id


def _user_id(db: Database, username: str) -> int:
    return int(owner_rows(db, "SELECT id FROM app_user WHERE username = :u", u=username)[0][0])


def test_a_report_given_to_a_colleague_is_in_their_assigned_to_me(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    report_id = _report_id(app_db, _report(app_db)[0])
    colleague = make_user("team_manager", "POL-WY")
    worker = make_user("social_worker", "LA-BRADFORD")
    lead = _lead(app_db, make_user)
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(RefusedError) as refused:
        assign_community_report(uow, report_id=report_id, user_id=_user_id(app_db, worker))
    assert "triages community reports" in refused.value.errors["assign"]
    with unit_of_work(app_db, actor=lead) as uow:
        assign_community_report(uow, report_id=report_id, user_id=_user_id(app_db, colleague))
        uow.commit()
    with unit_of_work(app_db, actor=lead) as uow:
        assert list_community_reports(uow, mine=True) == []
        everyone = list_community_reports(uow)
    assert everyone[0].status == "in_review"
    assert everyone[0].assigned_to is not None


def test_assigned_to_me_over_the_pages(
    signed_in: Callable[..., PageClient], app_db: Database, make_user: Callable[..., str]
) -> None:
    reference, _ = _report(app_db)
    path = f"/community-reports/{_report_id(app_db, reference)}"
    client = signed_in("mash_triage")
    me = owner_rows(app_db, "SELECT max(id) FROM app_user")[0][0]
    assert reference not in client.get("/community-reports?mine=yes").text
    done = client.post(f"{path}/assign", data={"csrf_token": client.csrf(path), "assign": me})
    assert done.status_code == 303
    assert reference in client.get("/community-reports?mine=yes").text
    (listed,) = client.get("/api/v1/reports", params={"mine": "true"}).json()
    assert listed["reference"] == reference and listed["assigned_to"]
    assert listed["reasons"] == ["No rule applies: in the order received"]
    bad = client.post(f"{path}/assign", data={"csrf_token": client.csrf(path), "assign": "x"})
    assert bad.status_code == 400 and 'href="#assign"' in bad.text


def test_a_report_converted_into_a_referral_carries_its_content_and_links_to_it(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db, vehicle_registration="YX19 ABC", signs=["danger_now"])
    report_id = _report_id(app_db, reference)
    path = f"/community-reports/{report_id}"
    client = signed_in("mash_triage")
    form = client.get(f"{path}/referral").text
    assert "Girls taken into the back of the takeaway" in form
    empty = client.post(f"{path}/referral", data={"csrf_token": client.csrf(f"{path}/referral")})
    assert empty.status_code == 400 and 'href="#given_names"' in empty.text
    sent = client.post(
        f"{path}/referral",
        data={
            "csrf_token": client.csrf(f"{path}/referral"),
            "given_names": "Unknown",
            "family_name": "Child",
            "concern_type": "sexual_exploitation",
            "immediate_danger": "yes",
        },
    )
    assert sent.status_code == 303
    (referral_id, concern, danger), *_ = owner_rows(
        app_db, "SELECT id, concern, immediate_danger FROM referral ORDER BY id DESC LIMIT 1"
    )
    assert f"From community report {reference}" in concern and danger
    assert "Vehicle registration: YX19 ABC" in concern
    assert "BD7 1AA" not in concern  # as blurred as the lead sees it
    page = client.get(path).text
    assert "Converted" in page and f'href="/referrals/{referral_id}/sent"' in page
    assert owner_rows(app_db, "SELECT status FROM community_report WHERE id = :i", i=report_id) == [
        ("converted",)
    ]
    again = client.post(f"{path}/case-note", data={"csrf_token": client.csrf(path), "case_id": "1"})
    assert again.status_code == 400 and "already converted into a referral" in again.text


def test_a_report_becomes_a_note_on_a_case_the_lead_works_on_only(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    children = aisha_across_agencies(app_db, tmp_path)
    lead = _lead(app_db, make_user)
    username = lead.label.split(":", 2)[2]
    case_id = case_for(app_db, children, [username])
    report_id = _report_id(app_db, _report(app_db, phone="07700 900123")[0])
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(RefusedError) as refused:
        convert_to_case_note(uow, report_id=report_id, case_id=case_id + 1000)
    assert "no case" in refused.value.errors["case_id"]
    with unit_of_work(app_db, actor=lead) as uow:
        made = convert_to_case_note(uow, report_id=report_id, case_id=case_id)
        uow.commit()
    (body,) = owner_rows(app_db, "SELECT body FROM case_note WHERE id = :i", i=made.record_id)[0]
    assert "Phone number: 07700 900123" in body
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(RefusedError):
        convert_to_referral(
            uow,
            report_id=report_id,
            referral=ReferralFromReport(given_names="A", family_name="B", immediate_danger=False),
        )


def test_the_public_role_cannot_send_a_report_already_assigned_or_converted(
    app_db: Database,
) -> None:
    with (
        app_db.owner_engine.connect() as conn,
        pytest.raises(Exception, match="row-level security"),
    ):
        conn.execute(text("SET ROLE safehub_public"))
        conn.execute(
            text(
                "INSERT INTO community_report (reference, phrase_key, about, what_seen, urgency, "
                "status, converted_kind, converted_ref) VALUES ('CR-X', '\\x00', 'place', 'x', "
                "'routine', 'converted', 'referral', 'REF-1')"
            )
        )


def test_the_reporter_of_a_converted_report_reads_only_that_it_is_being_looked_at(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    from safehub.http.context import REPORTER
    from safehub.services.community import PUBLIC_STATUS, unlock_report, view_own_report

    reference, phrase = _report(app_db, phone="07700 900123")
    lead = _lead(app_db, make_user)
    with unit_of_work(app_db, actor=lead) as uow:
        convert_to_referral(
            uow,
            report_id=_report_id(app_db, reference),
            referral=ReferralFromReport(given_names="A", family_name="B", immediate_danger=False),
        )
        uow.commit()
    with unit_of_work(app_db.as_public(), actor=REPORTER) as uow:
        view = view_own_report(uow, key=unlock_report(uow, reference=reference, phrase=phrase))
    assert view.status == "converted"
    assert PUBLIC_STATUS[view.status] == "Being looked at by the safeguarding team"
