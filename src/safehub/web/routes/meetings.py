"""Strategy discussions and multi-agency meetings: plan, record, agree actions, close them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.casework.cases import my_cases
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice import LanguageHeldError, check_language
from safehub.services.timeliness import (
    ACTION_TYPES,
    MEETING_KINDS,
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
    MeetingView,
    OverrunReasonNeededError,
    add_action,
    agencies_to_invite,
    complete_action,
    meetings_for,
    plan_meeting,
    record_meeting,
    staff_of,
    view_meeting,
)
from safehub.timescales import UK_TIME
from safehub.web.navigation import NavItem

NAV = [NavItem("/meetings", "Meetings", Permission.MANAGE_MEETINGS, 40)]
router = APIRouter()
Organiser = Annotated[Context, Depends(require(Permission.MANAGE_MEETINGS))]
ActionOwner = Annotated[Context, Depends(require(Permission.MANAGE_ACTIONS))]
DateParts = tuple[str, str, str]


def parse_day(parts: DateParts) -> date | None:
    """A date from the GOV.UK date input's day, month and year, or None if not a real date."""
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


def _uk_time(day: date, hhmm: str) -> datetime | None:
    try:
        clock = time.fromisoformat(hhmm.strip() or "10:00")
    except ValueError:
        return None
    return datetime.combine(day, clock, tzinfo=UK_TIME).astimezone(UTC)


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, ctx: Organiser) -> Response:
    found = meetings_for(ctx.uow)
    cases = my_cases(ctx.uow)
    ctx.uow.commit()
    case_rows = [
        [
            {"text": f"{c.about}: {c.title} ({c.reference})"},
            {
                "html": f'<a class="govuk-link" href="/cases/{c.case_id}/meetings/new">Plan a meeting'
                f'<span class="govuk-visually-hidden"> for {escape(c.reference)}</span></a>'
            },
        ]
        for c in cases
    ]
    rows = [
        [
            {"text": m.scheduled_for.astimezone(UK_TIME).strftime("%-d %b %Y %H:%M")},
            {"html": f'<a class="govuk-link" href="/meetings/{m.id}">{escape(m.title)}</a>'},
            {"text": MEETING_KINDS[m.kind]},
            {"text": m.status.capitalize()},
        ]
        for m in found
    ]
    return renderer(request).page(
        request, "timeliness/meetings.html", title="Meetings", rows=rows, case_rows=case_rows
    )


@router.get("/cases/{case_id}/meetings/new", response_class=HTMLResponse)
def new_meeting_page(request: Request, case_id: int, ctx: Organiser) -> Response:
    agencies = agencies_to_invite(ctx.uow, case_id=case_id)
    ctx.uow.commit()
    return _plan_page(request, case_id, agencies, {}, {})


def _plan_page(
    request: Request,
    case_id: int,
    agencies: list[tuple[int, str]],
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    chosen = values.get("agencies", [])
    return renderer(request).page(
        request,
        "timeliness/meeting_new.html",
        status_code=400 if errors else 200,
        title="Plan a meeting",
        case_id=case_id,
        values=values,
        errors=errors,
        error_list=error_list(errors, {"kind": "kind", "agencies": "agencies", "when": "when-day"}),
        kind_items=[
            {"value": k, "text": v, "checked": values.get("kind") == k}
            for k, v in MEETING_KINDS.items()
        ],
        agency_items=[
            {"value": str(a), "text": n, "checked": str(a) in chosen} for a, n in agencies
        ],
    )


@router.post("/cases/{case_id}/meetings/new", response_class=HTMLResponse)
def new_meeting_submit(
    request: Request,
    case_id: int,
    ctx: Organiser,
    csrf_token: CsrfField = None,
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="when-day")] = "",
    month: Annotated[str, Form(alias="when-month")] = "",
    year: Annotated[str, Form(alias="when-year")] = "",
    at: Annotated[str, Form()] = "10:00",
    agencies: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "kind": kind,
        "title": title,
        "when-day": day,
        "when-month": month,
        "when-year": year,
        "at": at,
        "agencies": agencies or [],
    }
    when_day = parse_day((day, month, year))
    draft = MeetingDraft(
        kind=kind,
        title=title,
        scheduled_for=_uk_time(when_day, at) if when_day else None,
        agency_ids=tuple(int(a) for a in agencies or []),
    )
    try:
        meeting = plan_meeting(ctx.uow, case_id=case_id, meeting=draft)
    except MeetingError as problem:
        found = agencies_to_invite(ctx.uow, case_id=case_id)
        return _plan_page(request, case_id, found, values, problem.errors)
    ctx.uow.commit()
    return redirect(f"/meetings/{meeting.id}")


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(request: Request, meeting_id: int, ctx: Organiser) -> Response:
    return _meeting_page(request, ctx, meeting_id, {}, {})


