"""Exporting a case chronology or a person's records: a form, then the file as a download.

The export is a disclosure: the form asks for its purpose (an allowlist) and its recipients, and
the service logs both. A download answers the form's POST directly (a file, not a page), so there
is no redirect after it; a form with errors is shown again with the GOV.UK error summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.files import download
from safehub.http.pages import error_list, renderer
from safehub.services.casework.cases import view_case
from safehub.services.casework.people import view_person
from safehub.services.exports import (
    FORMATS,
    PURPOSES,
    ExportRefusedError,
    ExportRequest,
    export_case_chronology,
    export_person_records,
)
from safehub.services.exports.pdf import PdfUnavailableError

router = APIRouter()
Exporter = Annotated[Context, Depends(require(Permission.EXPORT_RECORDS))]
FormText = Annotated[str, Form()]
_ANCHORS = {"purpose": "purpose", "format": "format", "recipients": "recipients"}


@dataclass(frozen=True, slots=True)
class _Target:
    """What is being exported, as the form shows it."""

    caption: str
    title: str
    back: str
    action: str


@router.get("/cases/{case_id}/export", response_class=HTMLResponse)
def case_export_page(request: Request, case_id: int, ctx: Exporter) -> Response:
    return _form(request, ctx, _case_target(ctx, case_id), {}, {})


@router.post("/cases/{case_id}/export", response_class=HTMLResponse)
def case_export_submit(
    request: Request,
    case_id: int,
    ctx: Exporter,
    purpose: FormText = "",
    format: FormText = "",
    recipients: FormText = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"purpose": purpose, "format": format, "recipients": recipients}
    try:
        made = export_case_chronology(
            ctx.uow,
            case_id=case_id,
            request=ExportRequest.from_text(purpose=purpose, format=format, recipients=recipients),
        )
    except (ExportRefusedError, PdfUnavailableError) as exc:
        return _form(request, ctx, _case_target(ctx, case_id), values, _errors(exc))
    ctx.uow.commit()
    return download(made)


@router.get("/people/{person_id}/export", response_class=HTMLResponse)
def person_export_page(request: Request, person_id: int, ctx: Exporter) -> Response:
    return _form(request, ctx, _person_target(ctx, person_id), {}, {})


@router.post("/people/{person_id}/export", response_class=HTMLResponse)
def person_export_submit(
    request: Request,
    person_id: int,
    ctx: Exporter,
    purpose: FormText = "",
    format: FormText = "",
    recipients: FormText = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"purpose": purpose, "format": format, "recipients": recipients}
    try:
        made = export_person_records(
            ctx.uow,
            person_id=person_id,
            request=ExportRequest.from_text(purpose=purpose, format=format, recipients=recipients),
        )
    except (ExportRefusedError, PdfUnavailableError) as exc:
        return _form(request, ctx, _person_target(ctx, person_id), values, _errors(exc))
    ctx.uow.commit()
    return download(made)


def _errors(exc: ExportRefusedError | PdfUnavailableError) -> dict[str, str]:
    return exc.errors if isinstance(exc, ExportRefusedError) else {"format": str(exc)}


def _case_target(ctx: Context, case_id: int) -> _Target:
    case = view_case(ctx.uow, case_id=case_id, purpose="preparing an export")
    return _Target(
        f"Case {case.reference}",
        "Export the chronology",
        f"/cases/{case_id}",
        f"/cases/{case_id}/export",
    )


def _person_target(ctx: Context, person_id: int) -> _Target:
    person = view_person(ctx.uow, person_id=person_id, purpose="preparing an export")
    return _Target(
        person.display_name,
        "Export this person's records",
        f"/people/{person_id}",
        f"/people/{person_id}/export",
    )


def _form(
    request: Request, ctx: Context, target: _Target, values: dict[str, str], errors: dict[str, str]
) -> Response:
    ctx.uow.commit()
    purposes = [
        {
            "value": p.key,
            "text": p.label,
            "hint": {"text": p.hint},
            "checked": values.get("purpose") == p.key,
        }
        for p in PURPOSES.values()
    ]
    formats = [
        {"value": k, "text": v, "checked": values.get("format", "csv") == k}
        for k, v in FORMATS.items()
    ]
    return renderer(request).page(
        request,
        "exports/form.html",
        status_code=400 if errors else 200,
        title=target.title,
        target=target,
        purpose_items=purposes,
        format_items=formats,
        values=values,
        errors=errors,
        error_list=error_list(errors, _ANCHORS),
    )
