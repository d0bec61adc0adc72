"""Alerts: the agency's alert inbox (one row per child or group, filtered, sorted, paged, worked
in bulk), one alert with its reasons (or, sealed, whom to ask), and a person's decision on each,
confirm or dismiss, with a reason. A reason the language checker holds back is shown with its
flags, beside the question why it is kept as written (``language_reason``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from safehub.access import Permission, can
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.http.templating import govuk_date
from safehub.services.alerts import (
    DECISIONS,
    SORTS,
    STATUSES,
    AlertDecision,
    AlertDecisionRefusedError,
    AlertFold,
    AlertInbox,
    assign_alerts,
    decide_alert,
    decide_alerts,
    kind_label,
    open_alert,
    plain_sentences,
    read_filter,
    view_alert_inbox,
    whole_number,
)
from safehub.services.casework.people import name_people
from safehub.services.practice import LanguageHeldError
from safehub.web.navigation import NavItem

NAV = [NavItem("/alerts", "Alerts", Permission.VIEW_ALERTS, 15)]
router = APIRouter()
Viewer = Annotated[Context, Depends(require(Permission.VIEW_ALERTS))]
Decider = Annotated[Context, Depends(require(Permission.ACT_ON_ALERTS))]
_FILTERS = ("status", "kind", "source", "area", "raised_from", "raised_to", "assigned", "sort")


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, ctx: Viewer) -> Response:
    return _inbox_page(request, ctx, {}, {})


def _inbox_page(
    request: Request,
    ctx: Context,
    errors: dict[str, str],
    values: dict[str, str],
    query: dict[str, str] | None = None,
    held: Held | None = None,
) -> Response:
    query = dict(request.query_params) if query is None else query
    query.setdefault("status", "new")
    sort = query.get("sort", "newest") if query.get("sort") in SORTS else "newest"
    inbox = view_alert_inbox(
        ctx.uow,
        wanted=read_filter(query, ctx.actor.user_id),
        sort=sort,
        page=whole_number(query.get("page")) or 1,
    )
    ctx.uow.commit()
    here = {k: query[k] for k in (*_FILTERS, "person") if query.get(k)}
    return renderer(request).page(
        request,
        "alerts/list.html",
        status_code=400 if errors else 200,
        title="Alerts for your agency",
        inbox=inbox,
        rows=[_row(f, n, held.ids if held else set()) for n, f in enumerate(inbox.folds, 1)],
        flags=held.flags if held else [],
        query=query,
        back=urlencode(here),
        page_links=_page_links(inbox, here),
        options=_options(inbox, query),
        acts=can(ctx.actor, Permission.ACT_ON_ALERTS),
        errors=errors,
        error_list=error_list(errors, {"alerts": "fold-1", "decision": "action"}),
        values=values,
    )


def _row(fold: AlertFold, n: int, selected: set[int]) -> list[dict[str, Any]]:
    """A fold's row; its box stays ticked when the form comes back (a reason held back)."""
    newest = fold.newest
    label = f"{fold.subject}: {fold.title}"
    ticked = " checked" if selected & set(fold.ids) else ""
    # Bandit B704 is a false positive here: ids and n are integers, the label is escaped
    box = Markup(  # nosec B704
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item">'
        f'<input class="govuk-checkboxes__input" id="fold-{n}" name="alerts" type="checkbox" '
        f'value="{",".join(map(str, fold.ids))}"{ticked}>'
        f'<label class="govuk-label govuk-checkboxes__label" for="fold-{n}">'
        f'<span class="govuk-visually-hidden">Select {escape(label)}</span></label></div></div>'
    )
    # Bandit B704 is a false positive here: the id is an integer, the texts are escaped
    subject = Markup(  # nosec B704
        f'<a class="govuk-link" href="/alerts/{newest.id}">{escape(fold.subject)}</a>'
        f'<br><span class="govuk-body-s">{escape(kind_label(fold.kind))}</span>'
    )
    count = "1 alert" if fold.count == 1 else f"{fold.count} alerts"
    return [
        {"html": box},
        {"html": subject},
        {"text": count},
        {"text": ", ".join(fold.sources) or "Not recorded"},
        {"text": ", ".join(fold.areas) or "Not recorded"},
        {"text": ", ".join(STATUSES.get(s, s) for s in fold.statuses)},
        {"text": ", ".join(fold.assignees) or "No one yet"},
        {"text": govuk_date(newest.created_at)},
    ]


def _page_links(inbox: AlertInbox, here: dict[str, str]) -> dict[str, Any]:
    def href(page: int) -> str:
        return "/alerts?" + urlencode({**here, "page": page})

    return {
        "previous": {"href": href(inbox.page - 1)} if inbox.page > 1 else None,
        "next": {"href": href(inbox.page + 1)} if inbox.page < inbox.pages else None,
        "items": [
            {"number": p, "href": href(p), "current": p == inbox.page}
            for p in range(1, inbox.pages + 1)
        ],
    }


