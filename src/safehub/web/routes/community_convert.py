"""Converting a community report into a referral about the child, or into a case note on a case
the lead works on. Each goes through its own service (the referral's checks and clocks, the
note's need to know and language check) with the report's content, as blurred as the lead sees
it; the report then says what it became."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.casework.referrals import (
    CONCERN_TYPES,
    council_choices,
    validate_date_of_birth,
)
from safehub.services.community.convert import (
    ReferralFromReport,
    convert_to_case_note,
    convert_to_referral,
    report_content,
)
from safehub.services.errors import RefusedError

router = APIRouter()
Lead = Annotated[Context, Depends(require(Permission.TRIAGE_COMMUNITY_REPORTS))]
_REFERRAL = "Convert the report into a referral"
_NOTE = "Add the report to a case as a note"
# Every answer the two forms show back (empty until given).
_FIELDS = (
    "given_names",
    "family_name",
    "dob_day",
    "dob_month",
    "dob_year",
    "concern_type",
    "immediate_danger",
    "council",
    "language_reason",
    "case_id",
)


def _form_page(
    request: Request,
    ctx: Context,
    report_id: int,
    template: str,
    title: str,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    values = {name: values.get(name, "") for name in _FIELDS}
    content = report_content(ctx.uow, report_id=report_id)
    councils = council_choices(ctx.uow)
    ctx.uow.commit()  # the consultation of the report is logged
    return renderer(request).page(
        request,
        template,
        status_code=400 if errors else 200,
        title=title,
        report_id=report_id,
        content=content,
        values=values,
        concern_items=[
            {"value": k, "text": v, "checked": values.get("concern_type") == k}
            for k, v in CONCERN_TYPES.items()
        ],
        danger_items=[
            {"value": v, "text": t, "checked": values.get("immediate_danger") == v}
            for v, t in (("yes", "Yes"), ("no", "No"))
        ],
        council_items=[{"value": "", "text": "Select the council"}]
        + [
            {"value": str(a.id), "text": a.name, "selected": values.get("council") == str(a.id)}
            for a in councils
        ],
        errors=errors,
        error_list=error_list(errors, {"dob": "dob-day", "concern_type": "concern_type"}),
    )


@router.get("/community-reports/{report_id}/referral", response_class=HTMLResponse)
def referral_form(request: Request, report_id: int, ctx: Lead) -> Response:
    values = {"concern_type": "sexual_exploitation"}
    return _form_page(
        request, ctx, report_id, "community_convert_referral.html", _REFERRAL, values, {}
    )


@router.post("/community-reports/{report_id}/referral", response_class=HTMLResponse)
def referral_sent(
    request: Request,
    report_id: int,
    ctx: Lead,
    given_names: Annotated[str, Form()] = "",
    family_name: Annotated[str, Form()] = "",
    dob_day: Annotated[str, Form(alias="dob-day")] = "",
    dob_month: Annotated[str, Form(alias="dob-month")] = "",
    dob_year: Annotated[str, Form(alias="dob-year")] = "",
    concern_type: Annotated[str, Form()] = "",
    immediate_danger: Annotated[str, Form()] = "",
    council: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "given_names": given_names,
        "family_name": family_name,
        "dob_day": dob_day,
        "dob_month": dob_month,
        "dob_year": dob_year,
        "concern_type": concern_type,
        "immediate_danger": immediate_danger,
        "council": council,
        "language_reason": language_reason,
    }
    born, errors = validate_date_of_birth(dob_day, dob_month, dob_year)
    referral = ReferralFromReport(
        given_names=given_names,
        family_name=family_name,
        date_of_birth=born,
        concern_type=concern_type,
        immediate_danger={"yes": True, "no": False}.get(immediate_danger),
        council_agency_id=int(council) if council.isdigit() else None,
        language_reason=language_reason,
    )
    try:
        if errors:
            raise RefusedError(errors)
        convert_to_referral(ctx.uow, report_id=report_id, referral=referral)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _form_page(
            request,
            ctx,
            report_id,
            "community_convert_referral.html",
            _REFERRAL,
            values,
            refused.errors,
        )
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")


@router.get("/community-reports/{report_id}/case-note", response_class=HTMLResponse)
def note_form(request: Request, report_id: int, ctx: Lead) -> Response:
    return _form_page(request, ctx, report_id, "community_convert_note.html", _NOTE, {}, {})


@router.post("/community-reports/{report_id}/case-note", response_class=HTMLResponse)
def note_sent(
    request: Request,
    report_id: int,
    ctx: Lead,
    case_id: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"case_id": case_id, "language_reason": language_reason}
    try:
        if not case_id.strip().isdigit():
            raise RefusedError({"case_id": "Enter the case number, for example 12"})
        convert_to_case_note(
            ctx.uow,
            report_id=report_id,
            case_id=int(case_id.strip()),
            language_reason=language_reason,
        )
    except RefusedError as refused:
        ctx.uow.session.rollback()
        return _form_page(
            request, ctx, report_id, "community_convert_note.html", _NOTE, values, refused.errors
        )
    ctx.uow.commit()
    return redirect(f"/community-reports/{report_id}")
