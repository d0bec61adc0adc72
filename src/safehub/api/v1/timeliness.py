"""Inbox, clocks, meetings and workforce as JSON: the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import Page, PathId, RowId, refusal
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice import LanguageHeldError
from safehub.services.timeliness import (
    ACTION_TYPES,
    MEETING_KINDS,
    SCOPES,
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
    OverrunReasonNeededError,
    add_action,
    complete_action,
    complete_clock,
    plan_meeting,
    record_meeting,
    view_inbox,
    view_meeting,
    view_workforce,
)

router = APIRouter(tags=["timeliness"])
_SCOPE_PATTERN = f"^({'|'.join(SCOPES)})$"


class InboxItemPublic(BaseModel):
    clock_id: int
    title: str
    rule_id: str
    due: date | datetime
    state: str
    overdue_by: int
    remaining: int
    counted_in: str
    needs_reason: bool
    overrun_reason: str | None


class InboxPublic(BaseModel):
    scope: str
    counts: dict[str, int]
    items: list[InboxItemPublic]


class ClockComplete(BaseModel):
    reason: str | None = None
    # A reason the language checker flags is kept as written only with why (as on the page).
    save_anyway: bool = False
    language_reason: str = ""


class ClockPublic(BaseModel):
    clock_id: int
    state: str
    overrun_reason: str | None


class MeetingCreate(BaseModel):
    """A meeting to plan; the service validates it (one validation, the page's)."""

    case_id: RowId
    kind: str = Field(description=f"One of: {', '.join(MEETING_KINDS)}")
    title: str
    scheduled_for: datetime
    agency_ids: list[RowId] = Field(description="The agencies invited (yours is always invited)")

    def draft(self) -> MeetingDraft:
        return MeetingDraft(self.kind, self.title, self.scheduled_for, tuple(self.agency_ids))


class MeetingRecordCreate(BaseModel):
    """What happened at a meeting; the service validates it."""

    held_at: datetime
    attended_agency_ids: list[RowId]
    information_shared: str
    decisions: str
    s47_initiated: bool | None = Field(
        default=None, description="Strategy discussions: whether section 47 enquiries started"
    )
    works_with_children: str | None = Field(
        default=None, description="The role of a person of concern who works with children"
    )
    reason: str | None = Field(default=None, description="Why a clock it stops is late")
    language_reason: str = Field(
        default="",
        description="Why the record is kept with language the checker flags (needed only then)",
    )

    def record(self) -> MeetingRecord:
        return MeetingRecord(
            self.held_at,
            tuple(self.attended_agency_ids),
            self.information_shared,
            self.decisions,
            self.s47_initiated,
            self.works_with_children,
            save_anyway=True,
            language_reason=self.language_reason,
        )


class ActionCreate(BaseModel):
    """An action agreed at a meeting; the service validates it."""

    action_type: str = Field(description=f"One of: {', '.join(ACTION_TYPES)}")
    description: str
    owner_agency_id: RowId
    owner_user_id: RowId | None = None
    due_on: date
    # A description the language checker flags is kept as written only with why (as on the page).
    save_anyway: bool = False
    language_reason: str = ""

    def draft(self) -> ActionDraft:
        return ActionDraft(
            self.action_type,
            self.description,
            self.owner_agency_id,
            self.owner_user_id,
            self.due_on,
            save_anyway=self.save_anyway,
            language_reason=self.language_reason,
        )


class ActionComplete(BaseModel):
    outcome: str
    reason: str | None = None
    # An outcome or reason the language checker flags is kept as written only with why.
    save_anyway: bool = False
    language_reason: str = ""


class ActionPublic(BaseModel):
    action_id: int
    action_type: str
    description: str
    owner_agency: str
    due_on: date
    status: str
    outcome: str | None


class MeetingPublic(BaseModel):
    meeting_id: int
    case_id: int
    kind: str
    title: str
    status: str
    actions: list[ActionPublic]


class WorkerLoadPublic(BaseModel):
    user_id: int
    name: str
    open_cases: int
    open_clocks: int
    overdue: int


class WorkforcePublic(BaseModel):
    workers: list[WorkerLoadPublic]
    backlog: dict[str, int]


def _invalid(*messages: str) -> JSONResponse:
    return JSONResponse({"error": "Invalid request", "detail": list(messages)}, 422)


def _held_messages(held: LanguageHeldError, *, field: str = "reason") -> list[str]:
    """What a text held back for its language needs: revising, or keeping with why."""
    if held.errors:
        return [f"{name}: {message}" for name, message in held.errors.items()]
    phrases = ", ".join(f"“{f['text']}”" for f in held.flags if f.get("severity") == "error")
    return [
        f"{field}: change {phrases}, or send save_anyway with language_reason saying why "
        "it is kept as written"
    ]


def _refused(problem: MeetingError) -> JSONResponse:
    return _invalid(*(f"{field}: {message}" for field, message in problem.errors.items()))


@router.get("/inbox", operation_id="get_inbox", response_model=InboxPublic)
def api_inbox(
    ctx: Annotated[Context, Depends(require(Permission.VIEW_INBOX))],
    scope: Annotated[str, Query(pattern=_SCOPE_PATTERN)] = "mine",
    page: Page = 1,
) -> InboxPublic:
    inbox = view_inbox(ctx.uow, scope=scope, page=page)
    ctx.uow.commit()
    items = [
        InboxItemPublic(
            clock_id=i.clock_id,
            title=i.title,
            rule_id=i.rule_id,
            due=i.due,
            state=i.state,
            overdue_by=i.overdue_by,
            remaining=i.remaining,
            counted_in=i.counted_in.value,
            needs_reason=i.needs_reason,
            overrun_reason=i.overrun_reason,
        )
        for i in inbox.items
    ]
    return InboxPublic(scope=inbox.scope, counts=inbox.counts, items=items)


@router.post(
    "/clocks/{clock_id}/complete",
    operation_id="complete_clock",
    response_model=ClockPublic,
    responses={422: refusal("A reason is needed")},
)
def api_complete_clock(
    clock_id: PathId,
    body: ClockComplete,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_INBOX))],
    csrf: CsrfHeader = None,
) -> ClockPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        clock = complete_clock(
            ctx.uow,
            clock_id=clock_id,
            reason=body.reason,
            save_anyway=body.save_anyway,
            language_reason=body.language_reason,
        )
    except OverrunReasonNeededError as problem:
        return _invalid(f"reason: {problem}")
    except LanguageHeldError as held:
        return _invalid(*_held_messages(held))
    ctx.uow.commit()
    return ClockPublic(clock_id=clock.id, state=clock.state, overrun_reason=clock.overrun_reason)


