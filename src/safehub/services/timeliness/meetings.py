"""Strategy discussions and multi-agency meetings: invitees by agency, attendance, information
shared, decisions, and actions with an owner and a due date, tracked to done.

Disruption is work like any other action: child abduction warning notices, sexual risk and
sexual harm prevention orders, closure orders, licence reviews. A person of concern who works or
volunteers with children prompts a referral to the local authority designated officer (LADO).

Meetings drive clocks: planning a strategy discussion starts any local rule on
``decision_to_hold_strategy_discussion``; holding it stops that clock, and when section 47
enquiries are started, the initial child protection conference clock (15 working days) starts.
The minutes of a meeting held and each action done go into the case chronology
(``meeting_chronology``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from safehub.access.actor import Actor
from safehub.db.models import Agency, CaseAgency, SafeguardingCase, User
from safehub.db.models.timeliness import Meeting, MeetingAction, MeetingInvitee
from safehub.db.queries import timeliness as q
from safehub.db.queries import timeliness_meetings as mq
from safehub.db.queries import timeliness_workforce as wq
from safehub.db.queries.timeliness_meetings import ActionRow, InviteeRow
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice.saved_anyway import (
    LanguageHeldError,
    TextCheck,
    check_for_saving,
)
from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    check_event_reasons,
    complete_clock,
    record_clock_event,
    start_deadline_clock,
)
from safehub.services.timeliness.meeting_drafts import (
    ACTION_TYPES,
    MEETING_KINDS,
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
)
from safehub.services.timeliness.rules import working_calendar
from safehub.timescales import local_date

# The events a meeting of each kind records when it is held (rules as data decide the clocks).
_HELD_EVENTS = {
    "strategy_discussion": "strategy_discussion_held",
    "initial_conference": "initial_conference_held",
    "review_conference": "review_conference_held",
}
# Working Together 2023 asks for an allegation about someone working with children to reach the
# LADO within one working day.
LADO_WORKING_DAYS = 1


@dataclass(frozen=True, slots=True)
class ActionView(ActionRow):
    """An action as the meeting page shows it: the row, and its type in words."""

    type_label: str = ""


@dataclass(frozen=True, slots=True)
class MeetingView:
    meeting: Meeting
    kind_label: str
    case_reference: str
    invitees: list[InviteeRow]
    actions: list[ActionView]


def _require_case_access(uow: UnitOfWork, case_id: int) -> SafeguardingCase:
    """A case whose agencies include the actor's (need to know); else it does not exist."""
    case = uow.session.get(SafeguardingCase, case_id)
    involved = uow.session.get(CaseAgency, (case_id, uow.actor.agency_id)) if case else None
    if case is None or involved is None:
        raise NotFoundError(f"case {case_id}")
    return case


def plan_meeting(
    uow: UnitOfWork, *, case_id: int, meeting: MeetingDraft, decided_at: datetime | None = None
) -> Meeting:
    """Plan a meeting for a case and invite agencies (the actor's own always). Deciding to hold
    a strategy discussion starts any local clock for holding it.

    Raises ``NotFoundError`` for a case the actor's agency is not on, ``MeetingError`` naming
    each problem of the draft."""
    _require_case_access(uow, case_id)
    errors = meeting.problems()
    if errors:
        raise MeetingError(errors)
    assert meeting.scheduled_for is not None
    return _plan(uow, case_id, meeting, meeting.scheduled_for, decided_at)


def _plan(
    uow: UnitOfWork,
    case_id: int,
    draft: MeetingDraft,
    scheduled_for: datetime,
    decided_at: datetime | None,
) -> Meeting:
    actor, kind = uow.actor, draft.kind
    meeting = Meeting(
        case_id=case_id,
        kind=kind,
        title=draft.title.strip(),
        scheduled_for=scheduled_for,
        status="planned",
        chair_user_id=actor.user_id,
        organising_agency_id=actor.agency_id,
        created_by_user_id=actor.user_id,
    )
    uow.session.add(meeting)
    uow.session.flush()
    assert actor.agency_id is not None
    for agency_id in sorted(set(draft.agency_ids) | {actor.agency_id}):
        uow.session.add(MeetingInvitee(meeting_id=meeting.id, agency_id=agency_id))
    uow.session.flush()
    uow.audit("collection", "meeting", [meeting.id], purpose=f"{kind} planned")
    if kind == "strategy_discussion":
        record_clock_event(
            uow,
            event="decision_to_hold_strategy_discussion",
            at=decided_at or datetime.now(UTC),
            subject=ClockSubject(case_id=case_id),
            owner=_owner_of(actor),
            title=f"{MEETING_KINDS[kind]} for case {case_id}",
        )
    return meeting


