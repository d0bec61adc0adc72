"""Sealed envelopes, disclosure requests and their decisions, as JSON (same services as pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import PathId, RowId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.casework.people import view_person
from safehub.services.errors import RefusedError
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

router = APIRouter(tags=["disclosures"])
Requester = Annotated[Context, Depends(require(Permission.REQUEST_DISCLOSURE))]


class SealedEnvelopePublic(BaseModel):
    agency_id: int
    agency_code: str
    agency_name: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    request_status: str | None


class DisclosureRequestCreate(BaseModel):
    """Validated by the service, as the form is (one validation)."""

    owning_agency_id: RowId
    purpose: str = Field(description="Why the records are needed, 10+ characters")
    lawful_basis: str = Field(description=f"One of: {', '.join(DISCLOSURE_BASES)}")


class DisclosureDecisionCreate(BaseModel):
    """Validated by the service, as the form is (one validation)."""

    decision: str = Field(description=f"One of: {', '.join(DECISIONS)}")
    reason: str = Field(description="Why, 5+ characters")


class DisclosureRequestPublic(BaseModel):
    request_id: int
    person_id: int
    owning_agency_id: int
    requesting_agency_id: int
    purpose: str
    lawful_basis: str
    status: str
    requested_at: datetime
    decision_reason: str | None


def _public(r: RequestRow) -> DisclosureRequestPublic:
    return DisclosureRequestPublic(
        request_id=r.request_id,
        person_id=r.person_id,
        owning_agency_id=r.owning_agency_id,
        requesting_agency_id=r.requesting_agency_id,
        purpose=r.purpose,
        lawful_basis=r.lawful_basis,
        status=r.status,
        requested_at=r.requested_at,
        decision_reason=r.decision_reason,
    )


@router.get(
    "/people/{person_id}/sealed",
    operation_id="get_sealed_envelopes",
    response_model=list[SealedEnvelopePublic],
)
def api_sealed(
    person_id: PathId, ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))]
) -> list[SealedEnvelopePublic]:
    """Agencies holding records about the person that are not open to the user, and whom to ask."""
    person = view_person(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return [
        SealedEnvelopePublic(
            agency_id=e.agency_id,
            agency_code=e.agency_code,
            agency_name=e.agency_name,
            contact_name=e.contact_name,
            contact_email=e.contact_email,
            contact_phone=e.contact_phone,
            request_status=e.request_status,
        )
        for e in person.sealed
    ]


@router.post(
    "/people/{person_id}/disclosure-requests",
    operation_id="request_disclosure",
    response_model=DisclosureRequestPublic,
    status_code=201,
)
def api_request_disclosure(
    person_id: PathId, body: DisclosureRequestCreate, ctx: Requester, csrf: CsrfHeader = None
) -> DisclosureRequestPublic:
    check_csrf(ctx, csrf)
    try:
        made = request_disclosure(
            ctx.uow,
            request=DisclosureInput(
                person_id, body.owning_agency_id, body.purpose, body.lawful_basis
            ),
        )
    except RefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    ctx.uow.commit()
    return _public(view_request(ctx.uow, request_id=made.id))


@router.get(
    "/disclosure-requests",
    operation_id="list_disclosure_requests",
    response_model=list[DisclosureRequestPublic],
)
def api_list_requests(ctx: Requester) -> list[DisclosureRequestPublic]:
    incoming, outgoing = disclosure_lists(ctx.uow)
    ctx.uow.commit()
    return [_public(r) for r in incoming + outgoing]


@router.post(
    "/disclosure-requests/{request_id}/decision",
    operation_id="decide_disclosure",
    response_model=DisclosureRequestPublic,
)
def api_decide(
    request_id: PathId,
    body: DisclosureDecisionCreate,
    ctx: Annotated[Context, Depends(require(Permission.DECIDE_DISCLOSURE))],
    csrf: CsrfHeader = None,
) -> DisclosureRequestPublic:
    check_csrf(ctx, csrf)
    try:
        decide_disclosure(
            ctx.uow,
            request_id=request_id,
            decision=DisclosureDecision(body.decision, body.reason),
        )
    except RefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    ctx.uow.commit()
    return _public(view_request(ctx.uow, request_id=request_id))