@router.post(
    "/meetings",
    operation_id="plan_meeting",
    status_code=201,
    response_model=MeetingPublic,
    responses={422: refusal("Invalid meeting")},
)
def api_plan_meeting(
    body: MeetingCreate,
    ctx: Annotated[Context, Depends(require(Permission.MANAGE_MEETINGS))],
    csrf: CsrfHeader = None,
) -> MeetingPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        meeting = plan_meeting(ctx.uow, case_id=body.case_id, meeting=body.draft())
    except MeetingError as problem:
        return _refused(problem)
    ctx.uow.commit()
    return _meeting(ctx, meeting.id)


def _meeting(ctx: Context, meeting_id: int) -> MeetingPublic:
    view = view_meeting(ctx.uow, meeting_id=meeting_id)
    ctx.uow.commit()
    m = view.meeting
    actions = [
        ActionPublic(
            action_id=a.action_id,
            action_type=a.action_type,
            description=a.description,
            owner_agency=a.owner_agency,
            due_on=a.due_on,
            status=a.status,
            outcome=a.outcome,
        )
        for a in view.actions
    ]
    return MeetingPublic(
        meeting_id=m.id,
        case_id=m.case_id,
        kind=m.kind,
        title=m.title,
        status=m.status,
        actions=actions,
    )


