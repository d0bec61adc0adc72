"""Disclosure requests: asking another agency to open its sealed records, and deciding them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.casework.people import view_person
from safehub.services.errors import NotFoundError, RefusedError
from safehub.services.sharing.disclosures import (
    DECISIONS,
    DISCLOSURE_BASES,
    DisclosureDecision,
    DisclosureInput,
    RequestRow,
    decide_disclosure,
    disclosure_lists,
    request_disclosure,
    view_request,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/disclosures", "Disclosures", Permission.REQUEST_DISCLOSURE, 70)]
router = APIRouter()
Requester = Annotated[Context, Depends(require(Permission.REQUEST_DISCLOSURE))]
Decider = Annotated[Context, Depends(require(Permission.DECIDE_DISCLOSURE))]
_ASK = "Ask for records to be disclosed"


@router.get("/people/{person_id}/disclosure/{agency_id}", response_class=HTMLResponse)
def ask_page(request: Request, person_id: int, agency_id: int, ctx: Requester) -> Response:
    return _ask(request, ctx, person_id, agency_id, {}, {})


def _ask(
    request: Request,
    ctx: Context,
    person_id: int,
    agency_id: int,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    person = view_person(ctx.uow, person_id=person_id, purpose="asking for a disclosure")
    envelope = next((e for e in person.sealed if e.agency_id == agency_id), None)
    ctx.uow.commit()
    if envelope is None:
        raise NotFoundError(f"sealed records of agency {agency_id}")
    items = [
        {"value": k, "text": v, "checked": values.get("lawful_basis") == k}
        for k, v in DISCLOSURE_BASES.items()
    ]
    return renderer(request).page(
        request,
        "disclosure_ask.html",
        status_code=400 if errors else 200,
        title=_ASK,
        person=person,
        envelope=envelope,
        basis_items=items,
        values=values,
        errors=errors,
        error_list=error_list(errors, {"lawful_basis": "lawful_basis"}),
    )


@router.post("/people/{person_id}/disclosure/{agency_id}", response_class=HTMLResponse)
def ask_submit(
    request: Request,
    person_id: int,
    agency_id: int,
    ctx: Requester,
    purpose: Annotated[str, Form()] = "",
    lawful_basis: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    wanted = DisclosureInput(person_id, agency_id, purpose, lawful_basis)
    try:
        made = request_disclosure(ctx.uow, request=wanted)
    except RefusedError as exc:
        values = {"purpose": purpose, "lawful_basis": lawful_basis}
        return _ask(request, ctx, person_id, agency_id, values, exc.errors)
    ctx.uow.commit()
    return redirect(f"/disclosures/{made.id}")


@router.get("/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request, ctx: Requester) -> Response:
    incoming, outgoing = disclosure_lists(ctx.uow)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "disclosures.html",
        title="Disclosure requests",
        incoming_rows=_rows(incoming, "requesting_agency"),
        outgoing_rows=_rows(outgoing, "owning_agency"),
    )


def _rows(requests: list[RequestRow], other: str) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "html": f'<a class="govuk-link" href="/disclosures/{r.request_id}">'
                f"Request {r.request_id}</a>"
            },
            {"text": f"Person {r.person_id}"},
            {"text": getattr(r, other)},
            {"text": r.requested_at.strftime("%Y-%m-%d")},
            {"text": r.status},
        ]
        for r in requests
    ]


@router.get("/disclosures/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: int, ctx: Requester) -> Response:
    return _request(request, ctx, request_id, {}, {})


def _request(
    request: Request, ctx: Context, request_id: int, values: dict[str, str], errors: dict[str, str]
) -> Response:
    row = view_request(ctx.uow, request_id=request_id)
    ctx.uow.commit()
    summary = [
        {
            "key": {"text": "Person"},
            "value": {
                "html": f'<a class="govuk-link" href="/people/'
                f'{row.person_id}">Person {row.person_id}</a>'
            },
        },
        {"key": {"text": "Records held by"}, "value": {"text": row.owning_agency}},
        {
            "key": {"text": "Asked for by"},
            "value": {"text": f"{row.requested_by}, {row.requesting_agency}"},
        },
        {"key": {"text": "Purpose"}, "value": {"text": row.purpose}},
        {
            "key": {"text": "Lawful basis"},
            "value": {"text": DISCLOSURE_BASES.get(row.lawful_basis, row.lawful_basis)},
        },
        {"key": {"text": "Status"}, "value": {"text": row.status}},
    ] + (
        [{"key": {"text": "Reason for the decision"}, "value": {"text": row.decision_reason}}]
        if row.decision_reason
        else []
    )
    decides = row.status == "requested" and row.owning_agency_id == ctx.actor.agency_id
    items = [
        {"value": k, "text": k.capitalize(), "checked": values.get("decision") == k}
        for k in DECISIONS
    ]
    return renderer(request).page(
        request,
        "disclosure_request.html",
        status_code=400 if errors else 200,
        title=f"Disclosure request {row.request_id}",
        row=row,
        summary_rows=summary,
        decides=decides,
        decision_items=items,
        values=values,
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/disclosures/{request_id}/decision", response_class=HTMLResponse)
def decide_submit(
    request: Request,
    request_id: int,
    ctx: Decider,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    answer = DisclosureDecision(decision, reason)
    try:
        decide_disclosure(ctx.uow, request_id=request_id, decision=answer)
    except RefusedError as exc:
        values = {"decision": decision, "reason": reason}
        return _request(request, ctx, request_id, values, exc.errors)
    ctx.uow.commit()
    return redirect(f"/disclosures/{request_id}")
