"""Community reports from the public app, for safeguarding leads: the queue in the order of the
priority rules (each row says why), "assigned to me", and a report with what agencies hold of
what it names, where a question can be sent to the reporter (they read it when they come back
with their reference), the report given to a colleague, or converted into a shared record
entry, a referral or a case note."""

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
from safehub.services.community.convert import convert_to_record
from safehub.services.community.triage import (
    ReportSummary,
    assign_community_report,
    triage_colleagues,
)
from safehub.services.errors import RefusedError
from safehub.services.practice import LanguageHeldError
from safehub.web.navigation import NavItem

NAV = [NavItem("/community-reports", "Community reports", Permission.TRIAGE_COMMUNITY_REPORTS, 65)]
router = APIRouter()
Lead = Annotated[Context, Depends(require(Permission.TRIAGE_COMMUNITY_REPORTS))]
_QUEUE = "Community reports"
_TAG = {"urgent": "govuk-tag--red", "high": "govuk-tag--orange", "routine": "govuk-tag--grey"}


@router.get("/community-reports", response_class=HTMLResponse)
def queue(request: Request, ctx: Lead, mine: str = "") -> Response:
    reports = list_community_reports(ctx.uow, mine=mine == "yes")
    ctx.uow.commit()  # the consultation is logged
    return renderer(request).page(
        request,
        "community_reports.html",
        title="Community reports assigned to you" if mine == "yes" else _QUEUE,
        rows=[_row(r) for r in reports],
        mine=mine == "yes",
    )


def _row(r: ReportSummary) -> list[dict[str, str]]:
    link = (
        f'<a class="govuk-link" href="/community-reports/{r.report_id}">{escape(r.reference)}</a>'
    )
    why = "".join(f"<li>{escape(reason)}</li>" for reason in r.reasons)
    return [
        {"html": link},
        {"html": _tag(r.urgency)},
        {"html": f'<ul class="govuk-list govuk-body-s govuk-!-margin-bottom-0">{why}</ul>'},
        {"text": r.status_words + (" (reply waiting)" if r.waiting_reply else "")},
        {"text": r.assigned_to or "Nobody"},
        {"text": r.area or "Not given"},
        {"text": r.received_on.strftime("%-d %B %Y")},
    ]


def _tag(urgency: str) -> str:
    return f'<strong class="govuk-tag {_TAG[urgency]}">{URGENCY[urgency]}</strong>'


@router.get("/community-reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int, ctx: Lead) -> Response:
    return _report(request, ctx, report_id, {}, "")


def _report(
    request: Request,
    ctx: Context,
    report_id: int,
    errors: dict[str, str],
    question: str,
    held: LanguageHeldError | None = None,
    language_reason: str = "",
) -> Response:
    """The report's page; ``held``: what the language checker found in the question held back."""
    report = view_community_report(ctx.uow, report_id=report_id)
    colleagues = triage_colleagues(ctx.uow)
    ctx.uow.commit()
    assigned = report.summary.assigned_to_user_id
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
        status=report.summary.status_words,
        colleague_items=[{"value": "", "text": "Nobody", "selected": assigned is None}]
        + [
            {"value": str(user_id), "text": name, "selected": user_id == assigned}
            for user_id, name in colleagues
        ],
        question=question,
        held=held is not None,
        flags=held.flags if held else [],
        values={"language_reason": language_reason},
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/community-reports/{report_id}/assign", response_class=HTMLResponse)
def assign(
    request: Request,
    report_id: int,
    ctx: Lead,
    assign: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    user_id = int(assign) if assign.isdigit() else (None if not assign else -1)
    try:
        assign_community_report(ctx.uow, report_id=report_id, user_id=user_id)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _report(request, ctx, report_id, refused.errors, "")
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")


@router.post("/community-reports/{report_id}/questions", response_class=HTMLResponse)
def ask(
    request: Request,
    report_id: int,
    ctx: Lead,
    question: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        ask_reporter(
            ctx.uow,
            report_id=report_id,
            question=question,
            save_anyway=save_anyway == "yes",
            language_reason=language_reason,
        )
    except LanguageHeldError as held:  # shown beside the question: revise it, or say why
        ctx.uow.session.rollback()
        return _report(request, ctx, report_id, held.errors, question, held, language_reason)
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
