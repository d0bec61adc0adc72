"""The oversight portal: measures by area against target, a league table, an area's trends, the
disparities found, the register of the oversight body's queries, and audit samples of
pseudonymised, redacted case files with the inspector's findings.

Thin pages over ``services.oversight.portal`` and ``services.oversight.sample``, which the API
(``api/v1/oversight.py``) calls too. Every count shown is already under disclosure control.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission, can
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.http.templating import govuk_date
from safehub.services.errors import RefusedError
from safehub.services.oversight import portal, sample
from safehub.services.oversight.portal import Figure, MeasureRow
from safehub.services.practice import LanguageHeldError
from safehub.web.navigation import NavItem

NAV = [NavItem("/oversight", "Oversight", Permission.VIEW_OVERSIGHT, 84)]
router = APIRouter(prefix="/oversight")
Viewer = Annotated[Context, Depends(require(Permission.VIEW_OVERSIGHT))]
Inspector = Annotated[Context, Depends(require(Permission.AUDIT_SAMPLE))]
TAG_COLOURS = {"met": "green", "near": "yellow", "missed": "red"}


def _page(request: Request, ctx: Context, template: str, **values: Any) -> Response:
    ctx.uow.commit()
    values.setdefault("status_code", 200)
    return renderer(request).page(
        request, template, samples=can(ctx.actor, Permission.AUDIT_SAMPLE), **values
    )


def _status(figure: Figure | None) -> dict[str, str]:
    status = figure.status if figure else "no data"
    colour = TAG_COLOURS.get(status, "grey")
    return {
        "html": f'<strong class="govuk-tag govuk-tag--{colour}">{portal.STATUSES[status]}</strong>'
    }


def _value(figure: Figure | None, measure: MeasureRow) -> dict[str, str]:
    text = portal.format_value(figure.value if figure else None, measure.unit)
    return {"text": text, "format": "numeric"}


def _target(measure: MeasureRow) -> str:
    if measure.target is None:
        return "None set"
    better = "or more" if measure.direction == "higher" else "or less"
    return f"{portal.format_value(measure.target, measure.unit)} {better}"


def _period_error(request: Request, ctx: Context, refused: RefusedError) -> Response:
    return _page(
        request,
        ctx,
        "oversight/period_error.html",
        status_code=400,
        title="Oversight",
        errors=refused.errors,
        error_list=error_list(refused.errors),
    )


@router.get("", response_class=HTMLResponse)
def dashboard_page(request: Request, ctx: Viewer, period: str | None = None) -> Response:
    try:
        board = portal.view_dashboard(ctx.uow, period=period)
    except RefusedError as refused:
        return _period_error(request, ctx, refused)
    label = board.period.label
    by_measure = _tally(board, lambda f: f.measure_code)
    by_area = _tally(board, lambda f: (f.area_kind, f.area_code))
    measure_rows = [
        [
            {
                "html": f'<a class="govuk-link" href="/oversight/league?measure={escape(m.code)}'
                f'&amp;period={label}">{escape(m.name)}</a>'
            },
            {"text": _target(m)},
            {"text": m.owner},
            *_counts(by_measure.get(m.code, {})),
        ]
        for m in board.measures
    ]
    area_rows = [
        [
            {
                "html": f'<a class="govuk-link" href="/oversight/areas/{escape(kind)}/'
                f'{escape(code)}?period={label}">{escape(name)}</a>'
            },
            {"text": portal.AREA_KINDS.get(kind, kind)},
            *_counts(by_area.get((kind, code), {})),
        ]
        for kind, code, name in board.areas
    ]
    return _page(
        request,
        ctx,
        "oversight/dashboard.html",
        title="Oversight: measures by area",
        period=label,
        measure_rows=measure_rows,
        area_rows=area_rows,
    )


def _tally(board: portal.Dashboard, key: Callable[[Figure], Any]) -> dict[Any, dict[str, int]]:
    """How many figures of each status there are per measure, or per area."""
    counts: dict[Any, dict[str, int]] = {}
    for figure in board.figures.values():
        bucket = counts.setdefault(key(figure), {})
        bucket[figure.status] = bucket.get(figure.status, 0) + 1
    return counts


def _counts(statuses: dict[str, int]) -> list[dict[str, str]]:
    # Counts of areas or measures, not of people: no disclosure control needed.
    return [
        {"text": str(statuses.get(s, 0)), "format": "numeric"}
        for s in ("met", "near", "missed", portal.SUPPRESSED)
    ]


@router.get("/league", response_class=HTMLResponse)
def league_page(
    request: Request, ctx: Viewer, measure: str | None = None, period: str | None = None
) -> Response:
    try:
        league = portal.view_league(ctx.uow, measure=measure, period=period)
    except RefusedError as refused:
        return _period_error(request, ctx, refused)
    m = league.measure
    if m is None:
        return _page(request, ctx, "oversight/league_empty.html", title="League table")
    rows = [
        [
            {"text": str(r.rank) if r.rank else "Not ranked"},
            {
                "html": f'<a class="govuk-link" href="/oversight/areas/{escape(r.figure.area_kind)}/'
                f'{escape(r.figure.area_code)}?period={league.period.label}">'
                f"{escape(r.figure.area_name)}</a>"
            },
            {"text": portal.AREA_KINDS.get(r.figure.area_kind, r.figure.area_kind)},
            _value(r.figure, m),
            {"text": str(r.figure.n if r.figure.n is not None else ""), "format": "numeric"},
            _status(r.figure),
        ]
        for r in league.rows
    ]
    return _page(
        request,
        ctx,
        "oversight/league.html",
        title=f"League table: {m.name}",
        measure=m,
        target=_target(m),
        period=league.period.label,
        measure_items=[
            {"value": x.code, "text": x.name, "selected": x.code == m.code} for x in league.measures
        ],
        rows=rows,
    )


@router.get("/areas/{area_kind}/{area_code}", response_class=HTMLResponse)
def area_page(
    request: Request, ctx: Viewer, area_kind: str, area_code: str, period: str | None = None
) -> Response:
    try:
        area = portal.view_area(ctx.uow, area_kind=area_kind, area_code=area_code, period=period)
    except RefusedError as refused:
        return _period_error(request, ctx, refused)
    trends = [
        {
            "id": f"trend-{t.measure.code}",
            "name": t.measure.name,
            "definition": t.measure.definition,
            "owner": t.measure.owner,
            "target": _target(t.measure),
            "overall": portal.format_value(t.overall.value, t.measure.unit),
            "status": _status(t.overall),
            "rows": [
                [
                    {"text": f.month.strftime("%B %Y") if f.month else ""},
                    _value(f, t.measure),
                    {"text": str(f.n if f.n is not None else ""), "format": "numeric"},
                    _status(f),
                ]
                for f in t.months
            ],
            "chart": _trend_chart(t.measure, t.months),
        }
        for t in area.trends
    ]
    return _page(
        request,
        ctx,
        "oversight/area.html",
        title=f"{area.area_name}: trends",
        kind=portal.AREA_KINDS[area.area_kind],
        period=area.period.label,
        trends=trends,
    )


def _trend_chart(measure: MeasureRow, months: list[Figure]) -> str:
    """A Vega-Lite line of the published values by month (a "c" month is left out: its table
    row says so), as JSON safe inside a <script type="application/json"> block."""
    data = [
        {"month": f.month.isoformat(), "value": f.value}
        for f in months
        if f.month is not None and isinstance(f.value, float | int)
    ]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": measure.name,
        "width": "container",
        "height": 200,
        "data": {"values": data},
        "mark": {"type": "line", "point": True, "color": "#1d70b8"},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month", "timeUnit": "yearmonth"},
            "y": {"field": "value", "type": "quantitative", "title": measure.unit.capitalize()},
        },
    }
    if measure.target is not None:
        spec = {
            **{k: v for k, v in spec.items() if k not in ("mark", "encoding", "data")},
            "layer": [
                {"data": {"values": data}, "mark": spec["mark"], "encoding": spec["encoding"]},
                {
                    "data": {"values": [{"target": measure.target}]},
                    "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#d4351c"},
                    "encoding": {"y": {"field": "target", "type": "quantitative"}},
                },
            ],
        }
    return json.dumps(spec).replace("<", "\\u003c")


@router.get("/disparities", response_class=HTMLResponse)
def disparities_page(request: Request, ctx: Viewer) -> Response:
    found = portal.view_disparities(ctx.uow)
    blocks = [
        {
            "title": f"{portal.UNIT_MEASURES.get(s.measure_code, s.measure_code).capitalize()}, "
            f"by {portal.DIMENSIONS.get(s.dimension, s.dimension)}",
            "statement": s.text,
            "significant": s.significant,
            "rows": [
                [
                    {"text": line.group},
                    {"text": str(line.n), "format": "numeric"},
                    {"text": _number(line.value), "format": "numeric"},
                    {"text": _interval(line.ci_low, line.ci_high), "format": "numeric"},
                    {"text": "Yes" if line.flagged else "No"},
                ]
                for line in found.lines
                if (line.measure_code, line.dimension) == (s.measure_code, s.dimension)
            ],
        }
        for s in found.statements
    ]
    return _page(
        request,
        ctx,
        "oversight/disparities.html",
        title="Disparities",
        period=found.period,
        blocks=blocks,
    )


def _number(value: float | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{value:.3g}"


def _interval(low: float | str | None, high: float | str | None) -> str:
    if low is None or high is None:
        return ""
    return f"{_number(low)} to {_number(high)}"


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, ctx: Viewer) -> Response:
    entries = portal.view_register(ctx.uow)
    rows = [
        [
            {"text": govuk_date(e.at)},
            {"text": e.who},
            {"text": e.query.replace("_", " ").capitalize()},
            {"text": "; ".join(f"{k}: {v}" for k, v in sorted(e.parameters.items())) or "None"},
            {"text": str(e.rows_returned), "format": "numeric"},
        ]
        for e in entries
    ]
    return _page(request, ctx, "oversight/register.html", title="Register of queries", rows=rows)


@router.get("/register.csv")
def register_csv(ctx: Viewer) -> Response:
    body = portal.register_csv(ctx.uow)
    ctx.uow.commit()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="oversight-register.csv"'},
    )


# Audit samples: the oversight body only.


@router.get("/samples", response_class=HTMLResponse)
def samples_page(request: Request, ctx: Inspector) -> Response:
    drawn = sample.list_samples(ctx.uow)
    rows = [
        [
            {"html": f'<a class="govuk-link" href="/oversight/samples/{s.id}">Sample {s.id}</a>'},
            {"text": govuk_date(s.drawn_at)},
            {"text": s.drawn_by},
            {
                "text": f"{govuk_date(s.period_start, time=False)} to {govuk_date(s.period_end, time=False)}"
            },
            {"text": sample.STATUS_CHOICES[s.statuses]},
            {"text": f"{s.files_reviewed} of {s.files}", "format": "numeric"},
        ]
        for s in drawn
    ]
    return _page(request, ctx, "oversight/samples.html", title="Audit samples", rows=rows)


@router.get("/samples/new", response_class=HTMLResponse)
def new_sample_page(request: Request, ctx: Inspector) -> Response:
    return _sample_form(request, ctx, {"statuses": "both", "size": "10"}, {})


def _sample_form(
    request: Request, ctx: Context, values: dict[str, str], errors: dict[str, str]
) -> Response:
    return _page(
        request,
        ctx,
        "oversight/sample_new.html",
        status_code=400 if errors else 200,
        title="Draw an audit sample",
        values=values,
        errors=errors,
        error_list=error_list(errors),
        status_items=[
            {"value": k, "text": v, "checked": values.get("statuses") == k}
            for k, v in sample.STATUS_CHOICES.items()
        ],
    )


@router.post("/samples", response_class=HTMLResponse)
def draw_sample_submit(
    request: Request,
    ctx: Inspector,
    size: Annotated[str, Form()] = "",
    period_start: Annotated[str, Form()] = "",
    period_end: Annotated[str, Form()] = "",
    statuses: Annotated[str, Form()] = "both",
    seed: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    asked = sample.SampleRequest(size, period_start, period_end, statuses, seed)
    try:
        sample_id = sample.draw_sample(ctx.uow, request=asked)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        values = {
            "size": size,
            "period_start": period_start,
            "period_end": period_end,
            "statuses": statuses,
            "seed": seed,
        }
        return _sample_form(request, ctx, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/oversight/samples/{sample_id}")


@router.get("/samples/{sample_id}", response_class=HTMLResponse)
def sample_page(request: Request, ctx: Inspector, sample_id: int) -> Response:
    drawn, files = sample.view_sample(ctx.uow, sample_id=sample_id)
    rows = [
        [
            {
                "html": f'<a class="govuk-link" href="/oversight/samples/{sample_id}/files/'
                f'{f.position}">File {f.position}</a>'
            },
            {"text": "Closed" if f.status == "closed" else "Open"},
            {"text": "Reviewed" if f.answered else "Not yet reviewed"},
        ]
        for f in files
    ]
    return _page(
        request,
        ctx,
        "oversight/sample.html",
        title=f"Sample {drawn.id}",
        sample=drawn,
        status_text=sample.STATUS_CHOICES[drawn.statuses],
        rows=rows,
    )


@router.get("/samples/{sample_id}/files/{position}", response_class=HTMLResponse)
def file_page(request: Request, ctx: Inspector, sample_id: int, position: int) -> Response:
    opened = sample.view_sample_file(ctx.uow, sample_id=sample_id, position=position)
    answers = {f.question: f.answer for f in opened.findings}
    comments = {f"{f.question}_comment": f.comment or "" for f in opened.findings}
    return _file_form(request, ctx, opened, {**answers, **comments}, {})


def _file_form(
    request: Request,
    ctx: Context,
    opened: sample.SampleFile,
    values: dict[str, str],
    errors: dict[str, str],
    held: LanguageHeldError | None = None,
) -> Response:
    snapshot = opened.file.snapshot
    questions = [
        {
            "code": code,
            "text": text,
            "items": [
                {"value": k, "text": v, "checked": values.get(code) == k}
                for k, v in sample.ANSWERS.items()
            ],
        }
        for code, text in sample.CHECKLIST.items()
    ]
    return _page(
        request,
        ctx,
        "oversight/sample_file.html",
        status_code=400 if errors else 200,
        title=f"Sample {opened.sample.id}, file {opened.file.position} of {opened.files}",
        sample_id=opened.sample.id,
        position=opened.file.position,
        snapshot=snapshot,
        people_rows=[
            [
                {"text": p["label"]},
                {"text": str(p["age"]) if p.get("age") is not None else "Not known"},
            ]
            for p in snapshot.get("people", [])
        ],
        event_rows=[_event_row(e) for e in snapshot.get("events", [])],
        questions=questions,
        held=held is not None,
        flags=held.flags if held else [],
        values=values,
        errors=errors,
        error_list=error_list(errors),
        findings=opened.findings,
    )


def _event_row(event: dict[str, Any]) -> list[dict[str, Any]]:
    due, done = event.get("due_day"), event.get("done_day")
    timing = "; ".join(
        part
        for part in (
            f"due day {due}" if due is not None else "",
            f"done day {done}" if done is not None else "",
            event.get("status") or "",
        )
        if part
    )
    what = event.get("what") or ""
    return [
        {"text": str(event.get("day", ""))},
        {"text": event["kind"].capitalize() + (f": {what}" if what else "")},
        {"text": event.get("by") or ""},
        {"text": event.get("text") or ""},
        {"text": timing},
    ]


@router.post("/samples/{sample_id}/files/{position}", response_class=HTMLResponse)
async def findings_submit(
    request: Request, ctx: Inspector, sample_id: int, position: int
) -> Response:
    form = await request.form()
    check_csrf(ctx, str(form.get("csrf_token") or ""))
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    draft = sample.FindingsDraft(
        answers={c: values.get(c, "") for c in sample.CHECKLIST},
        comments={c: values.get(f"{c}_comment", "") for c in sample.CHECKLIST},
    )
    try:
        sample.record_findings(
            ctx.uow,
            sample_id=sample_id,
            position=position,
            findings=draft,
            save_anyway=values.get("save_anyway") == "yes",
            language_reason=values.get("language_reason", ""),
        )
    except LanguageHeldError as held:  # shown under the comments: revise them, or say why
        ctx.uow.session.rollback()
        opened = sample.view_sample_file(ctx.uow, sample_id=sample_id, position=position)
        return _file_form(request, ctx, opened, values, held.errors, held)
    except RefusedError as refused:
        ctx.uow.session.rollback()
        opened = sample.view_sample_file(ctx.uow, sample_id=sample_id, position=position)
        return _file_form(request, ctx, opened, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/oversight/samples/{sample_id}?saved={position}")
