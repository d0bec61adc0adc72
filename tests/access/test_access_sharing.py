"""Sealed envelopes opened the lawful ways: a granted disclosure, an agreement, break-glass."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.uow import unit_of_work
from safehub.services.alerts import list_alerts
from safehub.services.casework.people import view_person
from safehub.services.errors import NotFoundError
from safehub.services.sharing.agreements import AgreementInput, create_agreement
from safehub.services.sharing.break_glass import BreakGlassRequest, break_glass
from safehub.services.sharing.disclosures import (
    DisclosureDecision,
    DisclosureInput,
    decide_disclosure,
    request_disclosure,
)
from tests.access.conftest import OTHER, OWN, SECRET, World


def _actor(world: World, role: str, agency: str = OWN) -> Actor:
    agency_id = world.agencies[agency]
    user_id = world.users[f"{role}@{agency}"]
    return Actor(f"user:{user_id}:{role}", user_id=user_id, agency_id=agency_id, role=role)


def _sees_secret(world: World, role: str, ref: str) -> bool:
    with unit_of_work(world.db, actor=_actor(world, role)) as uow:
        person = view_person(uow, person_id=world.people[ref])
        return any(r.narrative == SECRET for rs in person.records_by_agency.values() for r in rs)


def test_a_granted_disclosure_opens_the_owning_agencys_records_to_the_requesting_agency(
    world: World,
) -> None:
    child = world.people["P-MEMBER"]
    assert not _sees_secret(world, "social_worker", "P-MEMBER")
    with unit_of_work(world.db, actor=_actor(world, "social_worker")) as uow:
        made = request_disclosure(
            uow,
            request=DisclosureInput(
                child, world.agencies[OTHER], "Strategy discussion tomorrow", "dpa_2018_sch1_para18"
            ),
        )
        uow.commit()
    manager = _actor(world, "team_manager", OTHER)
    with unit_of_work(world.db, actor=manager) as uow:
        told = [a for a in list_alerts(uow) if a.kind == "disclosure_request"]
        decide_disclosure(
            uow,
            request_id=made.id,
            decision=DisclosureDecision("grant", "Needed to protect the child"),
        )
        uow.commit()
    assert [a.person_id for a in told] == [child]
    assert _sees_secret(world, "social_worker", "P-MEMBER")
    with world.db.owner_engine.connect() as conn:
        logged = (
            conn.execute(text("SELECT detail FROM audit_event WHERE action = 'disclosure'"))
            .scalars()
            .all()
        )
    assert logged and logged[-1]["recipients"]["agency"] == world.agencies[OWN]


def test_only_the_owning_agency_decides_a_disclosure(world: World) -> None:
    child = world.people["P-INVOLVED"]
    with unit_of_work(world.db, actor=_actor(world, "social_worker")) as uow:
        made = request_disclosure(
            uow,
            request=DisclosureInput(
                child, world.agencies[OTHER], "Assessment of the child's needs", "consent"
            ),
        )
        uow.commit()
    requester_manager = _actor(world, "team_manager", OWN)
    with unit_of_work(world.db, actor=requester_manager) as uow, pytest.raises(PermissionError):
        decide_disclosure(
            uow,
            request_id=made.id,
            decision=DisclosureDecision("grant", "We would like it"),
        )


def test_break_glass_opens_a_person_and_alerts_only_the_data_protection_officer(
    world: World,
) -> None:
    worker = _actor(world, "social_worker")
    with unit_of_work(world.db, actor=worker) as uow, pytest.raises(NotFoundError):
        view_person(uow, person_id=world.people["P-OTHER"])
    with unit_of_work(world.db, actor=worker) as uow:
        break_glass(
            uow,
            request=BreakGlassRequest(
                "person",
                str(world.people["P-OTHER"]),
                "Child missing tonight, police record may show where",
            ),
        )
        uow.commit()
    assert _sees_secret(world, "social_worker", "P-OTHER")
    dpo = _actor(world, "data_protection_officer")
    with unit_of_work(world.db, actor=dpo) as uow:
        seen_by_dpo = [a.reasons for a in list_alerts(uow) if a.kind == "break_glass"]
    with unit_of_work(world.db, actor=worker) as uow:
        seen_by_worker = [a.id for a in list_alerts(uow) if a.kind == "break_glass"]
    assert len(seen_by_dpo) == 1 and "Child missing tonight" in seen_by_dpo[0][1]
    assert seen_by_worker == []


def test_break_glass_never_reaches_a_person_restricted_by_another_agency(world: World) -> None:
    worker = _actor(world, "social_worker")
    for person in (world.people["P-RESTRICTED"], 987654):
        with unit_of_work(world.db, actor=worker) as uow, pytest.raises(NotFoundError):
            break_glass(
                uow,
                request=BreakGlassRequest(
                    "person", str(person), "I would like to see this record please"
                ),
            )


def test_an_alert_about_a_person_restricted_by_another_agency_is_not_shown(world: World) -> None:
    worker = _actor(world, "social_worker")
    with unit_of_work(world.db, actor=worker) as uow:
        shown = {a.id for a in list_alerts(uow)}
    assert world.alerts["own"] in shown
    assert world.alerts["restricted"] not in shown and world.alerts["other"] not in shown


def test_an_agreement_opens_the_record_types_it_names_but_never_a_restricted_person(
    world: World,
) -> None:
    # Last in the module: the agreement opens every crime report of the police to the council.
    assert not _sees_secret(world, "social_worker", "P-INVOLVED")
    police = _actor(world, "head_of_service", OTHER)
    with unit_of_work(world.db, actor=police) as uow:
        create_agreement(
            uow,
            agreement=AgreementInput(
                "Police to council",
                world.agencies[OTHER],
                world.agencies[OWN],
                "Safeguarding children at risk of exploitation",
                "dpa_2018_part_3",
                "dpa_2018_sch8_para4",
                "Children Act 2004 s.11",
                ["crime_report"],
                date(2025, 1, 1),
            ),
        )
        uow.commit()
    assert _sees_secret(world, "social_worker", "P-INVOLVED")
    with (
        unit_of_work(world.db, actor=_actor(world, "social_worker")) as uow,
        pytest.raises(NotFoundError),
    ):
        view_person(uow, person_id=world.people["P-RESTRICTED"])


def test_an_agency_records_only_agreements_for_what_it_shares(world: World) -> None:
    council = _actor(world, "head_of_service", OWN)
    with unit_of_work(world.db, actor=council) as uow, pytest.raises(PermissionError):
        create_agreement(
            uow,
            agreement=AgreementInput(
                "Police to council",
                world.agencies[OTHER],
                world.agencies[OWN],
                "Safeguarding children at risk of exploitation",
                "dpa_2018_part_3",
                "dpa_2018_sch8_para4",
                "Children Act 2004 s.11",
                ["intelligence"],
                date(2025, 1, 1),
            ),
        )


def test_the_demo_agreements_join_police_and_social_care_both_ways_once(world: World) -> None:
    from safehub.services.sharing.agreements import seed_demo_agreements
    from tests.access.conftest import SYSTEM

    with unit_of_work(world.db, actor=SYSTEM) as uow:
        first = seed_demo_agreements(uow)
        again = seed_demo_agreements(uow)
        uow.commit()
    # The police → council direction exists already (the test above recorded it).
    assert (first, again) == (1, 0)
