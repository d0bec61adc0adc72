"""SQL for meetings: who was invited, the actions agreed with their clocks, the meetings of an
agency, and the agencies on a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safehub.db.models import Agency, CaseAgency, CaseMember, SafeguardingCase, User
from safehub.db.models.timeliness import Clock, Meeting, MeetingAction, MeetingInvitee


@dataclass(frozen=True, slots=True)
class InviteeRow:
    agency_id: int
    agency_name: str
    attended: bool | None


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action agreed at a meeting, with its owners' names and its clock's state."""

    action_id: int
    action_type: str
    description: str
    owner_agency: str
    owner_user: str | None
    due_on: date
    status: str
    outcome: str | None
    clock_state: str | None
    overrun_reason: str | None


def list_invitee_rows(session: Session, meeting_id: int) -> list[InviteeRow]:
    """The agencies invited to a meeting, by name, and whether each attended."""
    rows = session.execute(
        select(Agency.id, Agency.name, MeetingInvitee.attended)
        .join(Agency, Agency.id == MeetingInvitee.agency_id)
        .where(MeetingInvitee.meeting_id == meeting_id)
        .order_by(Agency.name)
    ).all()
    return [InviteeRow(agency_id, name, attended) for agency_id, name, attended in rows]


def list_invitees(session: Session, meeting_id: int) -> list[MeetingInvitee]:
    query = select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting_id)
    return list(session.scalars(query))


def list_action_rows(session: Session, meeting_id: int) -> list[ActionRow]:
    """The actions agreed at a meeting, soonest due first."""
    rows = session.execute(
        select(
            MeetingAction.id.label("action_id"),
            MeetingAction.action_type,
            MeetingAction.description,
            Agency.name.label("owner_agency"),
            User.display_name.label("owner_user"),
            MeetingAction.due_on,
            MeetingAction.status,
            MeetingAction.outcome,
            Clock.state.label("clock_state"),
            Clock.overrun_reason,
        )
        .join(Agency, Agency.id == MeetingAction.owner_agency_id)
        .outerjoin(User, User.id == MeetingAction.owner_user_id)
        .outerjoin(Clock, Clock.id == MeetingAction.clock_id)
        .where(MeetingAction.meeting_id == meeting_id)
        .order_by(MeetingAction.due_on, MeetingAction.id)
    ).all()
    return [ActionRow(**row._asdict()) for row in rows]


def list_meetings_of_agency(
    session: Session, agency_id: int | None, *, limit: int
) -> list[Meeting]:
    """Meetings an agency is invited to, the soonest planned first, then those held."""
    query = (
        select(Meeting)
        .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .where(MeetingInvitee.agency_id == agency_id)
        .order_by(Meeting.status.desc(), Meeting.scheduled_for, Meeting.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def list_agencies_on_case(session: Session, case_id: int) -> list[tuple[int, str]]:
    """(agency id, name) of the agencies working on a case, by name."""
    rows = session.execute(
        select(Agency.id, Agency.name)
        .join(CaseAgency, CaseAgency.agency_id == Agency.id)
        .where(CaseAgency.case_id == case_id)
        .order_by(Agency.name)
    ).all()
    return [(agency_id, name) for agency_id, name in rows]


def get_social_care_on_case(session: Session, case_id: int) -> int | None:
    """The first children's social care agency working on a case, if any."""
    query = (
        select(Agency.id)
        .join(CaseAgency, CaseAgency.agency_id == Agency.id)
        .where(CaseAgency.case_id == case_id, Agency.agency_type == "social_care")
        .order_by(Agency.id)
    )
    return session.scalars(query).first()


def list_open_cases(session: Session, *, limit: int) -> list[SafeguardingCase]:
    """The first open cases, oldest first."""
    query = (
        select(SafeguardingCase)
        .where(SafeguardingCase.status == "open")
        .order_by(SafeguardingCase.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def get_case_social_worker(session: Session, case_id: int) -> User | None:
    """The first social worker on a case's team."""
    query = (
        select(User)
        .join(CaseMember, CaseMember.user_id == User.id)
        .where(CaseMember.case_id == case_id, User.role == "social_worker")
        .order_by(User.id)
    )
    return session.scalars(query).first()
