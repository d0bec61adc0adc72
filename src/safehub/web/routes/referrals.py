"""The referral form: one question per page, an error summary, check answers, then send."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.casework.referrals import (
    CONCERN_TYPES,
    ReferralDraft,
    council_choices,
    load_draft,
    record_referral,
    save_draft,
    sent_referral,
    validate_date_of_birth,
)
from safehub.services.practice import check_for_saving
from safehub.web.navigation import NavItem

NAV = [NavItem("/referrals/new/child", "Make a referral", Permission.MAKE_REFERRAL, 30)]
router = APIRouter(prefix="/referrals")
Referrer = Annotated[Context, Depends(require(Permission.MAKE_REFERRAL))]
_CHILD_TITLE = "What is the child's name?"
_DOB_TITLE = "What is the child's date of birth?"
_CONCERN_TITLE = "What is the concern?"
_COUNCIL_TITLE = "Which council area does the child live in?"


def _page(
    request: Request,
    template: str,
    title: str,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    anchors: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    errors = errors or {}
    return renderer(request).page(
        request,
        template,
        status_code=400 if errors else 200,
        title=title,
        values=values,
        errors=errors,
        error_list=error_list(errors, anchors),
        **extra,
    )


@router.get("/new/child", response_class=HTMLResponse)
def child_page(request: Request, ctx: Referrer) -> Response:
    draft = load_draft(ctx.uow)
    ctx.uow.commit()
    return _page(request, "referral_child.html", _CHILD_TITLE, draft)


@router.post("/new/child", response_class=HTMLResponse)
def child_submit(
    request: Request,
    ctx: Referrer,
    csrf_token: CsrfField = None,
    given_names: Annotated[str, Form()] = "",
    family_name: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"given_names": given_names, "family_name": family_name}
    save_draft(ctx.uow, values=values)  # kept even when not yet valid
    ctx.uow.commit()
    errors = ReferralDraft.from_saved(values).child_problems()
    if errors:
        return _page(request, "referral_child.html", _CHILD_TITLE, values, errors)
    return redirect("/referrals/new/date-of-birth")


@router.get("/new/date-of-birth", response_class=HTMLResponse)
def dob_page(request: Request, ctx: Referrer) -> Response:
    draft = load_draft(ctx.uow)
    ctx.uow.commit()
    return _page(request, "referral_dob.html", _DOB_TITLE, draft)


@router.post("/new/date-of-birth", response_class=HTMLResponse)
def dob_submit(
    request: Request,
    ctx: Referrer,
    csrf_token: CsrfField = None,
    day: Annotated[str, Form(alias="dob-day")] = "",
    month: Annotated[str, Form(alias="dob-month")] = "",
    year: Annotated[str, Form(alias="dob-year")] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"dob-day": day.strip(), "dob-month": month.strip(), "dob-year": year.strip()}
    born, errors = validate_date_of_birth(day, month, year)
    values["date_of_birth"] = born.isoformat() if born and not errors else ""
    save_draft(ctx.uow, values=values)
    ctx.uow.commit()
    if errors:
        return _page(request, "referral_dob.html", _DOB_TITLE, values, errors, {"dob": "dob-day"})
    # Next: "is this child already known, and to whom?" (the intake check, web/routes/intake.py).
    return redirect("/referrals/new/known")


def _concern_items(values: dict[str, Any]) -> dict[str, Any]:
    chosen, danger = values.get("concern_type"), values.get("immediate_danger")
    return {
        "concern_items": [
            {"value": k, "text": v, "checked": k == chosen} for k, v in CONCERN_TYPES.items()
        ],
        "danger_items": [
            {"value": "yes", "text": "Yes", "checked": danger == "yes"},
            {"value": "no", "text": "No", "checked": danger == "no"},
        ],
    }


@router.get("/new/concern", response_class=HTMLResponse)
def concern_page(request: Request, ctx: Referrer) -> Response:
    draft = load_draft(ctx.uow)
    ctx.uow.commit()
    return _page(request, "referral_concern.html", _CONCERN_TITLE, draft, **_concern_items(draft))


@router.post("/new/concern", response_class=HTMLResponse)
def concern_submit(
    request: Request,
    ctx: Referrer,
    csrf_token: CsrfField = None,
    concern_type: Annotated[str, Form()] = "",
    concern: Annotated[str, Form()] = "",
    immediate_danger: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "continue",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "concern_type": concern_type,
        "concern": concern,
        "immediate_danger": immediate_danger,
        "language_reason": language_reason if action == "save_anyway" else "",
    }
    save_draft(ctx.uow, values=values)
    # The concern's language is checked here, where it can be changed; flagged text goes on only
    # with a reason, which the draft keeps for the referral (the service checks it again).
    language = check_for_saving(
        ctx.uow, text=concern, reason=values["language_reason"], what="referral"
    )
    ctx.uow.commit()
    errors = ReferralDraft.from_saved(values).concern_problems()
    held = not errors and language.holds and (action != "save_anyway" or language.problems)
    if errors or held:
        if action == "save_anyway" and not errors:
            errors = {"language_reason": language.problems["reason"]}
        anchors = {"concern_type": "concern_type", "immediate_danger": "immediate_danger"}
        return _page(
            request,
            "referral_concern.html",
            _CONCERN_TITLE,
            values,
            errors,
            anchors,
            flags=language.flags if held else [],
            **_concern_items(values),
        )
    if council_choices(ctx.uow):
        return redirect("/referrals/new/council")
    return redirect("/referrals/new/check")


def _incomplete(referral: ReferralDraft, choices: list[Any]) -> str | None:
    """The first page of the form whose answers are missing, if any."""
    if referral.child_problems() or referral.concern_problems():
        return "/referrals/new/child"
    if referral.council_problems(choices):
        return "/referrals/new/council"
    return None


def _council_items(choices: list[Any], chosen: object) -> list[dict[str, Any]]:
    return [
        {
            "value": str(a.id),
            "text": a.area_name or a.name,
            "hint": {"text": a.name},
            "checked": str(a.id) == str(chosen),
        }
        for a in choices
    ]


@router.get("/new/council", response_class=HTMLResponse)
def council_page(request: Request, ctx: Referrer) -> Response:
    """Asked only of a referrer whose own area does not decide (a force covering several)."""
    draft = load_draft(ctx.uow)
    choices = council_choices(ctx.uow)
    ctx.uow.commit()
    if not choices:
        return redirect("/referrals/new/check")
    return _page(
        request,
        "referral_council.html",
        _COUNCIL_TITLE,
        draft,
        council_items=_council_items(choices, draft.get("council_agency_id")),
    )


@router.post("/new/council", response_class=HTMLResponse)
def council_submit(
    request: Request,
    ctx: Referrer,
    csrf_token: CsrfField = None,
    council_agency_id: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"council_agency_id": council_agency_id}
    save_draft(ctx.uow, values=values)
    choices = council_choices(ctx.uow)
    ctx.uow.commit()
    errors = ReferralDraft.from_saved(values).council_problems(choices)
    if errors:
        return _page(
            request,
            "referral_council.html",
            _COUNCIL_TITLE,
            values,
            errors,
            {"council_agency_id": "council_agency_id"},
            council_items=_council_items(choices, council_agency_id),
        )
    return redirect("/referrals/new/check")


@router.get("/new/check", response_class=HTMLResponse)
def check_page(request: Request, ctx: Referrer) -> Response:
    draft = load_draft(ctx.uow)
    choices = council_choices(ctx.uow)
    ctx.uow.commit()
    redirect_to = _incomplete(ReferralDraft.from_saved(draft), choices)
    if redirect_to:
        return redirect(redirect_to)
    dob = draft.get("date_of_birth")
    rows = [
        _row(
            "Name", f"{draft['given_names']} {draft['family_name']}", "/referrals/new/child", "name"
        ),
        _row(
            "Date of birth",
            date.fromisoformat(dob).strftime("%-d %B %Y") if dob else "Not known",
            "/referrals/new/date-of-birth",
            "date of birth",
        ),
        _row("Concern", CONCERN_TYPES[draft["concern_type"]], "/referrals/new/concern", "concern"),
        _row("Details", draft["concern"], "/referrals/new/concern", "details"),
        _row(
            "Immediate danger",
            draft["immediate_danger"].capitalize(),
            "/referrals/new/concern",
            "immediate danger",
        ),
    ]
    council = next((a for a in choices if str(a.id) == str(draft.get("council_agency_id"))), None)
    if council is not None:
        rows.append(
            _row(
                "Council area",
                council.area_name or council.name,
                "/referrals/new/council",
                "council area",
            )
        )
    return _page(
        request,
        "referral_check.html",
        "Check your answers before sending the referral",
        draft,
        summary_rows=rows,
        back_href="/referrals/new/council" if choices else "",
    )


def _row(key: str, value: str, href: str, hidden: str) -> dict[str, Any]:
    return {
        "key": {"text": key},
        "value": {"text": value},
        "actions": {"items": [{"href": href, "text": "Change", "visuallyHiddenText": hidden}]},
    }


@router.post("/new/check")
def check_submit(ctx: Referrer, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    referral = ReferralDraft.from_saved(load_draft(ctx.uow))
    redirect_to = _incomplete(referral, council_choices(ctx.uow))
    if redirect_to:
        return redirect(redirect_to)
    recorded = record_referral(ctx.uow, referral=referral)
    ctx.uow.commit()
    return redirect(f"/referrals/{recorded.id}/sent")


@router.get("/{referral_id}/sent", response_class=HTMLResponse)
def sent_page(request: Request, referral_id: int, ctx: Referrer) -> Response:
    sent = sent_referral(ctx.uow, referral_id=referral_id)
    ctx.uow.commit()
    return renderer(request).page(
        request, "referral_done.html", title="Referral sent", reference=sent.reference
    )
