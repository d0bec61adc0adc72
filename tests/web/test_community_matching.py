"""Matching what a community report names against what agencies hold, and the queue's order:
evidence for the lead (which identifier, which kind of holding, how many agencies, concern and
network group), sealed for another agency's records, restricted people never; the queue ordered
by rules that say why, with independent reports counted by reporter, not by visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.jobs.community_match_job import run_matching
from safehub.services.community import list_community_reports, view_community_report
from safehub.services.community.matching import birth_years
from tests.factories import extract_row
from tests.networks_db.helpers import resolve_people
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies, import_rows
from tests.web.test_community_convert import _lead
from tests.web.test_community_triage import _report, _report_id


def _held(db: Database, folder: Path) -> None:
    """Police hold a child (phone 07700 900123) and a suspect, Mohammed Khan born 1990, with a
    car YX19 ABC; social care hold a child; resolution builds the candidate index."""
    aisha_across_agencies(db, folder)
    resolve_people(db)


def _match(db: Database) -> None:
    """What the worker does within a cycle of a report arriving: store its matches."""
    run_matching(db, now=datetime.now(UTC), progress=lambda *_: None)


def test_a_vehicle_and_a_phone_match_what_the_police_hold_sealed_for_social_care(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    _held(app_db, tmp_path)
    report_id = _report_id(
        app_db, _report(app_db, vehicle_registration="yx19abc", phone="07700900123")[0]
    )
    lead = _lead(app_db, make_user)  # Bradford social care: the police records are sealed
    _match(app_db)
    with unit_of_work(app_db, actor=lead) as uow:
        view = view_community_report(uow, report_id=report_id)
        uow.commit()
    by_kind = {m.holding: m for m in view.matches}
    vehicle = by_kind["a vehicle on a person's record"]
    assert vehicle.agencies == ("West Yorkshire Police",) and vehicle.people == 1
    assert vehicle.of_concern and vehicle.own_people == ()
    phone = by_kind["a phone number on a person's record"]
    assert phone.agencies == ("West Yorkshire Police",) and not phone.of_concern
    assert "Names someone held as of concern or in a network group" in view.summary.reasons


def test_a_restricted_person_and_a_record_about_them_never_match(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                record_id="CR-9",
                person_ref="P-9",
                given_names="Leah",
                family_name="Shaw",
                restricted="Y",
                phone="07700 900999",
                location_postcode="LS1 4AB",
            )
        ],
    )
    resolve_people(app_db)
    report_id = _report_id(
        app_db,
        _report(
            app_db,
            phone="07700 900999",
            place_postcode="LS1 4AB",
            subject_name="Leah Shaw",
            subject_age="3 7 2011",
        )[0],
    )
    _match(app_db)
    with unit_of_work(app_db, actor=_lead(app_db, make_user)) as uow:
        view = view_community_report(uow, report_id=report_id)
    assert view.matches == []


def test_a_name_with_an_age_matches_and_a_name_with_the_wrong_age_does_not(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    _held(app_db, tmp_path)
    age = date.today().year - 1990
    fits = _report_id(
        app_db, _report(app_db, subject_name="Mohammed Khan", subject_age=f"about {age}")[0]
    )
    wrong = _report_id(
        app_db, _report(app_db, subject_name="Mohammed Khan", subject_age=str(age + 20))[0]
    )
    nameless_age = _report_id(app_db, _report(app_db, subject_name="Mohammed Khan")[0])
    _match(app_db)
    with unit_of_work(app_db, actor=_lead(app_db, make_user)) as uow:
        matched = view_community_report(uow, report_id=fits).matches
        not_matched = [
            view_community_report(uow, report_id=r).matches for r in (wrong, nameless_age)
        ]
    assert [m.holding for m in matched] == [
        "a person with the same name and a date of birth that fits"
    ]
    assert matched[0].of_concern and matched[0].agencies == ("West Yorkshire Police",)
    assert not_matched == [[], []]


def test_the_lead_s_own_agency_holdings_link_to_the_person(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-1",
                record_type="referral",
                person_ref="C-1",
                person_role="subject",
                online_handle="snapchat:girl_2011",
            )
        ],
    )
    resolve_people(app_db)
    report_id = _report_id(app_db, _report(app_db, online_handle="@girl_2011")[0])
    _match(app_db)
    with unit_of_work(app_db, actor=_lead(app_db, make_user)) as uow:
        (match,) = view_community_report(uow, report_id=report_id).matches
    assert match.holding == "an online username on a person's record"
    assert len(match.own_people) == 1


def test_the_queue_is_ordered_by_its_rules_and_counts_reporters_not_reports(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    _held(app_db, tmp_path)
    nowhere = {"place_postcode": ""}  # the default place would name the same postcode
    routine = _report(app_db, **nowhere)[0]
    concern = _report(app_db, vehicle_registration="YX19 ABC", **nowhere)[0]
    danger = _report(app_db, signs=["danger_now"], **nowhere)[0]
    named = {"tell_who": "yes", "reporter_contact": "07700 111222", **nowhere}
    again = _report(app_db, phone="07700 900555", **named)[0]
    again_same_reporter = _report(app_db, phone="07700 900555", **named)[0]
    other_reporter = _report(app_db, phone="07700 900555", **nowhere)[0]
    _match(app_db)
    with unit_of_work(app_db, actor=_lead(app_db, make_user)) as uow:
        queue = list_community_reports(uow)
        uow.commit()
    order = [r.reference for r in queue]
    assert order[:2] == [danger, concern]
    assert order[-1] == routine
    why = {r.reference: r.reasons for r in queue}
    assert why[danger][0] == "A child is in danger now, the reporter said"
    # The same reporter's second report is not independent: counted by reporter, each of the
    # three sees one other reporter (the named reporter's two reports count once).
    for reference in (again, again_same_reporter, other_reporter):
        assert "1 other report from other reporters name the same" in why[reference]
    assert order.index(again) < order.index(routine)
    assert why[routine] == ("No rule applies: in the order received",)


def test_an_age_says_which_years_of_birth_it_allows() -> None:
    today = date(2026, 12, 6)
    assert birth_years("16", today=today) == (2009, 2010)
    assert birth_years("tall, maybe 40", today=today) == ()


def test_the_queue_shows_why_and_the_report_shows_the_evidence(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    _held(app_db, tmp_path)
    report_id = _report_id(app_db, _report(app_db, vehicle_registration="YX19 ABC")[0])
    _match(app_db)
    client = signed_in("mash_triage")
    queue = client.get("/community-reports").text
    assert "Names someone held as of concern or in a network group" in queue
    page = client.get(f"/community-reports/{report_id}").text
    assert "Vehicle registration YX19 ABC" in page
    assert "1 agency: West Yorkshire Police" in page
    assert "Sealed: contact West Yorkshire Police" in page
    assert "Mohammed" not in page  # no content of the police record


def test_the_system_actor_sees_no_match_without_identifiers(app_db: Database) -> None:
    report_id = _report_id(app_db, _report(app_db)[0])
    _match(app_db)
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        assert view_community_report(uow, report_id=report_id).matches == []


def test_a_blurred_place_matches_but_never_links_to_the_person_living_there(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-2",
                record_type="referral",
                person_ref="C-2",
                person_role="subject",
                postcode="BD7 1AA",
            )
        ],
    )
    resolve_people(app_db)
    blurred = _report_id(app_db, _report(app_db, place_postcode="BD7 1AA")[0])
    exact = _report_id(app_db, _report(app_db, place_postcode="BD7 1AA", share_exact="yes")[0])
    _match(app_db)
    with unit_of_work(app_db, actor=_lead(app_db, make_user)) as uow:
        (hidden,) = view_community_report(uow, report_id=blurred).matches
        (shown,) = view_community_report(uow, report_id=exact).matches
    assert hidden.identifier == "The place (postcode district BD7)"
    assert hidden.holding == "a person's postcode" and hidden.own_people == ()
    assert shown.identifier == "The place (postcode BD7 1AA)" and len(shown.own_people) == 1
