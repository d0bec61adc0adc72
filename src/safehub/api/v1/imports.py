from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile
from fastapi.responses import JSONResponse

from safehub.access import Permission
from safehub.api.v1.schemas import ApiError, ImportPublic
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.imports import import_uploaded

router = APIRouter(tags=["imports"])


@router.post(
    "/imports",
    operation_id="import_extract",
    response_model=ImportPublic,
    # A rejected extract lists its problems; a request without a file is refused as any other.
    responses={
        422: {"model": ImportPublic | ApiError, "description": "Rejected: nothing imported"}
    },
)
async def api_import_extract(
    extract: UploadFile,
    ctx: Annotated[Context, Depends(require(Permission.IMPORT_EXTRACTS))],
    csrf: CsrfHeader = None,
) -> ImportPublic | JSONResponse:
    check_csrf(ctx, csrf)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(extract.filename or "extract.csv").name
        path.write_bytes(await extract.read())
        outcome = import_uploaded(ctx.uow, path=path)
    if outcome.result is None:
        return JSONResponse(
            ImportPublic(imported=False, problems=outcome.problems).model_dump(), 422
        )
    ctx.uow.commit()
    r = outcome.result
    return ImportPublic(
        imported=True,
        problems=outcome.problems,
        rows=r.rows,
        records_new=r.records_new,
        records_changed=r.records_changed,
        mentions_new=r.mentions_new,
        mentions_changed=r.mentions_changed,
    )
