"""Clocks in the case record: started and stopped by events, met or overdue, reasons recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from safehub.db.database import Database
from safehub.db.models.timeliness import Clock
from safehub.db.uow import unit_of_work
from safehub.services.agencies import AgencyEntry, ensure_team, register_agencies
from safehub.services.casework.referrals import ReferralDraft, ReferralRefusedError, record_referral
from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    OverrunReasonNeededError,
    complete_clock,
    record_clock_event,
)
from safehub.services.timeliness.recompute import recompute_clock_states
from safehub.services.timeliness.rules import (
    LocalRuleDraft,
    add_local_rule,
    clock_status,
    current_rulebook,
    rule_for,
)
from safehub.timescales import RuleError, WorkingCalendar, local_date
from tests.timeliness.conftest import SYSTEM, World, at

DRAFT = ReferralDraft(
    given_names="Aisha",
    family_name="Hussain",
    date_of_birth=date(2012, 4, 1),
    concern_type="sexual_exploitation",
    concern="Seen getting into cars with adult men",
    immediate_danger=False,
)


def _clocks(db: Database, **where: object) -> list[Clock]:
    with unit_of_work(db, actor=SYSTEM) as uow:
        query = select(Clock).order_by(Clock.id)
        for name, value in where.items():
            query = query.where(getattr(Clock, name) == value)
        found = list(uow.session.scalars(query))
        uow.session.expunge_all()  # keep the loaded values after the unit of work rolls back
        return found


def test_a_referral_starts_the_decision_and_assessment_clocks_owned_by_social_care(
    app_db: Database, world: World
) -> None:
    officer = world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=officer) as uow:
        referral = record_referral(uow, referral=DRAFT)
        uow.commit()
    clocks = {c.rule_id: c for c in _clocks(app_db, referral_id=referral.id)}
    assert set(clocks) == {"referral_decision", "assessment"}
    assert {c.owner_agency_id for c in clocks.values()} == {world.social_care}
    assert {c.owner_team_id for c in clocks.values()} == {world.team}
    received = local_date(referral.received_at)
    calendar = WorkingCalendar("england")
    assert clocks["referral_decision"].due_on == calendar.add_working_days(received, 1)
    assert clocks["assessment"].due_on == calendar.add_working_days(received, 45)


def test_due_days_count_working_days_after_the_referral_day(app_db: Database, world: World) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        _, started = record_clock_event(
            uow,
            event="referral_received",
            at=at("2025-04-17 10:00"),  # Thursday before Easter
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team),
            title="Referral",
        )
        uow.commit()
    due = {c.rule_id: c.due_on for c in started}
    # Good Friday and Easter Monday are bank holidays: one working day after Thursday is Tuesday.
    assert due == {"referral_decision": date(2025, 4, 22), "assessment": date(2025, 6, 25)}


def test_recording_a_referral_starts_its_clocks_in_the_same_transaction(
    app_db: Database, world: World
) -> None:
    officer = world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=officer) as uow:
        referral = record_referral(uow, referral=DRAFT)
        uow.commit()
    rules = sorted(c.rule_id for c in _clocks(app_db, referral_id=referral.id))
    assert rules == ["assessment", "referral_decision"]


def _start_decision_clock(db: Database, world: World) -> int:
    with unit_of_work(db, actor=SYSTEM) as uow:
        _, started = record_clock_event(
            uow,
            event="referral_received",
            at=at("2025-04-17 10:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, world.worker),
            title="Referral",
        )
        uow.commit()
        return next(c.id for c in started if c.rule_id == "referral_decision")


def test_work_done_late_needs_a_reason_and_is_met_late_with_it(
    app_db: Database, world: World
) -> None:
    clock_id = _start_decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(OverrunReasonNeededError):
        complete_clock(uow, clock_id=clock_id, at=at("2025-04-24 09:00"))
    with unit_of_work(app_db, actor=worker) as uow:
        complete_clock(
            uow,
            clock_id=clock_id,
            at=at("2025-04-24 09:00"),
            reason="Waiting for the police check to come back",
        )
        uow.commit()
    (clock,) = list(_clocks(app_db, id=clock_id))
    assert clock.state == "met_late"
    assert clock.overrun_reason == "Waiting for the police check to come back"
    assert clock.overrun_reason_by_user_id == world.worker


def test_work_done_by_its_due_day_is_met_without_a_reason(app_db: Database, world: World) -> None:
    clock_id = _start_decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        complete_clock(uow, clock_id=clock_id, at=at("2025-04-22 16:00"))
        uow.commit()
    assert _clocks(app_db, id=clock_id)[0].state == "met"


def test_another_agency_cannot_complete_a_clock_it_does_not_own(
    app_db: Database, world: World
) -> None:
    from safehub.services.errors import NotFoundError

    clock_id = _start_decision_clock(app_db, world)
    officer = world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=officer) as uow, pytest.raises(NotFoundError):
        complete_clock(uow, clock_id=clock_id)


def test_a_return_home_interview_is_due_72_hours_after_the_child_returns(
    app_db: Database, world: World
) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        _, (clock,) = record_clock_event(
            uow,
            event="returned_from_missing",
            at=at("2025-03-29 09:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care),
            title="Missing episode",
        )
        uow.commit()
    # 72 elapsed hours across the clock change (30 March 2025) is 10:00 BST on 1 April.
    assert clock.due_at == at("2025-04-01 09:00")
    assert clock.due_on == date(2025, 4, 1)


def test_an_administrators_local_rule_starts_on_its_event(app_db: Database, world: World) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        add_local_rule(
            uow,
            rule=LocalRuleDraft(
                rule_id="strategy_discussion",
                jurisdiction="england",
                amount=3,
                unit="working_days",
                start_event="decision_to_hold_strategy_discussion",
                stop_event="strategy_discussion_held",
                description="Strategy discussion within 3 working days of the decision",
                source="Local partnership procedures 4.2",
            ),
        )
        _, started = record_clock_event(
            uow,
            event="decision_to_hold_strategy_discussion",
            at=at("2025-06-02 10:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care),
            title="Strategy discussion",
        )
        uow.commit()
    assert [(c.rule_id, c.due_on) for c in started] == [("strategy_discussion", date(2025, 6, 5))]


def test_a_local_rule_cannot_redefine_a_statutory_one(app_db: Database) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow, pytest.raises(RuleError):
        add_local_rule(
            uow,
            rule=LocalRuleDraft(
                rule_id="referral_decision",
                jurisdiction="england",
                amount=5,
                unit="working_days",
                start_event="referral_received",
                stop_event="referral_decision_made",
                description="Looser",
                source="Nobody",
            ),
        )


def test_the_set_wise_states_agree_with_the_engine_clock_by_clock(
    app_db: Database, world: World
) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        for day, event in [
            ("2025-04-17", "referral_received"),
            ("2025-03-29", "returned_from_missing"),
            ("2025-04-22", "referral_received"),
            ("2025-01-06", "strategy_discussion_started_s47"),
        ]:
            record_clock_event(
                uow,
                event=event,
                at=at(f"{day} 09:00"),
                subject=ClockSubject(case_id=world.case_id),
                owner=ClockOwner(world.social_care),
                title="Work",
            )
        uow.commit()
    now = at("2025-04-23 12:00")
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        evaluated, _ = recompute_clock_states(uow, now=now)
        uow.commit()
    clocks = _clocks(app_db)
    assert evaluated == len(clocks) == 6
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        book = current_rulebook(uow)
        expected = [
            clock_status(c, rule=rule_for(book, c.jurisdiction, c.rule_id), now=now).state.value
            for c in clocks
        ]
    assert [c.state for c in clocks] == expected
    assert np.isin(["overdue", "on_track"], expected).all()


def test_a_referral_goes_to_the_council_of_the_referrer_or_the_one_they_chose(
    app_db: Database, world: World
) -> None:
    # A second council in the partnership, with its own social care team and a school: the
    # school's referral is that council's to decide; the force covers both councils, so its
    # officer says which council area the child lives in.
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        la, school = register_agencies(
            uow,
            entries=[
                AgencyEntry(
                    "LA-ROCHDALE",
                    "social_care",
                    "Rochdale Children's Social Care",
                    "E08000005",
                    "Rochdale",
                ),
                AgencyEntry(
                    "EDU-ROCHDALE", "education", "Rochdale schools", "E08000005", "Rochdale"
                ),
            ],
        )
        team = ensure_team(uow, agency=la, name="Rochdale front door")
        uow.commit()
    officer = world.actor(app_db, world.police_officer)
    # The officer's user, as a member of the school: a referrer whose own area has a council.
    at_school = replace(officer, agency_id=school.id)
    with unit_of_work(app_db, actor=at_school) as uow:
        from_school = record_referral(uow, referral=DRAFT)
        uow.commit()
    with unit_of_work(app_db, actor=officer) as uow:
        with pytest.raises(ReferralRefusedError, match="council_agency_id"):
            record_referral(uow, referral=DRAFT)
        from_police = record_referral(uow, referral=replace(DRAFT, council_agency_id=la.id))
        uow.commit()
        expected = {(la.id, team.id)}
    for referral in (from_school, from_police):
        clocks = _clocks(app_db, referral_id=referral.id)
        assert {(c.owner_agency_id, c.owner_team_id) for c in clocks} == expected
