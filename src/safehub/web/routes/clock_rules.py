"""Clock rules: the statutory timescales shipped with Safehub and the local ones an
administrator sets; the background clock job's runs with their progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import redirect, renderer
from safehub.services.timeliness import (
    LocalRuleDraft,
    LocalRuleError,
    add_local_rule,
    ladder,
    list_rules,
    partnership_mailbox,
    recent_job_runs,
    request_clock_run,
    retire_local_rule,
    set_partnership_mailbox,
    unit_label,
)
from safehub.timescales import Unit
from safehub.web.navigation import NavItem

NAV = [NavItem("/clock-rules", "Timescales", Permission.MANAGE_CLOCK_RULES, 80)]
router = APIRouter()
Admin = Annotated[Context, Depends(require(Permission.MANAGE_CLOCK_RULES))]
_FIELDS = ("id", "amount", "unit", "start_event", "stop_event", "description", "source")


@router.get("/clock-rules", response_class=HTMLResponse)
def rules_page(request: Request, ctx: Admin) -> Response:
    return _page(request, ctx, {}, None)


def _page(request: Request, ctx: Context, values: dict[str, str], error: str | None) -> Response:
    rules = list_rules(ctx.uow)
    runs = recent_job_runs(ctx.uow)
    ctx.uow.commit()
    rule_rows = [
        [
            {"text": r.id},
            {"text": r.description},
            {"text": unit_label(r.unit, r.amount)},
            {"text": f"{r.start_event} → {r.stop_event}".replace("_", " ")},
            {"text": "Statutory" if active is None else ("Local" if active else "Local, retired")},
            {"text": r.source},
        ]
        for r, active in rules
    ]
    run_rows = [
        [
            {"text": str(run.id)},
            {"text": run.job},
            {"text": run.status},
            {"text": _progress(run.items_processed, run.items_total, run.stage)},
            {"text": run.outcome or run.error or ""},
        ]
        for run in runs
    ]
    retirable = [r.id for r, active in rules if active]
    errors = {"rule": error} if error else {}
    return renderer(request).page(
        request,
        "timeliness/clock_rules.html",
        status_code=400 if error else 200,
        title="Timescales",
        rule_rows=rule_rows,
        run_rows=run_rows,
        retirable=retirable,
        values=values,
        errors=errors,
        error_list=[{"text": error, "href": "#id"}] if error else [],
        unit_items=[
            {
                "value": u.value,
                "text": u.value.replace("_", " "),
                "selected": values.get("unit") == u.value,
            }
            for u in Unit
        ],
    )


def _progress(done: int, total: int | None, stage: str | None) -> str:
    if not total:
        return stage or ""
    return f"{done:,} of {total:,} ({100 * done // total}%){f', {stage}' if stage else ''}"


@router.post("/clock-rules", response_class=HTMLResponse)
def rule_submit(
    request: Request,
    ctx: Admin,
    csrf_token: CsrfField = None,
    rule_id: Annotated[str, Form(alias="id")] = "",
    amount: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    start_event: Annotated[str, Form()] = "",
    stop_event: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = dict(
        zip(
            _FIELDS,
            (rule_id, amount, unit, start_event, stop_event, description, source),
            strict=True,
        )
    )
    rule = LocalRuleDraft(
        rule_id=rule_id,
        amount=int(amount) if amount.strip().isdigit() else amount,
        unit=unit,
        start_event=start_event,
        stop_event=stop_event,
        description=description,
        source=source,
    )
    try:
        add_local_rule(ctx.uow, rule=rule)
    except LocalRuleError as problem:
        return _page(request, ctx, values, problem.errors["rule"])
    ctx.uow.commit()
    return redirect("/clock-rules")


@router.post("/clock-rules/{rule_id}/retire")
def rule_retire(rule_id: str, ctx: Admin, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    retire_local_rule(ctx.uow, rule_id=rule_id)
    ctx.uow.commit()
    return redirect("/clock-rules")


@router.post("/clock-rules/run")
def run_now(ctx: Admin, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    request_clock_run(ctx.uow)
    ctx.uow.commit()
    return redirect("/clock-rules#runs")


_MAILBOX_TITLE = "What is the partnership's mailbox?"


@router.get("/clock-rules/escalation", response_class=HTMLResponse)
def escalation_page(request: Request, ctx: Admin) -> Response:
    return _escalation(request, ctx, {"email": partnership_mailbox(ctx.uow)}, None)


@router.post("/clock-rules/escalation", response_class=HTMLResponse)
def escalation_submit(
    request: Request,
    ctx: Admin,
    csrf_token: CsrfField = None,
    email: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        set_partnership_mailbox(ctx.uow, email=email)
    except ValueError as problem:
        return _escalation(request, ctx, {"email": email}, str(problem))
    ctx.uow.commit()
    return redirect("/clock-rules/escalation?saved=1")


def _escalation(
    request: Request, ctx: Context, values: dict[str, str], error: str | None
) -> Response:
    steps = ladder(ctx.uow)
    ctx.uow.commit()
    rows = [
        [
            {"text": str(s.level)},
            {"text": s.name},
            {"text": f"{s.after_working_days} working days or {s.after_hours} hours"},
            {"text": s.email or ""},
        ]
        for s in steps
    ]
    errors = {"email": error} if error else {}
    return renderer(request).page(
        request,
        "timeliness/escalation.html",
        status_code=400 if error else 200,
        title=_MAILBOX_TITLE,
        ladder_rows=rows,
        values=values,
        errors=errors,
        error_list=[{"text": error, "href": "#email"}] if error else [],
        saved=request.query_params.get("saved") == "1" and not error,
    )