def _meeting_page(
    request: Request,
    ctx: Context,
    meeting_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    flags: list[dict[str, object]] | None = None,
    held_form: str = "record",
) -> Response:
    """The meeting page; ``flags`` are shown in the form named by ``held_form``: "record",
    "action" (the add-an-action form) or "done-<action id>" (an action's done form)."""
    view = view_meeting(ctx.uow, meeting_id=meeting_id)
    staff = staff_of(ctx.uow, agency_ids=[i.agency_id for i in view.invitees])
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "timeliness/meeting.html",
        status_code=400 if errors else 200,
        title=view.meeting.title,
        view=view,
        values=values,
        errors=errors,
        error_list=error_list(
            errors,
            {
                "attended": "attended",
                "s47_initiated": "s47_initiated",
                "held_at": "held-day",
                "due_on": "due-day",
            },
        ),
        flags=flags or [],
        held_form=held_form,
        **_meeting_parts(view, values, staff, ctx.actor.agency_id),
    )


def _meeting_parts(
    view: MeetingView,
    values: dict[str, Any],
    staff: list[tuple[int, str, int]],
    my_agency: int | None,
) -> dict[str, Any]:
    m = view.meeting
    summary = [
        {"key": {"text": "Type"}, "value": {"text": view.kind_label}},
        {
            "key": {"text": "Case"},
            "value": {
                "html": f'<a class="govuk-link" href="/cases/{m.case_id}">{escape(view.case_reference)}</a>'
            },
        },
        {
            "key": {"text": "When"},
            "value": {"text": m.scheduled_for.astimezone(UK_TIME).strftime("%-d %B %Y %H:%M")},
        },
        {"key": {"text": "Status"}, "value": {"text": m.status.capitalize()}},
    ]
    if m.status == "held":
        summary += [
            {"key": {"text": "Information shared"}, "value": {"text": m.information_shared or ""}},
            {"key": {"text": "Decisions"}, "value": {"text": m.decisions or ""}},
        ]
        if m.s47_initiated is not None:
            summary.append(
                {
                    "key": {"text": "Section 47 enquiries started"},
                    "value": {"text": "Yes" if m.s47_initiated else "No"},
                }
            )
    invitees = [
        [
            {"text": i.agency_name},
            {"text": {True: "Attended", False: "Did not attend", None: "Invited"}[i.attended]},
        ]
        for i in view.invitees
    ]
    attended = values.get("attended", [])
    return {
        "summary_rows": summary,
        "invitee_rows": invitees,
        "attended_items": [
            {
                "value": str(i.agency_id),
                "text": i.agency_name,
                "checked": str(i.agency_id) in attended,
            }
            for i in view.invitees
        ],
        "type_items": [
            {"value": k, "text": v, "selected": values.get("action_type") == k}
            for k, v in ACTION_TYPES.items()
        ],
        "owner_agency_items": [
            {
                "value": str(i.agency_id),
                "text": i.agency_name,
                "selected": values.get("owner_agency_id") == str(i.agency_id),
            }
            for i in view.invitees
        ],
        "owner_user_items": [{"value": "", "text": "Not yet allocated"}]
        + [
            {"value": str(u), "text": n, "selected": values.get("owner_user_id") == str(u)}
            for u, n, _ in staff
        ],
        "my_agency": my_agency,
    }


