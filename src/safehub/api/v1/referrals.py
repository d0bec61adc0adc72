from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from safehub.access import Permission
from safehub.api.v1.schemas import ReferralCreate, ReferralPublic
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.referrals import (
    CONCERN_TYPES,
    council_choices,
    record_referral,
    referral_reference,
    validate_council,
)

router = APIRouter(tags=["referrals"])


@router.post(
    "/referrals",
    operation_id="create_referral",
    status_code=201,
    response_model=ReferralPublic,
    responses={422: {"description": "Invalid referral"}},
)
def api_create_referral(
    body: ReferralCreate,
    ctx: Annotated[Context, Depends(require(Permission.MAKE_REFERRAL))],
    csrf: CsrfHeader = None,
) -> ReferralPublic | JSONResponse:
    check_csrf(ctx, csrf)
    if body.concern_type not in CONCERN_TYPES:
        return JSONResponse(
            {
                "error": "Invalid request",
                "detail": [f"concern_type: expected one of {', '.join(CONCERN_TYPES)}"],
            },
            422,
        )
    draft = {
        "given_names": body.given_names,
        "family_name": body.family_name,
        "date_of_birth": body.date_of_birth.isoformat() if body.date_of_birth else "",
        "concern_type": body.concern_type,
        "concern": body.concern,
        "immediate_danger": "yes" if body.immediate_danger else "no",
        "council_agency_id": str(body.council_agency_id or ""),
    }
    choices = council_choices(ctx.uow, agency_id=ctx.user.agency_id)
    if validate_council(draft, choices):
        named = ", ".join(f"{a.id} ({a.area_name or a.name})" for a in choices)
        return JSONResponse(
            {
                "error": "Invalid request",
                "detail": [
                    f"council_agency_id: the council area the child lives in, one of {named}"
                ],
            },
            422,
        )
    referral = record_referral(
        ctx.uow, user_id=ctx.user.id, agency_id=ctx.user.agency_id, draft=draft
    )
    ctx.uow.commit()
    return ReferralPublic(
        referral_id=referral.id, reference=referral_reference(referral), status=referral.status
    )
