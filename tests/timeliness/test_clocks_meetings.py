"""Strategy discussions and meetings: invitees, attendance, decisions, actions closed, clocks
moved, minutes in the chronology, disruption actions and the LADO prompt."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from safehub.db.database import Database
from safehub.db.models.timeliness import Clock
from safehub.db.uow import unit_of_work
from safehub.services.casework.cases import open_case
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice import LanguageHeldError
from safehub.services.timeliness import (
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
    add_action,
    agencies_to_invite,
    complete_action,
    plan_meeting,
    record_meeting,
    view_meeting,
)
from safehub.services.timeliness.clocks import OverrunReasonNeededError
from tests.timeliness.conftest import SYSTEM, World, at, count


def _held_strategy_discussion(db: Database, world: World, **record: object) -> int:
    worker = world.actor(db, world.worker)
    with unit_of_work(db, actor=worker) as uow:
        meeting = plan_meeting(
            uow,
            case_id=world.case_id,
            meeting=MeetingDraft(
                kind="strategy_discussion",
                title="Concerns about older men and cars",
                scheduled_for=at("2025-06-02 10:00"),
                agency_ids=(world.police,),
            ),
        )
        details = {
            "held_at": at("2025-06-02 10:00"),
            "attended_agency_ids": (world.social_care, world.police),
            "information_shared": "Police: two vehicles seen at the school gate.",
            "decisions": "Section 47 enquiries to start; child abduction warning notices.",
            "s47_initiated": True,
            **record,
        }
        record_meeting(uow, meeting_id=meeting.id, record=MeetingRecord(**details))  # type: ignore[arg-type]
        uow.commit()
        return meeting.id


def test_a_strategy_discussion_that_starts_s47_enquiries_starts_the_conference_clock(
    app_db: Database, world: World
) -> None:
    _held_strategy_discussion(app_db, world)
    with unit_of_work(app_db, actor=world.actor(app_db, world.worker)) as uow:
        clocks = list(uow.session.scalars(select(Clock).where(Clock.case_id == world.case_id)))
        # Working Together 2023: initial conference within 15 working days (Monday 2 June 2025).
        assert [(c.rule_id, c.due_on) for c in clocks] == [
            ("initial_conference", date(2025, 6, 23))
        ]


def test_attendance_and_minutes_are_recorded_and_go_into_the_chronology(
    app_db: Database, world: World
) -> None:
    meeting_id = _held_strategy_discussion(app_db, world)
    officer = world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=officer) as uow:
        view = view_meeting(uow, meeting_id=meeting_id)
        assert {(i.agency_name, i.attended) for i in view.invitees} == {
            ("West Yorkshire Police", True),
            ("Bradford Children's Social Care", True),
        }
        rows = uow.session.execute(
            text("SELECT on_date, kind, title, detail FROM meeting_chronology WHERE case_id = :c"),
            {"c": world.case_id},
        ).all()
    ((on_date, kind, title, detail),) = rows
    assert (on_date, kind) == (date(2025, 6, 2), "meeting")
    assert title.startswith("Strategy discussion held")
    assert "two vehicles seen at the school gate" in detail and "Section 47" in detail


def test_disruption_actions_are_owned_tracked_and_closed_with_their_outcome(
    app_db: Database, world: World
) -> None:
    meeting_id = _held_strategy_discussion(app_db, world)
    worker, officer = world.actor(app_db, world.worker), world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=worker) as uow:
        action = add_action(
            uow,
            meeting_id=meeting_id,
            action=ActionDraft(
                action_type="child_abduction_warning_notice",
                description="Serve notices on the two drivers seen at the school",
                owner_agency_id=world.police,
                owner_user_id=world.police_officer,
                due_on=date(2025, 6, 6),
            ),
        )
        uow.commit()
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(ForbiddenError):
        complete_action(uow, action_id=action.id, outcome="Served")
    with unit_of_work(app_db, actor=officer) as uow:
        complete_action(
            uow,
            action_id=action.id,
            at=at("2025-06-05 15:00"),
            outcome="Notices served on both drivers",
        )
        uow.commit()
    with unit_of_work(app_db, actor=officer) as uow:
        (shown,) = view_meeting(uow, meeting_id=meeting_id).actions
        chronology = uow.session.execute(
            text(
                "SELECT title, detail FROM meeting_chronology WHERE case_id = :c AND kind = 'action'"
            ),
            {"c": world.case_id},
        ).all()
    assert (shown.status, shown.clock_state, shown.owner_user) == ("done", "met", "Pat Officer")
    assert chronology == [
        (
            "Action done: child abduction warning notice",
            "Serve notices on the two drivers seen at the school\n"
            "Outcome: Notices served on both drivers",
        )
    ]


def test_an_action_closed_late_asks_why(app_db: Database, world: World) -> None:
    meeting_id = _held_strategy_discussion(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        action = add_action(
            uow,
            meeting_id=meeting_id,
            action=ActionDraft(
                action_type="task",
                description="Visit the child at home with a police officer",
                owner_agency_id=world.social_care,
                owner_user_id=None,
                due_on=date(2025, 6, 4),
            ),
        )
        uow.commit()
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(OverrunReasonNeededError):
        complete_action(uow, action_id=action.id, outcome="Visited", at=at("2025-06-09 10:00"))
    with unit_of_work(app_db, actor=worker) as uow:
        done = complete_action(
            uow,
            action_id=action.id,
            outcome="Visited",
            at=at("2025-06-09 10:00"),
            reason="The child was in hospital",
        )
        uow.commit()
        clock = uow.session.get(Clock, done.clock_id)
        assert clock is not None
        assert (clock.state, clock.overrun_reason) == ("met_late", "The child was in hospital")


def test_an_action_closed_late_with_a_reason_blaming_the_child_is_held(
    app_db: Database, world: World
) -> None:
    meeting_id = _held_strategy_discussion(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        action = add_action(
            uow,
            meeting_id=meeting_id,
            action=ActionDraft(
                action_type="task",
                description="Visit the child at home with a police officer",
                owner_agency_id=world.social_care,
                owner_user_id=None,
                due_on=date(2025, 6, 4),
            ),
        )
        uow.commit()
    blaming = "Late because she chose not to attend the visit"
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        complete_action(
            uow, action_id=action.id, outcome="Visited", at=at("2025-06-09 10:00"), reason=blaming
        )
    assert [f["text"] for f in held.value.flags] == ["chose not to attend"]
    assert count(app_db, "SELECT count(*) FROM meeting_action WHERE status = 'done'") == 0


def test_a_person_of_concern_working_with_children_prompts_a_lado_referral(
    app_db: Database, world: World
) -> None:
    meeting_id = _held_strategy_discussion(app_db, world, works_with_children="school taxi driver")
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        (action,) = view_meeting(uow, meeting_id=meeting_id).actions
    assert action.action_type == "lado_referral"
    assert action.owner_agency == "Bradford Children's Social Care"
    assert "school taxi driver" in action.description
    assert action.due_on == date(2025, 6, 3)  # one working day after the meeting


def test_a_meeting_needs_decisions_and_attendance_before_it_is_recorded(
    app_db: Database, world: World
) -> None:
    with pytest.raises(MeetingError) as problem:
        _held_strategy_discussion(app_db, world, decisions="")
    assert list(problem.value.errors) == ["decisions"]


def test_the_demo_gives_cases_clocks_a_strategy_discussion_and_actions(
    app_db: Database, world: World
) -> None:
    from safehub.services.timeliness.demo import seed_demo_timeliness
    from tests.timeliness.conftest import SYSTEM

    with unit_of_work(app_db, actor=SYSTEM) as uow:
        assert seed_demo_timeliness(uow, now=at("2025-06-11 12:00")) == 1
        uow.commit()
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        rules = sorted(
            uow.session.scalars(select(Clock.rule_id).where(Clock.case_id == world.case_id))
        )
        kinds = sorted(
            uow.session.execute(
                text("SELECT action_type FROM meeting_action WHERE case_id = :c"),
                {"c": world.case_id},
            ).scalars()
        )
    assert rules == [
        "action_deadline",
        "action_deadline",
        "assessment",
        "initial_conference",
        "referral_decision",
    ]
    assert kinds == ["child_abduction_warning_notice", "task"]


def test_only_an_agency_on_the_case_sees_whom_to_invite_and_the_read_is_logged(
    app_db: Database, world: World
) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        council_only = open_case(
            uow, title="Concerns", children=[], agency_ids=[world.social_care], member_ids=[]
        ).id
        uow.commit()
    officer = world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=officer) as uow:
        names = [name for _, name in agencies_to_invite(uow, case_id=world.case_id)]
        uow.commit()
    assert names == ["Bradford Children's Social Care", "West Yorkshire Police"]
    with unit_of_work(app_db, actor=officer) as uow, pytest.raises(NotFoundError):
        agencies_to_invite(uow, case_id=council_only)
    logged = count(
        app_db,
        "SELECT count(*) FROM audit_event WHERE action = 'consultation' AND object_type = 'case' "
        "AND purpose = 'planning a meeting' AND object_ids ->> 0 = :case",
        case=str(world.case_id),
    )
    assert logged == 1
