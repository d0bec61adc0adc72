"""Information-sharing agreements as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.services.sharing.agreements import list_agreements

router = APIRouter(tags=["agreements"])


class AgreementPublic(BaseModel):
    agreement_id: int
    title: str
    provider: str
    recipient: str
    purpose: str
    lawful_basis: str
    special_category_condition: str
    power_to_share: str
    record_types: list[str]
    starts_on: date
    ends_on: date | None


@router.get("/agreements", operation_id="list_agreements", response_model=list[AgreementPublic])
def api_list_agreements(
    ctx: Annotated[Context, Depends(require(Permission.MANAGE_AGREEMENTS))],
) -> list[AgreementPublic]:
    rows = list_agreements(ctx.uow)
    ctx.uow.commit()
    return [
        AgreementPublic(
            agreement_id=r.agreement_id,
            title=r.title,
            provider=r.provider,
            recipient=r.recipient,
            purpose=r.purpose,
            lawful_basis=r.lawful_basis,
            special_category_condition=r.special_category_condition,
            power_to_share=r.power_to_share,
            record_types=r.record_types,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
        )
        for r in rows
    ]