def _owner_of(actor: Actor) -> ClockOwner:
    assert actor.agency_id is not None
    return ClockOwner(agency_id=actor.agency_id, team_id=actor.team_id, user_id=actor.user_id)


def view_meeting(uow: UnitOfWork, *, meeting_id: int) -> MeetingView:
    meeting = _meeting(uow, meeting_id)
    case = uow.session.get(SafeguardingCase, meeting.case_id)
    invitees = mq.list_invitee_rows(uow.session, meeting_id)
    actions = [
        ActionView(**asdict(row), type_label=ACTION_TYPES[row.action_type])
        for row in mq.list_action_rows(uow.session, meeting_id)
    ]
    uow.audit("consultation", "meeting", [meeting_id], purpose="case work")
    return MeetingView(
        meeting, MEETING_KINDS[meeting.kind], case.reference if case else "", invitees, actions
    )


def _meeting(uow: UnitOfWork, meeting_id: int) -> Meeting:
    """A meeting the actor's agency is invited to or works the case of; else none."""
    actor = uow.actor
    meeting = uow.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError(f"meeting {meeting_id}")
    invited = uow.session.get(MeetingInvitee, (meeting_id, actor.agency_id))
    on_case = uow.session.get(CaseAgency, (meeting.case_id, actor.agency_id))
    if invited is None and on_case is None:
        raise NotFoundError(f"meeting {meeting_id}")
    return meeting


def meetings_for(uow: UnitOfWork, *, limit: int = 50) -> list[Meeting]:
    """Meetings the actor's agency is invited to, the soonest planned first, then those held."""
    found = mq.list_meetings_of_agency(uow.session, uow.actor.agency_id, limit=limit)
    uow.audit("consultation", "meeting_list", [m.id for m in found], purpose="own meetings")
    return found


def record_meeting(
    uow: UnitOfWork,
    *,
    meeting_id: int,
    record: MeetingRecord,
    reason: str | None = None,
) -> Meeting:
    """Record a meeting as held: attendance, information shared, decisions; stop and start the
    clocks it moves; a person of concern working with children prompts a LADO referral.

    Raises ``MeetingError`` naming each problem, ``OverrunReasonNeededError`` when a clock it
    stops is late and ``reason`` is empty, ``LanguageHeldError`` when the record has language
    flags and its author has not chosen to keep it as written (with a reason)."""
    meeting = _meeting(uow, meeting_id)
    held_at = _checked_record(meeting, record)
    language, late = _checked_language(uow, record, reason)
    for event in _events_when_held(meeting.kind, record.s47_initiated):
        check_event_reasons(
            uow,
            event=event,
            at=held_at,
            subject=ClockSubject(case_id=meeting.case_id),
            reason=reason,
        )
    meeting.status, meeting.held_at = "held", held_at
    meeting.information_shared = record.information_shared.strip()
    meeting.decisions = record.decisions.strip()
    meeting.language_flags, meeting.language_reason = language.flags or None, language.reason
    meeting.s47_initiated = record.s47_initiated if meeting.kind == "strategy_discussion" else None
    for invitee in mq.list_invitees(uow.session, meeting_id):
        invitee.attended = invitee.agency_id in record.attended_agency_ids
    uow.audit("collection", "meeting", [meeting_id], purpose=f"{meeting.kind} recorded")
    _move_clocks(uow, meeting, reason, late)
    if record.works_with_children:
        _prompt_lado_referral(uow, meeting, record.works_with_children)
    return meeting


def _checked_language(
    uow: UnitOfWork, record: MeetingRecord, reason: str | None
) -> tuple[TextCheck, TextCheck | None]:
    """The language checks of what the record says and of the reason a clock it stops is late
    ("held late because she would not engage" blames the child for the delay), asked together
    so that the page shows every flag at once. ``LanguageHeldError`` (with the flags) when
    either has flags and its author has not chosen to keep it as written; ``MeetingError``
    naming ``language_reason`` when they have but gave no reason."""
    text = f"{record.information_shared}\n{record.decisions}"
    language = _check(uow, text, record.language_reason, "meeting record")
    late = _check(uow, reason, record.language_reason, "reason for the delay") if reason else None
    problems = language.problems | (late.problems if late else {})
    if record.save_anyway and problems:
        raise MeetingError(problems)
    _hold_together(language, late, save_anyway=record.save_anyway)
    return language, late