@router.post("/meetings/{meeting_id}/record", response_class=HTMLResponse)
def record_submit(
    request: Request,
    meeting_id: int,
    ctx: Organiser,
    csrf_token: CsrfField = None,
    day: Annotated[str, Form(alias="held-day")] = "",
    month: Annotated[str, Form(alias="held-month")] = "",
    year: Annotated[str, Form(alias="held-year")] = "",
    at: Annotated[str, Form()] = "10:00",
    attended: Annotated[list[str] | None, Form()] = None,
    information_shared: Annotated[str, Form()] = "",
    decisions: Annotated[str, Form()] = "",
    s47_initiated: Annotated[str, Form()] = "",
    works_with_children: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "save",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "held-day": day,
        "held-month": month,
        "held-year": year,
        "at": at,
        "attended": attended or [],
        "information_shared": information_shared,
        "decisions": decisions,
        "s47_initiated": s47_initiated,
        "works_with_children": works_with_children,
        "reason": reason,
        "language_reason": language_reason,
    }
    held_day = parse_day((day, month, year))
    record = MeetingRecord(
        held_at=_uk_time(held_day, at) if held_day else None,
        attended_agency_ids=tuple(int(a) for a in attended or []),
        information_shared=information_shared,
        decisions=decisions,
        s47_initiated={"yes": True, "no": False}.get(s47_initiated),
        works_with_children=works_with_children.strip() or None,
        save_anyway=action == "save_anyway",
        language_reason=language_reason,
    )
    try:
        record_meeting(ctx.uow, meeting_id=meeting_id, record=record, reason=reason or None)
    except LanguageHeldError as held:  # shown beside the record: revise, or say why
        return _meeting_page(request, ctx, meeting_id, values, held.errors, held.flags)
    except MeetingError as problem:
        flags = []
        if "language_reason" in problem.errors:
            # The record and the late reason were checked together; show both texts' flags.
            flags = [
                *check_language(ctx.uow, text=f"{information_shared}\n{decisions}"),
                *(check_language(ctx.uow, text=reason) if reason.strip() else []),
            ]
        return _meeting_page(request, ctx, meeting_id, values, problem.errors, flags)
    except OverrunReasonNeededError as problem:
        return _meeting_page(request, ctx, meeting_id, values, {"reason": str(problem)})
    ctx.uow.commit()
    return redirect(f"/meetings/{meeting_id}")


@router.post("/meetings/{meeting_id}/actions", response_class=HTMLResponse)
def action_submit(
    request: Request,
    meeting_id: int,
    ctx: Organiser,
    csrf_token: CsrfField = None,
    action_type: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    owner_agency_id: Annotated[str, Form()] = "",
    owner_user_id: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="due-day")] = "",
    month: Annotated[str, Form(alias="due-month")] = "",
    year: Annotated[str, Form(alias="due-year")] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "action_type": action_type,
        "description": description,
        "owner_agency_id": owner_agency_id,
        "owner_user_id": owner_user_id,
        "due-day": day,
        "due-month": month,
        "due-year": year,
        "language_reason": language_reason,
    }
    action = ActionDraft(
        action_type=action_type,
        description=description,
        owner_agency_id=int(owner_agency_id) if owner_agency_id.isdigit() else None,
        owner_user_id=int(owner_user_id) if owner_user_id.isdigit() else None,
        due_on=parse_day((day, month, year)),
        save_anyway=save_anyway == "yes",
        language_reason=language_reason,
    )
    try:
        add_action(ctx.uow, meeting_id=meeting_id, action=action)
    except MeetingError as problem:
        return _meeting_page(request, ctx, meeting_id, values, problem.errors)
    except LanguageHeldError as held:  # shown in the action's form: revise, or say why
        return _meeting_page(request, ctx, meeting_id, values, held.errors, held.flags, "action")
    ctx.uow.commit()
    return redirect(f"/meetings/{meeting_id}#actions")


@router.post("/actions/{action_id}/done", response_class=HTMLResponse)
def action_done(
    request: Request,
    action_id: int,
    ctx: ActionOwner,
    csrf_token: CsrfField = None,
    meeting_id: Annotated[int, Form()] = 0,
    outcome: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        f"outcome-{action_id}": outcome,
        f"reason-{action_id}": reason,
        "language_reason": language_reason,
    }
    try:
        complete_action(
            ctx.uow,
            action_id=action_id,
            outcome=outcome,
            reason=reason or None,
            save_anyway=save_anyway == "yes",
            language_reason=language_reason,
        )
    except ForbiddenError:
        raise NotFoundError(f"action {action_id}") from None
    except (MeetingError, OverrunReasonNeededError) as problem:
        # The form of each action names its fields after the action.
        field = "outcome" if isinstance(problem, MeetingError) else "reason"
        return _meeting_page(
            request, ctx, meeting_id, values, {f"{field}-{action_id}": str(problem)}
        )
    except LanguageHeldError as held:  # shown in the action's form: revise, or say why
        form = f"done-{action_id}"
        return _meeting_page(request, ctx, meeting_id, values, held.errors, held.flags, form)
    ctx.uow.commit()
    return redirect(f"/meetings/{meeting_id}#actions")
