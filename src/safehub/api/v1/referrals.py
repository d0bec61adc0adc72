from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse

from safehub.access import Permission
from safehub.api.v1.schemas import ReferralCreate, ReferralPublic, refusal
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.casework.referrals import (
    ReferralRefusedError,
    council_choices,
    record_referral,
    referral_sent_with_key,
    sent_referral,
)

router = APIRouter(tags=["referrals"])
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A key the client makes for this referral (a UUID): a POST retried with the "
        "same key (after a timeout or a lost answer) returns the referral already sent, with "
        "status 200, instead of sending it twice.",
    ),
]


@router.post(
    "/referrals",
    operation_id="create_referral",
    status_code=201,
    response_model=ReferralPublic,
    responses={
        200: {"model": ReferralPublic, "description": "Already sent with this Idempotency-Key"},
        422: refusal("Invalid referral"),
    },
)
def api_create_referral(
    body: ReferralCreate,
    ctx: Annotated[Context, Depends(require(Permission.MAKE_REFERRAL))],
    csrf: CsrfHeader = None,
    idempotency_key: IdempotencyKey = None,
) -> ReferralPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        if idempotency_key is not None:
            already = referral_sent_with_key(ctx.uow, key=idempotency_key)
            if already is not None:
                ctx.uow.commit()
                return JSONResponse(
                    ReferralPublic(
                        referral_id=already.referral_id,
                        reference=already.reference,
                        status=already.status,
                    ).model_dump(),
                    status_code=200,
                )
        recorded = record_referral(ctx.uow, referral=body.draft(), idempotency_key=idempotency_key)
    except ReferralRefusedError as exc:
        return JSONResponse(
            {"error": "Invalid request", "detail": _details(ctx, exc.errors)}, status_code=422
        )
    ctx.uow.commit()
    sent = sent_referral(ctx.uow, referral_id=recorded.id)
    ctx.uow.commit()
    return ReferralPublic(
        referral_id=sent.referral_id, reference=sent.reference, status=sent.status
    )


def _details(ctx: Context, errors: dict[str, str]) -> list[str]:
    """``field: message``; the council's message names the choices by id, for a program."""
    details = [f"{name}: {message}" for name, message in errors.items()]
    if "council_agency_id" in errors:
        named = ", ".join(f"{a.id} ({a.area_name or a.name})" for a in council_choices(ctx.uow))
        details = [
            f"council_agency_id: the council area the child lives in, one of {named}"
            if d.startswith("council_agency_id")
            else d
            for d in details
        ]
    return details
