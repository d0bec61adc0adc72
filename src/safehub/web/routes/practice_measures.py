"""Practice measures for managers and oversight: language flags per 100 notes by agency and
team (a chart with a table beside it), and children recorded as victims then treated as
offenders, per agency. Aggregates only: no note and no child is shown."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.pages import error_list, renderer
from safehub.services.practice import Rate, flag_rates, rates_chart, victim_offender_measure
from safehub.web.navigation import NavItem

NAV = [NavItem("/practice/measures", "Practice measures", Permission.VIEW_STATISTICS, 85)]
router = APIRouter()


def _period(start: str | None, end: str | None) -> tuple[date, date, dict[str, str]]:
    errors: dict[str, str] = {}
    today = date.today()
    try:
        first = date.fromisoformat(start) if start else today - timedelta(days=365)
    except ValueError:
        first, errors["start"] = today - timedelta(days=365), "Enter the start as YYYY-MM-DD"
    try:
        last = date.fromisoformat(end) if end else today
    except ValueError:
        last, errors["end"] = today, "Enter the end as YYYY-MM-DD"
    if first > last:
        errors["end"] = "The end of the period must be after its start"
    return first, last, errors


@router.get("/practice/measures", response_class=HTMLResponse)
def measures_page(
    request: Request,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_STATISTICS))],
    start: str | None = None,
    end: str | None = None,
) -> Response:
    first, last, errors = _period(start, end)
    agencies = flag_rates(ctx.uow, by="agency", start=first, end=last, own_agency_only=False)
    teams = flag_rates(ctx.uow, by="team", start=first, end=last, own_agency_only=True)
    offenders = victim_offender_measure(ctx.uow, start=first, end=last)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "practice/measures.html",
        status_code=400 if errors else 200,
        title="Practice measures",
        values={"start": first.isoformat(), "end": last.isoformat()},
        errors=errors,
        error_list=error_list(errors),
        agency_rows=_rate_rows(agencies),
        team_rows=_rate_rows(teams),
        agency_chart=json.dumps(
            rates_chart(agencies, title="Language flags per 100 notes by agency")
        ).replace("<", "\\u003c"),
        offender_rows=[
            [{"text": c.agency_name}, {"text": str(c.count), "format": "numeric"}]
            for c in offenders
        ],
    )


def _rate_rows(rates: list[Rate]) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": r.group},
            {"text": f"{r.notes:,}", "format": "numeric"},
            {"text": f"{r.flagged_notes:,}", "format": "numeric"},
            {"text": f"{r.per_100}{' (few notes)' if r.few else ''}", "format": "numeric"},
            {"text": f"{r.saved_despite_flags:,}", "format": "numeric"},
        ]
        for r in rates
    ]
