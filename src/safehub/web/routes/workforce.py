"""Workforce: caseload per worker and team, backlog by age, throughput, training; each chart
with its table beside it (the table is the accessible, script-free version)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.timeliness import (
    COURSES,
    TrainingDraft,
    TrainingError,
    Workforce,
    record_training,
    staff_of_agency,
    view_workforce,
)
from safehub.web.navigation import NavItem
from safehub.web.routes.meetings import parse_day

NAV = [NavItem("/workforce", "Workforce", Permission.VIEW_WORKFORCE, 60)]
router = APIRouter()
Manager = Annotated[Context, Depends(require(Permission.VIEW_WORKFORCE))]
Trainer = Annotated[Context, Depends(require(Permission.RECORD_TRAINING))]
_STATUS = {
    "current": "Current",
    "expiring_soon": "Expires within 60 days",
    "expired": "Expired",
    "none": "No record",
}


def _bar(data: list[dict[str, Any]], x: str, y: str, title: str, colour: str | None = None) -> str:
    """A Vega-Lite bar chart as JSON, safe inside a <script type="application/json"> block."""
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "nominal", "sort": None},
        "y": {"field": y, "type": "quantitative", "title": title},
    }
    if colour:
        encoding["color"] = {"field": colour, "type": "nominal"}
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "data": {"values": data},
        "mark": "bar",
        "encoding": encoding,
    }
    return json.dumps(spec).replace("<", "\\u003c")


def _charts(figures: Workforce) -> dict[str, str]:
    through = [
        {"week": w.isoformat(), "clocks": n, "timeliness": t}
        for w, met, late in figures.throughput
        for n, t in ((met, "On time"), (late, "Late"))
    ]
    return {
        "caseload": _bar(
            [{"worker": w.name, "open work": w.open_clocks} for w in figures.workers],
            "worker",
            "open work",
            "Open work",
        ),
        "backlog": _bar(
            [{"age": a, "open work": n} for a, n in figures.backlog],
            "age",
            "open work",
            "Open work",
        ),
        "throughput": _bar(through, "week", "clocks", "Work completed", "timeliness"),
    }


def _tables(figures: Workforce) -> dict[str, Any]:
    return {
        "worker_rows": [
            [
                {"text": w.name},
                {"text": w.team},
                {"text": str(w.open_cases)},
                {"text": str(w.open_clocks)},
                {"text": str(w.overdue)},
            ]
            for w in figures.workers
        ],
        "team_rows": [
            [{"text": t.team}, {"text": str(t.open_clocks)}, {"text": str(t.overdue)}]
            for t in figures.teams
        ],
        "backlog_rows": [[{"text": a}, {"text": str(n)}] for a, n in figures.backlog],
        "throughput_rows": [
            [{"text": w.strftime("%-d %b %Y")}, {"text": str(m)}, {"text": str(late)}]
            for w, m, late in figures.throughput
        ],
        "training_rows": [
            [
                {"text": t.name},
                {"text": COURSES.get(t.course or "", "None")},
                {"text": t.completed_on.strftime("%-d %b %Y") if t.completed_on else ""},
                {"text": t.expires_on.strftime("%-d %b %Y") if t.expires_on else ""},
                {"text": _STATUS[t.status]},
            ]
            for t in figures.training
        ],
    }


@router.get("/workforce", response_class=HTMLResponse)
def workforce_page(request: Request, ctx: Manager) -> Response:
    return _page(request, ctx, {}, {})


def _page(
    request: Request, ctx: Context, values: dict[str, str], errors: dict[str, str]
) -> Response:
    figures = view_workforce(ctx.uow)
    staff = staff_of_agency(ctx.uow)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "timeliness/workforce.html",
        status_code=400 if errors else 200,
        title="Workforce",
        charts=_charts(figures),
        values=values,
        errors=errors,
        error_list=error_list(errors, {"completed_on": "completed-day"}),
        staff_items=[
            {"value": str(u), "text": n, "selected": values.get("user_id") == str(u)}
            for u, n in staff
        ],
        course_items=[
            {"value": k, "text": v, "selected": values.get("course") == k}
            for k, v in COURSES.items()
        ],
        **_tables(figures),
    )


@router.post("/workforce/training", response_class=HTMLResponse)
def training_submit(
    request: Request,
    ctx: Trainer,
    csrf_token: CsrfField = None,
    user_id: Annotated[str, Form()] = "",
    course: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="completed-day")] = "",
    month: Annotated[str, Form(alias="completed-month")] = "",
    year: Annotated[str, Form(alias="completed-year")] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "user_id": user_id,
        "course": course,
        "completed-day": day,
        "completed-month": month,
        "completed-year": year,
    }
    training = TrainingDraft(
        trainee_user_id=int(user_id) if user_id.isdigit() else None,
        course=course,
        completed_on=parse_day((day, month, year)),
    )
    try:
        record_training(ctx.uow, training=training)
    except TrainingError as problem:
        return _page(request, ctx, values, problem.errors)
    ctx.uow.commit()
    return redirect("/workforce#training")