@router.get("/meetings/{meeting_id}", operation_id="get_meeting", response_model=MeetingPublic)
def api_get_meeting(
    meeting_id: PathId, ctx: Annotated[Context, Depends(require(Permission.MANAGE_MEETINGS))]
) -> MeetingPublic:
    return _meeting(ctx, meeting_id)


@router.post(
    "/meetings/{meeting_id}/record",
    operation_id="record_meeting",
    response_model=MeetingPublic,
    responses={422: refusal("Invalid record")},
)
def api_record_meeting(
    meeting_id: PathId,
    body: MeetingRecordCreate,
    ctx: Annotated[Context, Depends(require(Permission.MANAGE_MEETINGS))],
    csrf: CsrfHeader = None,
) -> MeetingPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        record_meeting(ctx.uow, meeting_id=meeting_id, record=body.record(), reason=body.reason)
    except MeetingError as problem:
        return _refused(problem)
    except OverrunReasonNeededError as problem:
        return _invalid(f"reason: {problem}")
    ctx.uow.commit()
    return _meeting(ctx, meeting_id)


@router.post(
    "/meetings/{meeting_id}/actions",
    operation_id="add_meeting_action",
    status_code=201,
    response_model=MeetingPublic,
    responses={422: refusal("Invalid action")},
)
def api_add_action(
    meeting_id: PathId,
    body: ActionCreate,
    ctx: Annotated[Context, Depends(require(Permission.MANAGE_MEETINGS))],
    csrf: CsrfHeader = None,
) -> MeetingPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        add_action(ctx.uow, meeting_id=meeting_id, action=body.draft())
    except MeetingError as problem:
        return _refused(problem)
    except LanguageHeldError as held:
        return _invalid(*_held_messages(held, field="description"))
    ctx.uow.commit()
    return _meeting(ctx, meeting_id)


@router.post(
    "/actions/{action_id}/complete",
    operation_id="complete_action",
    response_model=ActionPublic,
    responses={422: refusal("Invalid outcome")},
)
def api_complete_action(
    action_id: PathId,
    body: ActionComplete,
    ctx: Annotated[Context, Depends(require(Permission.MANAGE_ACTIONS))],
    csrf: CsrfHeader = None,
) -> ActionPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        action = complete_action(
            ctx.uow,
            action_id=action_id,
            outcome=body.outcome,
            reason=body.reason,
            save_anyway=body.save_anyway,
            language_reason=body.language_reason,
        )
    except ForbiddenError:
        raise NotFoundError(f"action {action_id}") from None
    except (MeetingError, OverrunReasonNeededError) as problem:
        return _invalid(str(problem))
    except LanguageHeldError as held:
        return _invalid(*_held_messages(held, field="outcome or reason"))
    ctx.uow.commit()
    return ActionPublic(
        action_id=action.id,
        action_type=action.action_type,
        description=action.description,
        owner_agency=str(action.owner_agency_id),
        due_on=action.due_on,
        status=action.status,
        outcome=action.outcome,
    )


@router.get("/workforce", operation_id="get_workforce", response_model=WorkforcePublic)
def api_workforce(
    ctx: Annotated[Context, Depends(require(Permission.VIEW_WORKFORCE))],
) -> WorkforcePublic:
    figures = view_workforce(ctx.uow)
    ctx.uow.commit()
    workers = [
        WorkerLoadPublic(
            user_id=w.user_id,
            name=w.name,
            open_cases=w.open_cases,
            open_clocks=w.open_clocks,
            overdue=w.overdue,
        )
        for w in figures.workers
    ]
    return WorkforcePublic(workers=workers, backlog=dict(figures.backlog))