def _check(uow: UnitOfWork, text: str, language_reason: str, what: str) -> TextCheck:
    return check_for_saving(
        uow, text=text.strip(), reason=language_reason, what=what, field="language_reason"
    )


def _hold_together(*checks: TextCheck | None, save_anyway: bool) -> None:
    """Raise ``LanguageHeldError`` with the flags of every text of one form, unless each may
    be saved now (no flags that hold it, or kept as written with a reason)."""
    found = [c for c in checks if c is not None]
    if not any(c.holds and (not save_anyway or c.problems) for c in found):
        return
    flags = [f for c in found for f in c.flags]
    problems = {k: v for c in found for k, v in c.problems.items()}
    combined = TextCheck(flags, None, found[0].rules_digest, problems)
    raise LanguageHeldError(combined, asked_to_save=save_anyway)


def _checked_record(meeting: Meeting, record: MeetingRecord) -> datetime:
    """When the meeting was held; ``MeetingError`` with every problem of the record."""
    errors = record.problems()
    if meeting.kind == "strategy_discussion" and record.s47_initiated is None:
        errors["s47_initiated"] = "Select whether section 47 enquiries were started"
    if meeting.status != "planned":
        errors["held_at"] = "This meeting has already been recorded"
    if errors:
        raise MeetingError(errors)
    assert record.held_at is not None
    return record.held_at


def _move_clocks(
    uow: UnitOfWork, meeting: Meeting, reason: str | None, late: TextCheck | None
) -> None:
    assert meeting.held_at is not None
    subject, owner = ClockSubject(case_id=meeting.case_id), _owner_of(uow.actor)
    title = f"{MEETING_KINDS[meeting.kind]} for case {meeting.case_id}"
    for event in _events_when_held(meeting.kind, meeting.s47_initiated):
        record_clock_event(
            uow,
            event=event,
            at=meeting.held_at,
            subject=subject,
            owner=owner,
            title=title,
            reason=reason,
            reason_check=late,
        )


def _events_when_held(kind: str, s47_initiated: bool | None) -> list[str]:
    events = [_HELD_EVENTS[kind]] if kind in _HELD_EVENTS else []
    if kind == "strategy_discussion" and s47_initiated:
        # Working Together 2023: the initial conference within 15 working days of the strategy
        # discussion at which section 47 enquiries were started.
        events.append("strategy_discussion_started_s47")
    return events


def _prompt_lado_referral(uow: UnitOfWork, meeting: Meeting, role: str) -> None:
    assert meeting.held_at is not None
    social_care = mq.get_social_care_on_case(uow.session, meeting.case_id)
    owner_agency = social_care or uow.actor.agency_id
    assert owner_agency is not None
    due_on = working_calendar("england").add_working_days(
        local_date(meeting.held_at), LADO_WORKING_DAYS
    )
    _add_action(
        uow,
        meeting,
        action_type="lado_referral",
        owner_agency_id=owner_agency,
        owner_user_id=None,
        due_on=due_on,
        at=meeting.held_at,
        description=(
            f"A person of concern discussed works or volunteers with children "
            f"({role.strip()}): refer to the LADO within one working day."
        ),
    )


def add_action(uow: UnitOfWork, *, meeting_id: int, action: ActionDraft) -> MeetingAction:
    """An action agreed at the meeting, owned by an agency (and a person), due on a date.

    Raises ``MeetingError`` naming each problem: the draft's, an owner who is not on record,
    a due date before the meeting."""
    meeting = _meeting(uow, meeting_id)
    errors = action.problems() | _owner_problems(uow, action)
    if action.due_on is not None and action.due_on < local_date(
        meeting.held_at or meeting.scheduled_for
    ):
        errors["due_on"] = "The due date must be on or after the meeting"
    if errors:
        raise MeetingError(errors)
    assert action.owner_agency_id is not None and action.due_on is not None
    language = _check(uow, action.description, action.language_reason, "action")
    _hold_together(language, save_anyway=action.save_anyway)
    added = _add_action(
        uow,
        meeting,
        action_type=action.action_type,
        description=action.description.strip(),
        owner_agency_id=action.owner_agency_id,
        owner_user_id=action.owner_user_id,
        due_on=action.due_on,
        at=datetime.now(UTC),
    )
    added.created_by_user_id = uow.actor.user_id
    added.language_flags, added.language_reason = language.flags or None, language.reason
    return added


