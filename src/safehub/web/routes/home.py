"""The home page: the user's own work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.pages import renderer
from safehub.services.casework.cases import my_cases
from safehub.services.statistics import count_everything
from safehub.web.navigation import NavItem

NAV = [NavItem("/", "Home", Permission.VIEW_HOME, 10)]
router = APIRouter()

_STAT_LABELS = {
    "agencies": "Agencies",
    "records": "Agency records",
    "person_mentions": "People in records",
    "people": "People",
}


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))]
) -> Response:
    cases = my_cases(ctx.uow)
    counts = count_everything(ctx.uow)
    ctx.uow.commit()
    case_rows = [
        [
            {"html": f'<a class="govuk-link" href="/cases/{cid}">{escape(ref)}</a>'},
            {"text": title},
            {"text": status.replace("_", " ")},
        ]
        for cid, ref, title, status in cases
    ]
    stats_rows = [
        {"key": {"text": _STAT_LABELS[k]}, "value": {"text": f"{v:,}"}} for k, v in counts.items()
    ]
    return renderer(request).page(
        request,
        "home.html",
        title=f"Your work, {ctx.user.display_name}",
        cases=cases,
        case_rows=case_rows,
        stats_rows=stats_rows,
    )
