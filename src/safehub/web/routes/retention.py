"""Retention by review: the data protection officer's queue of records that reached their
review date, the decision on each (keep, anonymise, erase), and the classes' periods."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.retention import (
    OUTCOMES,
    RetentionDecision,
    RetentionPeriodChange,
    RetentionRefusedError,
    ReviewLine,
    Tombstone,
    change_retention_period,
    decide_review,
    review_queue,
    view_review,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/retention", "Retention reviews", Permission.MANAGE_RETENTION, 82)]
router = APIRouter(prefix="/retention")
Dpo = Annotated[Context, Depends(require(Permission.MANAGE_RETENTION))]
_KIND = {"case": "Case", "referral": "Referral", "community": "Community report"}
_STATUS = {"due": "Waiting", "kept": "Kept", "anonymised": "Anonymised", "erased": "Erased"}
_ENTRIES = {
    "referral": "referrals",
    "community_report": "community reports",
    "community_report_message": "messages",
    "case_note": "notes",
    "case_decision": "decisions",
    "meeting": "meetings",
    "meeting_action": "meeting actions",
    "case_child": "children linked",
    "clock": "timescale clocks",
    "notification": "notifications",
    "safeguarding_case": "case",
}


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, ctx: Dpo) -> Response:
    return _queue(request, ctx, {}, {})


def _queue(
    request: Request, ctx: Context, values: dict[str, str], errors: dict[str, str]
) -> Response:
    overview = review_queue(ctx.uow)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "retention.html",
        status_code=400 if errors else 200,
        title="Retention reviews",
        open_rows=[_open_row(r) for r in overview.open],
        decided_rows=[_decided_row(r) for r in overview.decided],
        tombstone_rows=[_tombstone_row(t) for t in overview.tombstones],
        classes=overview.classes,
        values=values,
        errors=errors,
        error_list=error_list(errors),
    )


def _open_row(r: ReviewLine) -> list[dict[str, Any]]:
    return [
        {"html": f'<a class="govuk-link" href="/retention/reviews/{r.id}">{r.record_ref}</a>'},
        {"text": _KIND[r.record_kind]},
        {"text": r.class_name},
        {"text": f"{r.last_entry_on:%-d %B %Y}"},
        {"text": f"{r.due_on:%-d %B %Y}"},
    ]


def _decided_row(r: ReviewLine) -> list[dict[str, Any]]:
    when = f"{r.decided_at:%-d %B %Y}" if r.decided_at else ""
    until = f" until {r.next_review_on:%-d %B %Y}" if r.next_review_on else ""
    return [
        {"text": r.record_ref},
        {"text": _STATUS[r.status] + until},
        {"text": f"{when}, {r.decided_by or ''}"},
        {"text": r.reason or ""},
    ]


def _tombstone_row(t: Tombstone) -> list[dict[str, Any]]:
    return [
        {"text": f"{_KIND[t.record_kind]} {t.record_ref}"},
        {"text": _described(t.erased)},
        {"text": f"{t.erased_at:%-d %B %Y %H:%M}"},
        {"text": t.erased_by},
        {"text": t.reason},
    ]


def _described(counts: dict[str, int]) -> str:
    shown = [f"{n} {_ENTRIES.get(k, k.replace('_', ' '))}" for k, n in counts.items() if n]
    return ", ".join(shown) or "nothing"


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_page(request: Request, review_id: int, ctx: Dpo) -> Response:
    return _review(request, ctx, review_id, {}, {})


def _review(
    request: Request,
    ctx: Context,
    review_id: int,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    detail = view_review(ctx.uow, review_id=review_id)
    ctx.uow.commit()
    r = detail.review
    rows = [
        ("Record", f"{_KIND[r.record_kind]} {r.record_ref}"),
        ("Class", f"{r.class_name} ({r.years} years)"),
        ("Last entry", f"{r.last_entry_on:%-d %B %Y}"),
        ("Review date", f"{r.due_on:%-d %B %Y}"),
        ("It holds", _described(detail.holds)),
        ("Status", _STATUS[r.status]),
    ]
    return renderer(request).page(
        request,
        "retention_review.html",
        status_code=400 if errors else 200,
        title=f"Review {r.record_ref}",
        review=r,
        summary_rows=[{"key": {"text": k}, "value": {"text": v}} for k, v in rows],
        outcomes=OUTCOMES,
        values=values,
        errors=errors,
        error_list=error_list(
            errors, {"outcome": "outcome", "next_review_on": "next_review_on-day"}
        ),
    )


def _date(day: str, month: str, year: str) -> tuple[date | None, str | None]:
    if not (day.strip() or month.strip() or year.strip()):
        return None, None
    try:
        return date(int(year), int(month), int(day)), None
    except ValueError:
        return None, "The next review date must be a real date, for example 6 12 2036"


@router.post("/reviews/{review_id}", response_class=HTMLResponse)
def review_submit(
    request: Request,
    review_id: int,
    ctx: Dpo,
    csrf_token: CsrfField = None,
    outcome: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="next_review_on-day")] = "",
    month: Annotated[str, Form(alias="next_review_on-month")] = "",
    year: Annotated[str, Form(alias="next_review_on-year")] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "outcome": outcome,
        "reason": reason,
        "next_review_on-day": day,
        "next_review_on-month": month,
        "next_review_on-year": year,
    }
    next_review, date_problem = _date(day, month, year)
    if date_problem and outcome == "keep":
        return _review(request, ctx, review_id, values, {"next_review_on": date_problem})
    decision = RetentionDecision(review_id, outcome, reason, next_review)
    try:
        decide_review(ctx.uow, decision=decision, today=date.today())
    except RetentionRefusedError as refused:
        return _review(request, ctx, review_id, values, refused.errors)
    ctx.uow.commit()
    return redirect("/retention")


@router.post("/classes/{code}", response_class=HTMLResponse)
def class_submit(
    request: Request,
    code: str,
    ctx: Dpo,
    csrf_token: CsrfField = None,
    years: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        change_retention_period(ctx.uow, change=RetentionPeriodChange(code, years))
    except RetentionRefusedError as refused:
        return _queue(request, ctx, {f"years-{code}": years}, refused.errors)
    ctx.uow.commit()
    return redirect("/retention")