def _owner_problems(uow: UnitOfWork, action: ActionDraft) -> dict[str, str]:
    agency_id, user_id = action.owner_agency_id, action.owner_user_id
    if agency_id is not None and uow.session.get(Agency, agency_id) is None:
        return {"owner_agency_id": "Select the agency that owns the action"}
    user = uow.session.get(User, user_id) if user_id is not None else None
    if user_id is not None and (user is None or user.agency_id != agency_id):
        return {"owner_user_id": "Select a person from the agency that owns the action"}
    return {}


def _add_action(
    uow: UnitOfWork,
    meeting: Meeting,
    *,
    action_type: str,
    description: str,
    owner_agency_id: int,
    owner_user_id: int | None,
    due_on: date,
    at: datetime,
) -> MeetingAction:
    user = uow.session.get(User, owner_user_id) if owner_user_id else None
    team_id = (user.team_id if user else None) or q.get_first_team_id(uow.session, owner_agency_id)
    clock = start_deadline_clock(
        uow,
        title=f"{ACTION_TYPES[action_type]} (case {meeting.case_id})",
        due_on=due_on,
        at=at,
        subject=ClockSubject(case_id=meeting.case_id),
        owner=ClockOwner(owner_agency_id, team_id, owner_user_id),
    )
    action = MeetingAction(
        meeting_id=meeting.id,
        case_id=meeting.case_id,
        action_type=action_type,
        description=description,
        owner_agency_id=owner_agency_id,
        owner_user_id=owner_user_id,
        due_on=due_on,
        status="open",
        clock_id=clock.id,
    )
    uow.session.add(action)
    uow.session.flush()
    uow.audit("collection", "meeting_action", [action.id], purpose=f"{action_type} agreed")
    return action


def complete_action(
    uow: UnitOfWork,
    *,
    action_id: int,
    outcome: str,
    reason: str | None = None,
    at: datetime | None = None,
    save_anyway: bool = False,
    language_reason: str = "",
) -> MeetingAction:
    """The owning agency records the action as done, with its outcome (and, if late, why).

    The outcome and the reason are checked for language together: ``LanguageHeldError`` with
    the flags of both unless its author saves them anyway and says why in ``language_reason``
    (one reason for the form, kept with each text it was needed for)."""
    action = uow.session.get(MeetingAction, action_id)
    if action is None:
        raise NotFoundError(f"action {action_id}")
    actor = uow.actor
    if action.owner_agency_id != actor.agency_id:
        raise ForbiddenError("only the agency that owns an action can record it as done")
    if len(outcome.strip()) < 3:
        raise MeetingError({"outcome": "Enter what was done"})
    at = at or datetime.now(UTC)
    checked = _check(uow, outcome, language_reason, "outcome")
    late = _check(uow, reason, language_reason, "reason for the delay") if reason else None
    _hold_together(checked, late, save_anyway=save_anyway)
    if action.clock_id is not None:
        complete_clock(
            uow,
            clock_id=action.clock_id,
            reason=reason,
            at=at,
            save_anyway=save_anyway,
            language_reason=language_reason,
        )
    action.status, action.done_at, action.done_by_user_id = "done", at, actor.user_id
    action.outcome = outcome.strip()
    action.outcome_language_flags = checked.flags or None
    action.outcome_language_reason = checked.reason
    uow.audit("alteration", "meeting_action", [action.id], purpose="action done")
    return action


def agencies_to_invite(uow: UnitOfWork, *, case_id: int) -> list[tuple[int, str]]:
    """(agency id, name) of the agencies on a case the actor's agency works on, to invite to a
    meeting about it; which agencies are involved with a child is itself case data, so the read
    is logged. ``NotFoundError`` for any other case."""
    _require_case_access(uow, case_id)
    uow.audit("consultation", "case", [case_id], purpose="planning a meeting")
    return mq.list_agencies_on_case(uow.session, case_id)


def staff_of(uow: UnitOfWork, *, agency_ids: list[int]) -> list[tuple[int, str, int]]:
    """(user id, name, agency id) of active staff who may own actions."""
    return wq.list_active_staff(uow.session, agency_ids)
