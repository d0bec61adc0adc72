from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from safehub.access import Permission
from safehub.api.v1.schemas import CasePublic, ChronologyEntryPublic, PathId
from safehub.http.context import Context, require
from safehub.services.casework.cases import view_case

router = APIRouter(tags=["cases"])


@router.get("/cases/{case_id}", operation_id="get_case", response_model=CasePublic)
def api_get_case(
    case_id: PathId,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_CASE))],
    agency: str | None = None,
    kind: str | None = None,
) -> CasePublic:
    case = view_case(ctx.uow, case_id=case_id, agency=agency, kind=kind)
    ctx.uow.commit()
    return CasePublic(
        case_id=case.case_id,
        reference=case.reference,
        title=case.title,
        status=case.status,
        children=[pid for pid, _ in case.children],
        agencies=[code for code, _ in case.agencies],
        chronology=[ChronologyEntryPublic.model_validate(e) for e in case.chronology],
    )
