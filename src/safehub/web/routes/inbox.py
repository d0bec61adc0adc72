"""Inboxes: the user's own work and their team's, most urgent first; recording work as done and
the reasons for delays; in-app notifications. A reason for a delay the language checker holds
back comes back with its flags beside the form it was written in (``held``), and the question
why it is kept as written (``language_reason``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.http.templating import govuk_date
from safehub.services.practice import LanguageHeldError
from safehub.services.timeliness import (
    SCOPES,
    Inbox,
    InboxItem,
    OverrunReasonNeededError,
    complete_clock,
    mark_read,
    notifications_for,
    record_overrun_reason,
    state_label,
    view_inbox,
    view_inbox_clock,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/inbox", "Deadlines", Permission.VIEW_INBOX, 15)]
router = APIRouter()
Worker = Annotated[Context, Depends(require(Permission.VIEW_INBOX))]
_TAG = {
    "overdue": "govuk-tag--red",
    "due_today": "govuk-tag--orange",
    "due_soon": "govuk-tag--yellow",
    "on_track": "govuk-tag--green",
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--grey",
}


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, ctx: Worker, scope: str = "mine", page: int = 1) -> Response:
    scope = scope if scope in SCOPES else "mine"
    inbox = view_inbox(ctx.uow, scope=scope, page=page)
    notes = notifications_for(ctx.uow)
    ctx.uow.commit()
    title = "Your deadlines" if scope == "mine" else "Your team's deadlines"
    return renderer(request).page(
        request,
        "timeliness/inbox.html",
        title=title,
        inbox=inbox,
        rows=_rows(inbox),
        count_rows=_counts(inbox),
        notes=notes,
    )


def _due_text(value: date | datetime) -> str:
    return govuk_date(value)


def _tag(state: str) -> str:
    return f'<strong class="govuk-tag {_TAG.get(state, "")}">{escape(state_label(state))}</strong>'


def _how_far(item: InboxItem) -> str:
    unit = item.counted_in.value.replace("_", " ")
    if item.overdue_by:
        return f"{item.overdue_by} {unit} late"
    return f"{item.remaining} {unit} left" if item.state != "due_today" else "Today"


def _rows(inbox: Inbox) -> list[list[dict[str, Any]]]:
    rows = []
    for item in inbox.items:
        link = (
            f'<a class="govuk-link" href="/inbox/clocks/{item.clock_id}">'
            f"{escape(item.about)}: {escape(item.title)}</a>"
        )
        reason = (
            "Reason recorded"
            if item.overrun_reason
            else ("Reason needed" if item.needs_reason else "")
        )
        rows.append(
            [
                {"text": _due_text(item.due)},
                {"html": _tag(item.state)},
                {"text": _how_far(item)},
                {"html": link},
                {"text": item.owner or "Not allocated"},
                {"text": reason},
            ]
        )
    return rows


def _counts(inbox: Inbox) -> list[dict[str, Any]]:
    labels = {
        "overdue": "Overdue",
        "due_today": "Due today",
        "due_soon": "Due soon",
        "on_track": "On track",
    }
    return [
        {"key": {"text": label}, "value": {"text": f"{inbox.counts.get(k, 0):,}"}}
        for k, label in labels.items()
    ]


@router.get("/inbox/clocks/{clock_id}", response_class=HTMLResponse)
def clock_page(request: Request, clock_id: int, ctx: Worker) -> Response:
    item = view_inbox_clock(ctx.uow, clock_id=clock_id)
    ctx.uow.commit()
    return _clock_page(request, item)


def _clock_page(
    request: Request,
    item: InboxItem,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    held: tuple[str, LanguageHeldError] | None = None,
) -> Response:
    """The clock's page; ``held``: the form ("done" or "reason") whose reason the language
    checker held back, and what it found."""
    errors = errors or {}
    summary = [
        {"key": {"text": "Due"}, "value": {"text": _due_text(item.due)}},
        {"key": {"text": "State"}, "value": {"html": _tag(item.state)}},
        {"key": {"text": "Timescale"}, "value": {"text": item.rule_description}},
        {
            "key": {"text": "Reason for the delay"},
            "value": {"text": item.overrun_reason or "None recorded"},
        },
        {"key": {"text": "Escalated to level"}, "value": {"text": str(item.escalation_level)}},
    ]
    if item.link:
        summary.append(
            {
                "key": {"text": "Case"},
                "value": {
                    "html": f'<a class="govuk-link" href="{escape(item.link)}">Open the case</a>'
                },
            }
        )
    return renderer(request).page(
        request,
        "timeliness/clock.html",
        status_code=400 if errors else 200,
        title=f"{item.about}: {item.title}",
        item=item,
        summary_rows=summary,
        errors=errors,
        error_list=error_list(errors),
        values=values or {},
        held_form=held[0] if held else "",
        flags=held[1].flags if held else [],
    )


@router.post("/inbox/clocks/{clock_id}/done", response_class=HTMLResponse)
def clock_done(
    request: Request,
    clock_id: int,
    ctx: Worker,
    csrf_token: CsrfField = None,
    reason: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"reason": reason, "language_reason": language_reason}
    try:
        complete_clock(
            ctx.uow,
            clock_id=clock_id,
            reason=reason or None,
            save_anyway=save_anyway == "yes",
            language_reason=language_reason,
        )
    except OverrunReasonNeededError as problem:
        item = view_inbox_clock(ctx.uow, clock_id=clock_id)
        ctx.uow.commit()
        return _clock_page(request, item, {"reason": str(problem)}, values)
    except LanguageHeldError as held:  # shown beside the reason: revise it, or say why
        item = view_inbox_clock(ctx.uow, clock_id=clock_id)
        ctx.uow.commit()
        return _clock_page(request, item, held.errors, values, ("done", held))
    ctx.uow.commit()
    return redirect("/inbox")


@router.post("/inbox/clocks/{clock_id}/reason", response_class=HTMLResponse)
def clock_reason(
    request: Request,
    clock_id: int,
    ctx: Worker,
    csrf_token: CsrfField = None,
    reason: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"delay_reason": reason, "language_reason": language_reason}
    try:
        record_overrun_reason(
            ctx.uow,
            clock_id=clock_id,
            reason=reason,
            save_anyway=save_anyway == "yes",
            language_reason=language_reason,
        )
    except LanguageHeldError as held:  # shown beside the reason: revise it, or say why
        item = view_inbox_clock(ctx.uow, clock_id=clock_id)
        ctx.uow.commit()
        return _clock_page(request, item, held.errors, values, ("reason", held))
    except ValueError as problem:
        item = view_inbox_clock(ctx.uow, clock_id=clock_id)
        ctx.uow.commit()
        return _clock_page(request, item, {"delay_reason": str(problem)}, values)
    ctx.uow.commit()
    return redirect(f"/inbox/clocks/{clock_id}")


@router.post("/inbox/notifications/{notification_id}/read")
def notification_read(notification_id: int, ctx: Worker, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    mark_read(ctx.uow, notification_id=notification_id)
    ctx.uow.commit()
    return redirect("/inbox")