def _options(inbox: AlertInbox, query: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    def items(pairs: list[tuple[Any, str]], name: str, anyone: str) -> list[dict[str, Any]]:
        chosen = query.get(name, "")
        return [{"value": "", "text": anyone}] + [
            {"value": str(v), "text": t, "selected": str(v) == chosen} for v, t in pairs
        ]

    return {
        "status": items([*STATUSES.items()], "status", "Any status"),
        "kind": items(inbox.kinds, "kind", "Any kind"),
        "source": items(inbox.sources, "source", "Any agency"),
        "area": items(inbox.areas, "area", "Any area"),
        "assigned": items([("me", "Me"), ("none", "No one")], "assigned", "Anyone or no one"),
        "sort": [
            {"value": k, "text": v, "selected": k == query.get("sort", "newest")}
            for k, v in SORTS.items()
        ],
        "assignee": [{"value": "", "text": "Back to the team"}]
        + [{"value": str(u), "text": n} for u, n in inbox.staff],
    }


@dataclass(frozen=True, slots=True)
class Held:
    """The inbox form coming back: the flags on a reason held back, and the alerts selected."""

    flags: list[dict[str, object]]
    ids: set[int]


def _ids(alerts: list[str]) -> list[int]:
    return [int(i) for value in alerts for i in value.split(",") if i.strip().isdigit()]


@router.post("/alerts/bulk", response_class=HTMLResponse)
def bulk(
    request: Request,
    ctx: Decider,
    alerts: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Confirm, dismiss or give to someone every alert in the rows selected."""
    check_csrf(ctx, csrf_token)
    ids = _ids(alerts or [])
    values = {"reason": reason, "action": action, "language_reason": language_reason}
    query = dict(_parse(back))
    try:
        if action == "assign":
            assign_alerts(ctx.uow, alert_ids=ids, user_id=whole_number(assignee))
        else:
            decision = AlertDecision(action, reason, save_anyway == "yes", language_reason)
            decide_alerts(ctx.uow, alert_ids=ids, decision=decision)
    except LanguageHeldError as held:  # shown beside the reason: revise it, or say why
        return _inbox_page(request, ctx, held.errors, values, query, Held(held.flags, set(ids)))
    except AlertDecisionRefusedError as refused:
        errors = {("action" if k == "decision" else k): v for k, v in refused.errors.items()}
        if "action" in errors:
            errors["action"] = "Select confirm, dismiss or give to someone"
        return _inbox_page(request, ctx, errors, values, query, Held([], set(ids)))
    ctx.uow.commit()
    return redirect(f"/alerts?{back}" if back else "/alerts")


def _parse(back: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(back) if k in (*_FILTERS, "person", "page")]


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: int, ctx: Viewer) -> Response:
    return _alert(request, ctx, alert_id, {}, {})


def _alert(
    request: Request,
    ctx: Context,
    alert_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    flags: list[dict[str, object]] | None = None,
) -> Response:
    view = open_alert(ctx.uow, alert_id=alert_id)
    alert = view.alert
    label = None
    if alert.person_id is not None:
        label = name_people(ctx.uow, person_ids=[alert.person_id]).get(alert.person_id)
    reasons = plain_sentences(ctx.uow, view.reasons) if view.shows_content else []
    ctx.uow.commit()
    items = [
        {"value": k, "text": k.capitalize(), "checked": values.get("decision") == k}
        for k in DECISIONS
    ]
    ask = (
        f"/people/{alert.person_id}/disclosure/{view.holder.agency_id}"
        if not view.shows_content and view.holder and alert.person_id
        else None
    )
    return renderer(request).page(
        request,
        "alerts/alert.html",
        status_code=400 if errors else 200,
        title=kind_label(alert.kind),
        view=view,
        alert=alert,
        person=label if label and label.name else None,
        reasons=reasons,
        status_text=STATUSES.get(alert.status, alert.status),
        decision_items=items,
        values=values,
        errors=errors,
        error_list=error_list(errors),
        ask_href=ask,
        decides=view.awaits_decision and can(ctx.actor, Permission.ACT_ON_ALERTS),
        flags=flags or [],
        pairs=_pairs(view.evidence, can(ctx.actor, Permission.REVIEW_MATCHES))
        if view.shows_content
        else None,
    )


def _pairs(evidence: dict[str, object], link: bool) -> Markup | None:
    """The review pairs a network alert rests on (a possible match nobody had confirmed when
    it was raised), each linked to its review page for who may decide it."""
    ids = evidence.get("possible_pairs")
    if not isinstance(ids, list) or not ids:
        return None
    items = [escape(f"pair P{int(i)}") for i in ids]
    if link:
        # Bandit B704 is a false positive here: the address is a whole number, the text escaped
        items = [
            Markup(f'<a class="govuk-link" href="/review/{int(i)}">{t}</a>')  # nosec B704
            for i, t in zip(ids, items, strict=True)
        ]
    return Markup("; ").join(items)


@router.post("/alerts/{alert_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    alert_id: int,
    ctx: Decider,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"decision": decision, "reason": reason, "language_reason": language_reason}
    chosen = AlertDecision(decision, reason, save_anyway == "yes", language_reason)
    try:
        decide_alert(ctx.uow, alert_id=alert_id, decision=chosen)
    except LanguageHeldError as held:  # shown beside the reason: revise it, or say why
        return _alert(request, ctx, alert_id, values, held.errors, held.flags)
    except AlertDecisionRefusedError as refused:
        return _alert(request, ctx, alert_id, values, refused.errors)
    ctx.uow.commit()
    return redirect(f"/alerts/{alert_id}")
