"""Demo data for timeliness: clocks running late, a strategy discussion held, actions agreed.

Run as a system actor (the demo's command); each meeting is planned and recorded by the case's
social worker, as it would be in the app.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from safehub.db.models import Agency, User
from safehub.db.queries import timeliness_meetings as mq
from safehub.db.uow import UnitOfWork
from safehub.services.accounts.users import actor_for
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, record_clock_event
from safehub.services.timeliness.meeting_drafts import ActionDraft, MeetingDraft, MeetingRecord
from safehub.services.timeliness.meetings import (
    add_action,
    plan_meeting,
    record_meeting,
)
from safehub.timescales import local_date


def seed_demo_timeliness(uow: UnitOfWork, *, cases: int = 5, now: datetime | None = None) -> int:
    """Demo data: for the first ``cases`` open cases, a referral clock running late, a strategy
    discussion held (starting the conference clock) and two actions, one of them disruption.
    Returns the number of cases given clocks. Run as a system actor (the demo's CLI)."""
    now = now or datetime.now(UTC)
    made = 0
    for case in mq.list_open_cases(uow.session, limit=cases):
        lead = _demo_lead(uow, case.id)
        if lead is None:
            continue
        record_clock_event(
            uow,
            event="referral_received",
            at=now - timedelta(days=9),
            subject=ClockSubject(case_id=case.id),
            owner=ClockOwner(lead.agency_id, lead.team_id, lead.id),
            title=f"Case {case.reference}",
        )
        _demo_meeting(uow, case.id, lead, now)
        made += 1
    return made


def _demo_lead(uow: UnitOfWork, case_id: int) -> User | None:
    return mq.get_case_social_worker(uow.session, case_id)


def _demo_meeting(uow: UnitOfWork, case_id: int, lead: User, now: datetime) -> None:
    # The lead social worker plans and records the meeting, as in the app: their agency invites
    # and chairs, and the audit log names them. The demo's own actor takes over again after.
    system = uow.actor
    uow.act_as(actor_for(lead))
    _lead_meeting(uow, case_id, lead, now)
    uow.act_as(system)


def _lead_meeting(uow: UnitOfWork, case_id: int, lead: User, now: datetime) -> None:
    agencies = tuple(a for a, _ in mq.list_agencies_on_case(uow.session, case_id))
    held = now - timedelta(days=3)
    meeting = plan_meeting(
        uow,
        case_id=case_id,
        meeting=MeetingDraft(
            kind="strategy_discussion",
            title="Strategy discussion: concerns about adults and vehicles",
            scheduled_for=held,
            agency_ids=agencies,
        ),
        decided_at=held,
    )
    record_meeting(
        uow,
        meeting_id=meeting.id,
        record=MeetingRecord(
            held_at=held,
            attended_agency_ids=agencies,
            information_shared="Police shared vehicle sightings; school shared absences.",
            decisions="Section 47 enquiries to start; disrupt the adults involved.",
            s47_initiated=True,
        ),
    )
    police = [a for a in agencies if _agency_type(uow, a) == "police"] or [lead.agency_id]
    warning_notices = ActionDraft(
        action_type="child_abduction_warning_notice",
        description="Serve child abduction warning notices on the adults seen with the child",
        owner_agency_id=police[0],
        owner_user_id=None,
        due_on=local_date(now) + timedelta(days=2),
    )
    add_action(uow, meeting_id=meeting.id, action=warning_notices)
    visit = ActionDraft(
        action_type="task",
        description="Joint visit to the child with a police officer",
        owner_agency_id=lead.agency_id,
        owner_user_id=lead.id,
        due_on=local_date(held) + timedelta(days=1),
    )
    add_action(uow, meeting_id=meeting.id, action=visit)


def _agency_type(uow: UnitOfWork, agency_id: int) -> str:
    agency = uow.session.get(Agency, agency_id)
    return agency.agency_type if agency else ""
