"""The case page and its merged multi-agency chronology."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.extracts.codes import label
from safehub.http.context import Context, require
from safehub.http.pages import renderer
from safehub.http.templating import govuk_date
from safehub.services.casework.cases import CaseView, view_case
from safehub.services.casework.referrals import CONCERN_TYPES

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
        about=", ".join(name for _, name in case.children) or "No child named",
        case=case,
        **_case_tables(case, agency or "", kind or ""),
    )


# An agency record's entry as the chronology query writes it: "crime_report CR-1 (victim)".
_RECORD_TITLE = re.compile(r"^(\w+) (\S+) \((\w+)\)$")


def _event(title: str, source: str) -> str:
    """An event's title in words: record types, roles, decisions and concerns without codes."""
    found = _RECORD_TITLE.match(title) if source == "agency record" else None
    if found:
        kind, ref, role = found.groups()
        return f"{label(kind)} {ref} ({label(role).lower()})"
    head, sep, code = title.partition(": ")
    if sep and code and " " not in code:
        return f"{head}: {CONCERN_TYPES.get(code, label(code)).lower()}"
    return title


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
        {"key": {"text": "Status"}, "value": {"text": label(case.status)}},
    ]
    chronology = [
        [
            {"text": govuk_date(e.on)},
            {"text": e.agency_name},
            {"text": _event(e.title, e.source)},
            {"text": e.detail or ""},
        ]
        for e in case.chronology
    ]
    names = {e.agency_code: e.agency_name for e in case.chronology} | dict(case.agencies)
    agency_items = [{"value": "", "text": "All agencies"}] + [
        {"value": a, "text": names.get(a, a), "selected": a == agency}
        for a in case.chronology_agencies
    ]
    kind_items = [{"value": "", "text": "All events"}] + [
        {"value": k, "text": label(k), "selected": k == kind} for k in case.chronology_kinds
    ]
    return {
        "children": dict(case.children),
        "summary_rows": summary,
        "chronology_rows": chronology,
        "agency_items": agency_items,
        "kind_items": kind_items,
    }
