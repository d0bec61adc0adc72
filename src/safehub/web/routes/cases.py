"""The case page and its merged multi-agency chronology."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.pages import renderer
from safehub.services.casework.cases import CaseView, view_case

router = APIRouter()


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    case_id: int,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_CASE))],
    agency: str | None = None,
    kind: str | None = None,
) -> Response:
    case = view_case(ctx.uow, case_id=case_id, agency=agency or None, kind=kind or None)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "case.html",
        title=case.title,
        case=case,
        **_case_tables(case, agency or "", kind or ""),
    )


def _case_tables(case: CaseView, agency: str, kind: str) -> dict[str, Any]:
    children = ", ".join(
        f'<a class="govuk-link" href="/people/{pid}">{escape(name)}</a>'
        for pid, name in case.children
    )
    summary = [
        {"key": {"text": "Children"}, "value": {"html": children or "None"}},
        {
            "key": {"text": "Agencies involved"},
            "value": {"text": ", ".join(n for _, n in case.agencies)},
        },
        {"key": {"text": "Status"}, "value": {"text": case.status.replace("_", " ")}},
    ]
    chronology = [
        [
            {"text": e.on.isoformat()},
            {"text": e.agency_name},
            {"text": e.title.replace("_", " ")},
            {"text": e.detail or ""},
        ]
        for e in case.chronology
    ]
    agency_items = [{"value": "", "text": "All agencies"}] + [
        {"value": a, "text": a, "selected": a == agency} for a in case.chronology_agencies
    ]
    kind_items = [{"value": "", "text": "All events"}] + [
        {"value": k, "text": k.replace("_", " "), "selected": k == kind}
        for k in case.chronology_kinds
    ]
    return {
        "summary_rows": summary,
        "chronology_rows": chronology,
        "agency_items": agency_items,
        "kind_items": kind_items,
    }
