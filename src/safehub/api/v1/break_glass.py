"""Break-glass as JSON: the same service as the page (the DPO is alerted)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import RowId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.errors import RefusedError
from safehub.services.sharing.break_glass import (
    MIN_REASON,
    SUBJECTS,
    BreakGlassRequest,
    break_glass,
)

router = APIRouter(tags=["break-glass"])


class BreakGlassCreate(BaseModel):
    """Validated by the service, as the form is (one validation)."""

    subject: str = Field(description=f"One of: {', '.join(SUBJECTS)}")
    subject_id: RowId
    reason: str = Field(description=f"Why you need this record now, {MIN_REASON}+ characters")


class BreakGlassPublic(BaseModel):
    grant_id: int
    subject: str
    subject_id: int
    expires_at: datetime


@router.post(
    "/break-glass", operation_id="break_glass", response_model=BreakGlassPublic, status_code=201
)
def api_break_glass(
    body: BreakGlassCreate,
    ctx: Annotated[Context, Depends(require(Permission.BREAK_GLASS))],
    csrf: CsrfHeader = None,
) -> BreakGlassPublic:
    check_csrf(ctx, csrf)
    try:
        grant = break_glass(
            ctx.uow, request=BreakGlassRequest(body.subject, str(body.subject_id), body.reason)
        )
    except RefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    ctx.uow.commit()
    return BreakGlassPublic(
        grant_id=grant.id,
        subject=body.subject,
        subject_id=body.subject_id,
        expires_at=grant.expires_at,
    )
