"""Escalation: overdue work climbs a ladder (worker, team manager, head of service, partnership)
after the intervals set in ``escalation_step``, each rung notified once, in the app and by email.

Intervals count from the due day: working days for date-based clocks (a clock due on Friday is
not two working days late on Sunday), elapsed hours for hours clocks (the 72-hour return home
interview cannot wait for Monday).

>>> step = Step(level=2, name="Team manager", recipient_role="team_manager",
...             after_working_days=2, after_hours=24, email=None)
>>> reached(step, late_working_days=2, late_hours=None)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from safehub.db.models.agencies import User
from safehub.db.models.timeliness import Clock
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.extracts.identifiers import normalise_email
from safehub.services.timeliness.notifications import NewNotification, Recipient, notify
from safehub.services.timeliness.rules import working_calendar
from safehub.timescales import local_date

OWNER, PARTNERSHIP = "owner", "partnership"


@dataclass(frozen=True, slots=True)
class Step:
    level: int
    name: str
    recipient_role: str
    after_working_days: int
    after_hours: int
    email: str | None


@dataclass(frozen=True, slots=True)
class EscalationResult:
    clocks_escalated: int
    notifications: int


def ladder(uow: UnitOfWork) -> list[Step]:
    rows = q.list_escalation_steps(uow.session)
    return [
        Step(r.level, r.name, r.recipient_role, r.after_working_days, r.after_hours, r.email)
        for r in rows
    ]


def partnership_mailbox(uow: UnitOfWork) -> str:
    """The address the partnership rung also emails ("" when none is set)."""
    return next((s.email for s in ladder(uow) if s.recipient_role == PARTNERSHIP and s.email), "")


def set_partnership_mailbox(uow: UnitOfWork, *, email: str) -> str:
    """Set (or, blank, clear) the partnership's mailbox on the partnership rung of the ladder.

    Raises ``ValueError`` with the fix when the address is not one. The mailbox gets the email
    without the child's details (``_notify_step``): it is a weaker wall than Safehub.
    """
    address = normalise_email(email) if email.strip() else ""
    if address is None:
        raise ValueError(
            "Enter the mailbox in the correct format, like safeguarding@partnership.gov.uk"
        )
    rungs = q.list_escalation_steps_for(uow.session, PARTNERSHIP)
    for rung in rungs:
        rung.email = address or None
    uow.audit(
        "alteration",
        "escalation_step",
        [r.level for r in rungs],
        purpose="partnership mailbox for escalations set",
    )
    return address


def reached(step: Step, *, late_working_days: int | None, late_hours: int | None) -> bool:
    """True when a clock this late has reached the step (hours for hours clocks)."""
    if late_hours is not None:
        return late_hours >= step.after_hours
    return late_working_days is not None and late_working_days >= step.after_working_days


def escalate_overdue(uow: UnitOfWork, *, now: datetime, base_url: str = "") -> EscalationResult:
    """Climb every overdue clock up the ladder as far as its lateness reaches, notifying each
    rung passed. Safe to run again: a rung already notified is not notified twice."""
    steps = ladder(uow)
    if not steps:
        return EscalationResult(0, 0)
    today = local_date(now)
    escalated = sent = 0
    for row in q.list_overdue_clocks(
        uow.session, today=today, now=now, below_level=steps[-1].level
    ):
        late_days, late_hours = _lateness(row, today, now)
        due_steps = [
            s
            for s in steps
            if s.level > row.escalation_level
            and reached(s, late_working_days=late_days, late_hours=late_hours)
        ]
        if not due_steps:
            continue
        for step in due_steps:
            sent += len(_notify_step(uow, row, step, base_url))
        _raise_level(uow, row.clock_id, due_steps[-1].level, now)
        escalated += 1
    if escalated:
        uow.audit(
            "alteration",
            "clock",
            [],
            purpose="overdue work escalated",
            detail={"clocks": escalated, "notifications": sent},
        )
    return EscalationResult(escalated, sent)


def _lateness(row: q.OverdueClock, today: date, now: datetime) -> tuple[int | None, int | None]:
    if row.due_at is not None:
        return None, max(0, -(-int((now - row.due_at).total_seconds()) // 3600))
    calendar = working_calendar(row.jurisdiction)
    return max(0, calendar.working_days_between(row.due_on, today)), None


def _raise_level(uow: UnitOfWork, clock_id: int, level: int, now: datetime) -> None:
    clock = uow.session.get(Clock, clock_id)
    assert clock is not None
    clock.escalation_level = level
    clock.escalated_at = now


def recipients_for(uow: UnitOfWork, row: q.OverdueClock, step: Step) -> list[Recipient]:
    """Who hears at this rung: the owner; managers in the owner's team (or agency); heads of
    service; for the partnership, the heads of service of every agency on the case and the
    partnership mailbox."""
    if step.recipient_role == OWNER:
        found = _owner(uow, row)
    elif step.recipient_role == PARTNERSHIP:
        agencies = q.list_case_agency_ids(uow.session, row.case_id) if row.case_id else []
        found = q.list_users_with_role(
            uow.session, role="head_of_service", agency_ids=sorted({row.owner_agency_id, *agencies})
        )
    else:
        found = _managers(uow, row, step.recipient_role)
    people = [Recipient(user_id, email) for user_id, email in found]
    if step.email:
        people.append(Recipient(None, step.email))
    return people


def _owner(uow: UnitOfWork, row: q.OverdueClock) -> list[tuple[int, str | None]]:
    if row.owner_user_id is not None:
        user = uow.session.get(User, row.owner_user_id)
        return [(user.id, user.email)] if user and user.active else []
    # Unallocated work: the team's managers are its owners until someone takes it.
    return _managers(uow, row, "team_manager")


def _managers(uow: UnitOfWork, row: q.OverdueClock, role: str) -> list[tuple[int, str | None]]:
    in_team = []
    if row.owner_team_id is not None:
        in_team = q.list_users_with_role(
            uow.session, role=role, agency_ids=[row.owner_agency_id], team_id=row.owner_team_id
        )
    return in_team or q.list_users_with_role(
        uow.session, role=role, agency_ids=[row.owner_agency_id]
    )


def _notify_step(uow: UnitOfWork, row: q.OverdueClock, step: Step, base_url: str) -> list[int]:
    due = row.due_at.strftime("%-d %B %Y %H:%M") if row.due_at else row.due_on.strftime("%-d %B %Y")
    link = f"{base_url}/inbox/clocks/{row.clock_id}"
    note = NewNotification(
        subject=f"Overdue ({step.name.lower()} escalation): work due {due}",
        body=f"{row.title} was due {due} and is overdue. Escalated to: {step.name}.",
        # Email-only recipients (a partnership mailbox) get no title: it may name the child.
        email_body=(
            f"Work owned in Safehub (reference CLOCK-{row.clock_id}) was due {due} and "
            f"has been escalated to: {step.name}. Sign in to see it: {link}"
        ),
        link=link,
        clock_id=row.clock_id,
        dedupe_key=f"escalation:{row.clock_id}:{step.level}",
    )
    return notify(
        uow, recipients=recipients_for(uow, row, step), note=note, purpose="overdue work escalated"
    )
