"""Exports as files through the API: the same services, purposes and disclosure log as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import PathId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.http.files import download
from safehub.services.exports import (
    FORMATS,
    PURPOSES,
    ExportRefusedError,
    ExportRequest,
    export_case_chronology,
    export_person_records,
)
from safehub.services.exports.pdf import PdfUnavailableError

router = APIRouter(tags=["exports"])
Exporter = Annotated[Context, Depends(require(Permission.EXPORT_RECORDS))]
_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export, as an attachment",
        "content": {"text/csv": {}, "application/pdf": {}},
    }
}


class ExportCreate(BaseModel):
    """The body of an export; the service validates it (one validation, the form's)."""

    purpose: str = Field(description=f"One of: {', '.join(PURPOSES)}")
    format: str = Field(default="csv", description=f"One of: {', '.join(FORMATS)}")
    recipients: list[str] = Field(
        description="Who will receive the export: name, role and organisation, one per item"
    )

    def request(self) -> ExportRequest:
        return ExportRequest(self.purpose, self.format, tuple(self.recipients))


@router.post(
    "/cases/{case_id}/exports",
    operation_id="export_case_chronology",
    response_class=Response,
    responses=_FILE,
)
def api_export_case(
    case_id: PathId, body: ExportCreate, ctx: Exporter, csrf: CsrfHeader = None
) -> Response:
    """The case's chronology as the user sees it, for one purpose; logged as a disclosure."""
    check_csrf(ctx, csrf)
    try:
        made = export_case_chronology(ctx.uow, case_id=case_id, request=body.request())
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
    person_id: PathId, body: ExportCreate, ctx: Exporter, csrf: CsrfHeader = None
) -> Response:
    """The agency records about a person that the user may read, for one purpose; logged."""
    check_csrf(ctx, csrf)
    try:
        made = export_person_records(ctx.uow, person_id=person_id, request=body.request())
    except ExportRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except PdfUnavailableError as exc:
        raise HTTPException(503, str(exc)) from exc
    ctx.uow.commit()
    return download(made)
