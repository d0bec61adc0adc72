"""The child page: indicators and the suggested level with its reasons, the child's voice,
support, and who has already heard the child's account; and the forms that record them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.extracts.codes import INDICATOR_NAMES, label
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.http.templating import govuk_date
from safehub.services.practice import (
    ACCOUNT_KINDS,
    OPEN_STATUSES,
    SERVICES,
    STATUSES,
    VOICE_KINDS,
    AccountHeardDraft,
    ChildIndicators,
    HeardEntry,
    LanguageHeldError,
    PracticeRefusedError,
    RecordedItem,
    ReferralView,
    SupportPlanDraft,
    SupportReferralDraft,
    SupportReferralUpdate,
    VoiceDraft,
    accounts_heard,
    child_indicators,
    child_support,
    child_voice,
    heard_warning,
    record_account_heard,
    record_voice,
    refer_to_support,
    update_support_referral,
    view_support_referral,
    write_support_plan,
)

router = APIRouter()
Viewer = Annotated[Context, Depends(require(Permission.VIEW_PERSON))]
Recorder = Annotated[Context, Depends(require(Permission.WRITE_NOTE))]
Supporter = Annotated[Context, Depends(require(Permission.MANAGE_SUPPORT))]
Text = Annotated[str, Form()]


def parse_date(day: str, month: str, year: str) -> date | None:
    """A date from the three boxes of a GOV.UK date input, or None if it is not a real date.

    >>> parse_date("5", "1", "2025"), parse_date("31", "2", "2025")
    (datetime.date(2025, 1, 5), None)
    """
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_items(prefix: str, values: dict[str, str], error: bool) -> list[dict[str, Any]]:
    classes = " govuk-input--error" if error else ""
    return [
        {
            "name": "day",
            "classes": "govuk-input--width-2" + classes,
            "value": values.get(f"{prefix}-day", ""),
        },
        {
            "name": "month",
            "classes": "govuk-input--width-2" + classes,
            "value": values.get(f"{prefix}-month", ""),
        },
        {
            "name": "year",
            "classes": "govuk-input--width-4" + classes,
            "value": values.get(f"{prefix}-year", ""),
        },
    ]


def _form(
    request: Request,
    template: str,
    title: str,
    person_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    **extra: Any,
) -> Response:
    anchors = {k: f"{k}-day" for k in ("said_on", "heard_on", "referred_on", "review_on")}
    return renderer(request).page(
        request,
        template,
        status_code=400 if errors else 200,
        title=title,
        person_id=person_id,
        values=values,
        errors=errors,
        error_list=error_list(errors, anchors),
        **extra,
    )


@router.get("/children/{person_id}", response_class=HTMLResponse)
def child_page(request: Request, person_id: int, ctx: Viewer) -> Response:
    indicators = child_indicators(ctx.uow, person_id=person_id)
    voice = child_voice(ctx.uow, person_id=person_id)
    plan, referrals = child_support(ctx.uow, person_id=person_id)
    heard = accounts_heard(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "practice/child.html",
        title=indicators.name,
        person_id=person_id,
        view=indicators,
        voice=voice,
        plan=plan,
        referrals=referrals,
        heard=heard,
        warning=heard_warning(heard),
        voice_kinds=VOICE_KINDS,
        **_indicator_tables(indicators),
        **_support_tables(referrals, heard),
    )


def _when(moment: datetime | date) -> str:
    return govuk_date(moment, time=False)


def _indicator_tables(view: ChildIndicators) -> dict[str, Any]:
    def item_row(i: RecordedItem) -> list[dict[str, str]]:
        detail = f" ({i.details})" if i.details else ""
        return [
            {"text": i.name + detail},
            {"text": f"{i.recorded_by}, {i.agency}"},
            {"text": _when(i.recorded_at)},
        ]

    return {
        "evidence_rows": [item_row(i) for i in view.recorded if i.kind == "evidence"],
        "indicator_rows": [item_row(i) for i in view.recorded if i.kind == "indicator"],
        "imported_rows": [
            [
                {"text": INDICATOR_NAMES.get(i.code, label(i.code))},
                {"text": i.agency_name},
                {"text": f"{label(i.record_type)} {i.record_ref}"},
                {"text": _when(i.record_date)},
            ]
            for i in view.imported
        ],
        "history_rows": [
            [
                {"text": _when(h.assessed_at)},
                {
                    "text": h.name
                    + (
                        " (lower than before: the response is not lowered by this)"
                        if h.lower_than_before
                        else ""
                    )
                },
                {"text": " ".join(h.reasons)},
            ]
            for h in view.history
        ],
    }


def _support_tables(referrals: list[ReferralView], heard: list[HeardEntry]) -> dict[str, Any]:
    return {
        "referral_rows": [
            [
                {"text": r.service_name + (f" ({r.provider})" if r.provider else "")},
                {"text": _when(r.referred_on)},
                {
                    "html": f'<a class="govuk-link" href="/support-referrals/{r.id}">{escape(r.status_name)}'
                    f'<span class="govuk-visually-hidden">: update the {escape(r.service_name.lower())} referral</span></a>'
                },
                {"text": label(r.outcome) or ("Open" if r.open else "Not recorded")},
            ]
            for r in referrals
        ],
        "heard_rows": [
            [
                {"text": h.heard_by + (f" ({h.heard_by_role})" if h.heard_by_role else "")},
                {"text": h.kind_name + (f": {h.details}" if h.details else "")},
                {"text": _when(h.heard_on)},
            ]
            for h in heard
        ],
    }


@router.get("/children/{person_id}/voice/new", response_class=HTMLResponse)
def voice_page(request: Request, person_id: int, ctx: Recorder) -> Response:
    child_voice(ctx.uow, person_id=person_id)  # checks the child can be seen
    ctx.uow.commit()
    return _voice_form(request, person_id, {}, {})


def _voice_form(
    request: Request, person_id: int, values: dict[str, str], errors: dict[str, str]
) -> Response:
    kinds = [
        {"value": k, "text": v, "checked": values.get("kind") == k} for k, v in VOICE_KINDS.items()
    ]
    return _form(
        request,
        "practice/voice_form.html",
        "Record the child's own words",
        person_id,
        values,
        errors,
        kinds=kinds,
        date_items=_date_items("said_on", values, "said_on" in errors),
    )


@router.post("/children/{person_id}/voice/new", response_class=HTMLResponse)
def voice_submit(
    request: Request,
    person_id: int,
    ctx: Recorder,
    csrf_token: CsrfField = None,
    kind: Text = "",
    content: Text = "",
    said_to: Text = "",
    setting: Text = "",
    day: Annotated[str, Form(alias="said_on-day")] = "",
    month: Annotated[str, Form(alias="said_on-month")] = "",
    year: Annotated[str, Form(alias="said_on-year")] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "kind": kind,
        "content": content,
        "said_to": said_to,
        "setting": setting,
        "said_on-day": day,
        "said_on-month": month,
        "said_on-year": year,
    }
    voice = VoiceDraft(kind, content, parse_date(day, month, year), said_to, setting)
    try:
        record_voice(ctx.uow, person_id=person_id, voice=voice)
    except PracticeRefusedError as refused:
        return _voice_form(request, person_id, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#voice")


@router.get("/children/{person_id}/accounts/new", response_class=HTMLResponse)
def account_page(request: Request, person_id: int, ctx: Recorder) -> Response:
    heard = accounts_heard(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return _account_form(request, person_id, {}, {}, heard_warning(heard))


def _account_form(
    request: Request,
    person_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    warning: str | None,
    flags: list[dict[str, object]] | None = None,
) -> Response:
    kinds = [{"value": "", "text": "Choose how the account was given"}] + [
        {"value": k, "text": v, "selected": values.get("kind") == k}
        for k, v in ACCOUNT_KINDS.items()
    ]
    return _form(
        request,
        "practice/account_form.html",
        "Record who has heard the child's account",
        person_id,
        values,
        errors,
        kinds=kinds,
        warning=warning,
        date_items=_date_items("heard_on", values, "heard_on" in errors),
        flags=flags or [],
    )


@router.post("/children/{person_id}/accounts/new", response_class=HTMLResponse)
def account_submit(
    request: Request,
    person_id: int,
    ctx: Recorder,
    csrf_token: CsrfField = None,
    heard_by: Text = "",
    heard_by_role: Text = "",
    kind: Text = "",
    details: Text = "",
    day: Annotated[str, Form(alias="heard_on-day")] = "",
    month: Annotated[str, Form(alias="heard_on-month")] = "",
    year: Annotated[str, Form(alias="heard_on-year")] = "",
    save_anyway: Text = "",
    language_reason: Text = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "heard_by": heard_by,
        "heard_by_role": heard_by_role,
        "kind": kind,
        "details": details,
        "heard_on-day": day,
        "heard_on-month": month,
        "heard_on-year": year,
        "language_reason": language_reason,
    }
    account = AccountHeardDraft(
        heard_by,
        parse_date(day, month, year),
        kind,
        heard_by_role,
        details,
        save_anyway=save_anyway == "yes",
        language_reason=language_reason,
    )
    try:
        record_account_heard(ctx.uow, person_id=person_id, account=account)
    except PracticeRefusedError as refused:  # a LanguageHeldError comes back with its flags
        warning = heard_warning(accounts_heard(ctx.uow, person_id=person_id))
        ctx.uow.commit()
        flags = refused.flags if isinstance(refused, LanguageHeldError) else []
        return _account_form(request, person_id, values, refused.errors, warning, flags)
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#account")


@router.get("/children/{person_id}/support/plan", response_class=HTMLResponse)
def plan_page(request: Request, person_id: int, ctx: Supporter) -> Response:
    plan, _ = child_support(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    values = {"plan": plan.plan} if plan else {}
    if plan and plan.review_on:
        values |= {
            "review_on-day": str(plan.review_on.day),
            "review_on-month": str(plan.review_on.month),
            "review_on-year": str(plan.review_on.year),
        }
    return _plan_form(request, person_id, values, {})


def _plan_form(
    request: Request,
    person_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    flags: list[dict[str, object]] | None = None,
) -> Response:
    return _form(
        request,
        "practice/plan_form.html",
        "Write the support plan",
        person_id,
        values,
        errors,
        date_items=_date_items("review_on", values, "review_on" in errors),
        flags=flags or [],
        reason=values.get("reason", ""),
    )


@router.post("/children/{person_id}/support/plan", response_class=HTMLResponse)
def plan_submit(
    request: Request,
    person_id: int,
    ctx: Supporter,
    csrf_token: CsrfField = None,
    plan: Text = "",
    day: Annotated[str, Form(alias="review_on-day")] = "",
    month: Annotated[str, Form(alias="review_on-month")] = "",
    year: Annotated[str, Form(alias="review_on-year")] = "",
    action: Annotated[str, Form()] = "save",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"plan": plan, "review_on-day": day, "review_on-month": month, "review_on-year": year}
    values["reason"] = reason
    review_on = parse_date(day, month, year) if (day or month or year) else None
    errors: dict[str, str] = {}
    flags: list[dict[str, object]] = []
    if (day or month or year) and review_on is None:
        errors["review_on"] = "Enter a real review date, for example 27 3 2026, or leave it blank"
    if not errors:
        draft = SupportPlanDraft(plan, review_on, action == "save_anyway", reason)
        try:
            write_support_plan(ctx.uow, person_id=person_id, plan=draft)
        except LanguageHeldError as held:  # shown beside the plan: revise, or say why
            errors, flags = held.errors, held.flags
        except PracticeRefusedError as refused:
            errors = refused.errors
    if errors or flags:
        return _plan_form(request, person_id, values, errors, flags)
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#support")


@router.get("/children/{person_id}/support/referrals/new", response_class=HTMLResponse)
def referral_page(request: Request, person_id: int, ctx: Supporter) -> Response:
    child_support(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return _referral_form(request, person_id, {}, {})


def _referral_form(
    request: Request, person_id: int, values: dict[str, str], errors: dict[str, str]
) -> Response:
    services = [
        {"value": k, "text": v, "checked": values.get("service") == k} for k, v in SERVICES.items()
    ]
    return _form(
        request,
        "practice/referral_form.html",
        "Refer the child to a support service",
        person_id,
        values,
        errors,
        services=services,
        date_items=_date_items("referred_on", values, "referred_on" in errors),
    )


@router.post("/children/{person_id}/support/referrals/new", response_class=HTMLResponse)
def referral_submit(
    request: Request,
    person_id: int,
    ctx: Supporter,
    csrf_token: CsrfField = None,
    service: Text = "",
    provider: Text = "",
    day: Annotated[str, Form(alias="referred_on-day")] = "",
    month: Annotated[str, Form(alias="referred_on-month")] = "",
    year: Annotated[str, Form(alias="referred_on-year")] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "service": service,
        "provider": provider,
        "referred_on-day": day,
        "referred_on-month": month,
        "referred_on-year": year,
    }
    referral = SupportReferralDraft(service, parse_date(day, month, year), provider)
    try:
        refer_to_support(ctx.uow, person_id=person_id, referral=referral)
    except PracticeRefusedError as refused:
        return _referral_form(request, person_id, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#support")


@router.get("/support-referrals/{referral_id}", response_class=HTMLResponse)
def update_referral_page(request: Request, referral_id: int, ctx: Supporter) -> Response:
    person_id, referral = view_support_referral(ctx.uow, referral_id=referral_id)
    ctx.uow.commit()
    return _update_form(
        request,
        person_id,
        referral_id,
        referral.service_name,
        {"status": referral.status, "outcome": referral.outcome or ""},
        {},
    )


def _update_form(
    request: Request,
    person_id: int,
    referral_id: int,
    service: str,
    values: dict[str, str],
    errors: dict[str, str],
    flags: list[dict[str, object]] | None = None,
) -> Response:
    statuses = [
        {"value": k, "text": v, "checked": values.get("status") == k} for k, v in STATUSES.items()
    ]
    return _form(
        request,
        "practice/referral_update.html",
        f"Update the referral: {service}",
        person_id,
        values,
        errors,
        statuses=statuses,
        referral_id=referral_id,
        open_statuses=sorted(OPEN_STATUSES),
        flags=flags or [],
        reason=values.get("reason", ""),
    )


@router.post("/support-referrals/{referral_id}", response_class=HTMLResponse)
def update_referral_submit(
    request: Request,
    referral_id: int,
    ctx: Supporter,
    csrf_token: CsrfField = None,
    status: Text = "",
    outcome: Text = "",
    action: Annotated[str, Form()] = "save",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    person_id, referral = view_support_referral(ctx.uow, referral_id=referral_id)
    update = SupportReferralUpdate(status, outcome, action == "save_anyway", reason)
    values = {"status": status, "outcome": outcome, "reason": reason}
    try:
        update_support_referral(ctx.uow, referral_id=referral_id, update=update)
    except LanguageHeldError as held:  # shown beside the outcome: revise, or say why
        return _update_form(
            request, person_id, referral_id, referral.service_name, values, held.errors, held.flags
        )
    except PracticeRefusedError as refused:
        return _update_form(
            request, person_id, referral_id, referral.service_name, values, refused.errors
        )
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#support")
