"""Alerts: the agency's alerts with their reasons (or, sealed, whom to ask), and a person's
decision on each, confirm or dismiss, with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from safehub.access import Permission, can
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.alerts import (
    DECISIONS,
    STATUSES,
    Alert,
    AlertDecision,
    AlertDecisionRefusedError,
    decide_alert,
    list_alerts,
    open_alert,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/alerts", "Alerts", Permission.VIEW_ALERTS, 15)]
router = APIRouter()
Viewer = Annotated[Context, Depends(require(Permission.VIEW_ALERTS))]
Decider = Annotated[Context, Depends(require(Permission.ACT_ON_ALERTS))]


def _row(alert: Alert) -> list[dict[str, Markup | str]]:
    link = Markup(f'<a class="govuk-link" href="/alerts/{alert.id}">{escape(alert.title)}</a>')
    return [
        {"html": link},
        {"text": "Sealed" if alert.sealed else "Open"},
        {"text": STATUSES.get(alert.status, alert.status)},
        {"text": f"{alert.created_at:%d %b %Y %H:%M}"},
    ]


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, ctx: Viewer, status: str = "new") -> Response:
    alerts = list_alerts(ctx.uow, status=status or None)
    ctx.uow.commit()
    tabs = [
        {"href": f"/alerts?status={k}", "text": v, "current": k == status}
        for k, v in STATUSES.items()
    ] + [{"href": "/alerts?status=", "text": "All", "current": not status}]
    return renderer(request).page(
        request, "alerts/list.html", title="Alerts", rows=[_row(a) for a in alerts], tabs=tabs
    )


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: int, ctx: Viewer) -> Response:
    return _alert(request, ctx, alert_id, {}, {})


def _alert(
    request: Request, ctx: Context, alert_id: int, values: dict[str, str], errors: dict[str, str]
) -> Response:
    view = open_alert(ctx.uow, alert_id=alert_id)
    ctx.uow.commit()
    alert = view.alert
    items = [
        {"value": k, "text": k.capitalize(), "checked": values.get("decision") == k}
        for k in DECISIONS
    ]
    ask = (
        f"/people/{alert.person_id}/disclosure/{view.holder.agency_id}"
        if alert.sealed and view.holder and alert.person_id
        else None
    )
    return renderer(request).page(
        request,
        "alerts/alert.html",
        status_code=400 if errors else 200,
        title=alert.title,
        view=view,
        alert=alert,
        decision_items=items,
        values=values,
        errors=errors,
        error_list=error_list(errors),
        ask_href=ask,
        decides=view.awaits_decision and can(ctx.actor, Permission.ACT_ON_ALERTS),
    )


@router.post("/alerts/{alert_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    alert_id: int,
    ctx: Decider,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        decide_alert(ctx.uow, alert_id=alert_id, decision=AlertDecision(decision, reason))
    except AlertDecisionRefusedError as refused:
        values = {"decision": decision, "reason": reason}
        return _alert(request, ctx, alert_id, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/alerts/{alert_id}")
