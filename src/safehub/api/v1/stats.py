from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from safehub.access import Permission
from safehub.api.v1.schemas import StatsPublic
from safehub.http.context import Context, require
from safehub.services.statistics import count_everything

router = APIRouter(tags=["statistics"])


@router.get("/stats", operation_id="get_stats", response_model=StatsPublic)
def api_stats(ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))]) -> StatsPublic:
    counts = count_everything(ctx.uow)
    ctx.uow.commit()
    return StatsPublic(**counts)
