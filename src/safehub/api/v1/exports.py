"""Exports as files through the API: the same services, purposes and disclosure log as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.deps import CsrfHeader, check_api_csrf
from safehub.services.exports import (
    ExportRefusedError,
    export_case_chronology,
    export_person_records,
)
from safehub.services.exports_pdf import PdfUnavailableError
from safehub.web.deps import Context, require
from safehub.web.routes.exports import download

router = APIRouter(tags=["exports"])
Exporter = Annotated[Context, Depends(require(Permission.EXPORT_RECORDS))]
_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export, as an attachment",
        "content": {"text/csv": {}, "application/pdf": {}},
    }
}


class ExportCreate(BaseModel):
    purpose: str = Field(
        description="strategy_discussion, child_protection_conference, "
        "court_proceedings, subject_access_request or "
        "multi_agency_audit"
    )
    format: str = Field(default="csv", description="csv or pdf")
    recipients: list[str] = Field(
        description="Who will receive the export: name, role and organisation, one per item"
    )


@router.post(
    "/cases/{case_id}/exports",
    operation_id="export_case_chronology",
    response_class=Response,
    responses=_FILE,
)
def api_export_case(
    case_id: int, body: ExportCreate, ctx: Exporter, csrf: CsrfHeader = None
) -> Response:
    """The case's chronology as the user sees it, for one purpose; logged as a disclosure."""
    check_api_csrf(ctx, csrf)
    try:
        made = export_case_chronology(
            ctx.uow,
            actor=ctx.actor,
            case_id=case_id,
            purpose=body.purpose,
            format=body.format,
            recipients=body.recipients,
        )
    except ExportRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except PdfUnavailableError as exc:
        raise HTTPException(503, str(exc)) from exc
    ctx.uow.commit()
    return download(made)


@router.post(
    "/people/{person_id}/exports",
    operation_id="export_person_records",
    response_class=Response,
    responses=_FILE,
)
def api_export_person(
    person_id: int, body: ExportCreate, ctx: Exporter, csrf: CsrfHeader = None
) -> Response:
    """The agency records about a person that the user may read, for one purpose; logged."""
    check_api_csrf(ctx, csrf)
    try:
        made = export_person_records(
            ctx.uow,
            actor=ctx.actor,
            person_id=person_id,
            purpose=body.purpose,
            format=body.format,
            recipients=body.recipients,
        )
    except ExportRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except PdfUnavailableError as exc:
        raise HTTPException(503, str(exc)) from exc
    ctx.uow.commit()
    return download(made)
