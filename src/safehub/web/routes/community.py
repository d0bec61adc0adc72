"""Community reports from the public app, for safeguarding leads: the queue and a report, where
a question can be sent to the reporter (they read it when they come back with their reference)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.community import (
    STATUSES,
    URGENCY,
    ask_reporter,
    list_community_reports,
    set_community_report_status,
    view_community_report,
)
from safehub.services.community.convert import convert_to_record, converted_record
from safehub.services.errors import RefusedError
from safehub.web.navigation import NavItem

NAV = [NavItem("/community-reports", "Community reports", Permission.TRIAGE_COMMUNITY_REPORTS, 65)]
router = APIRouter()
Lead = Annotated[Context, Depends(require(Permission.TRIAGE_COMMUNITY_REPORTS))]
_QUEUE = "Community reports"
_TAG = {"urgent": "govuk-tag--red", "high": "govuk-tag--orange", "routine": "govuk-tag--grey"}


@router.get("/community-reports", response_class=HTMLResponse)
def queue(request: Request, ctx: Lead) -> Response:
    reports = list_community_reports(ctx.uow)
    ctx.uow.commit()  # the consultation is logged
    rows = [
        [
            {
                "html": f'<a class="govuk-link" href="/community-reports/{r.report_id}">{escape(r.reference)}</a>'
            },
            {"html": _tag(r.urgency)},
            {"text": STATUSES[r.status] + (" (reply waiting)" if r.waiting_reply else "")},
            {"text": r.about},
            {"text": r.area or "Not given"},
            {"text": r.received_on.strftime("%-d %B %Y")},
        ]
        for r in reports
    ]
    return renderer(request).page(request, "community_reports.html", title=_QUEUE, rows=rows)


def _tag(urgency: str) -> str:
    return f'<strong class="govuk-tag {_TAG[urgency]}">{URGENCY[urgency]}</strong>'


@router.get("/community-reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int, ctx: Lead) -> Response:
    return _report(request, ctx, report_id, {}, "")


def _report(
    request: Request, ctx: Context, report_id: int, errors: dict[str, str], question: str
) -> Response:
    report = view_community_report(ctx.uow, report_id=report_id)
    converted_ref = converted_record(ctx.uow, report_id=report_id)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "community_report.html",
        status_code=400 if errors else 200,
        title=f"Community report {report.summary.reference}",
        report=report,
        urgency=URGENCY[report.summary.urgency],
        urgency_class=_TAG[report.summary.urgency],
        status_items=[
            {"value": k, "text": v, "checked": k == report.summary.status}
            for k, v in STATUSES.items()
        ],
        status=STATUSES[report.summary.status],
        question=question,
        converted_ref=converted_ref,
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/community-reports/{report_id}/questions", response_class=HTMLResponse)
def ask(
    request: Request,
    report_id: int,
    ctx: Lead,
    question: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        ask_reporter(ctx.uow, report_id=report_id, question=question)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _report(request, ctx, report_id, refused.errors, question)
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")


@router.post("/community-reports/{report_id}/status", response_class=HTMLResponse)
def change_status(
    request: Request,
    report_id: int,
    ctx: Lead,
    status: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        set_community_report_status(ctx.uow, report_id=report_id, status=status)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _report(request, ctx, report_id, refused.errors, "")
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")


@router.post("/community-reports/{report_id}/record", response_class=HTMLResponse)
def add_to_record(
    request: Request, report_id: int, ctx: Lead, csrf_token: CsrfField = None
) -> Response:
    """A community report record in the shared record, written through the extract import."""
    check_csrf(ctx, csrf_token)
    try:
        convert_to_record(ctx.uow, report_id=report_id)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _report(request, ctx, report_id, refused.errors, "")
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")
