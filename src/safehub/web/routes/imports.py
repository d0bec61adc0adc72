"""Uploading an agency extract from the browser."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, renderer
from safehub.services.imports import import_uploaded
from safehub.web.navigation import NavItem

NAV = [NavItem("/imports", "Import extracts", Permission.IMPORT_EXTRACTS, 90)]
router = APIRouter()
Importer = Annotated[Context, Depends(require(Permission.IMPORT_EXTRACTS))]
_TITLE = "Import an agency extract"


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, ctx: Importer) -> Response:
    ctx.uow.commit()
    return renderer(request).page(request, "imports.html", title=_TITLE, result=None, problems=[])


@router.post("/imports", response_class=HTMLResponse)
async def imports_submit(
    request: Request, ctx: Importer, extract: UploadFile | None = None, csrf_token: CsrfField = None
) -> Response:
    check_csrf(ctx, csrf_token)
    if extract is None or not extract.filename:
        errors = {"extract": "Select a CSV file to import"}
        return renderer(request).page(
            request,
            "imports.html",
            status_code=400,
            title=_TITLE,
            errors=errors,
            error_list=error_list(errors),
            result=None,
            problems=[],
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(extract.filename).name
        path.write_bytes(await extract.read())
        outcome = import_uploaded(ctx.uow, path=path)
    if outcome.result is None:
        return renderer(request).page(
            request,
            "imports.html",
            status_code=400,
            title=_TITLE,
            result=None,
            problems=outcome.problems,
        )
    ctx.uow.commit()
    r = outcome.result
    summary = (
        f"{r.rows} rows: {r.records_new} new records, {r.records_changed} changed, "
        f"{r.mentions_new} new people in records, {r.warnings} warnings"
    )
    return renderer(request).page(
        request, "imports.html", title=_TITLE, result=summary, problems=outcome.problems
    )
