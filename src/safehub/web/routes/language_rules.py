"""Language rules a safeguarding lead can add (merged with the shipped rules), and the audit of
saved notes against the rules in force."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.practice import (
    SEVERITIES,
    PracticeRefusedError,
    RuleDraft,
    SavedAnywayRow,
    add_language_rule,
    audit_notes,
    list_language_rules,
    retire_language_rule,
    split_patterns,
    texts_saved_anyway,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/language/rules", "Language rules", Permission.MANAGE_LANGUAGE_RULES, 80)]
router = APIRouter(prefix="/language")
Lead = Annotated[Context, Depends(require(Permission.MANAGE_LANGUAGE_RULES))]
Manager = Annotated[Context, Depends(require(Permission.VIEW_STATISTICS))]
Text = Annotated[str, Form()]


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request, ctx: Lead) -> Response:
    shipped, local = list_language_rules(ctx.uow)
    ctx.uow.commit()
    local_rows = [
        [
            {"text": r.title},
            {"text": "; ".join(r.patterns)},
            {"text": SEVERITIES.get(r.severity, r.severity)},
            {"html": _retire_form(r.id, r.title, request) if r.active else "Retired"},
        ]
        for r in local
    ]
    shipped_rows = [
        [{"text": r.title or r.id}, {"text": r.why}, {"text": r.suggestion}] for r in shipped
    ]
    return renderer(request).page(
        request,
        "practice/language_rules.html",
        title="Language rules",
        local_rows=local_rows,
        shipped_rows=shipped_rows,
    )


def _retire_form(rule_id: int, title: str, request: Request) -> str:
    token = escape(getattr(request.state, "csrf_token", ""))
    return (
        f'<form method="post" action="/language/rules/{rule_id}/retire" class="safehub-inline-form">'
        f'<input type="hidden" name="csrf_token" value="{token}">'
        f'<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">'
        f'Retire<span class="govuk-visually-hidden"> the rule {escape(title)}</span></button></form>'
    )


@router.get("/rules/new", response_class=HTMLResponse)
def new_rule_page(request: Request, ctx: Lead) -> Response:
    ctx.uow.commit()
    return _rule_form(request, {"severity": "error"}, {})


def _rule_form(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
    severity_items = [
        {"value": k, "text": v, "checked": values.get("severity") == k}
        for k, v in SEVERITIES.items()
    ]
    return renderer(request).page(
        request,
        "practice/language_rule_form.html",
        status_code=400 if errors else 200,
        title="Add a language rule",
        values=values,
        errors=errors,
        error_list=error_list(errors),
        severity_items=severity_items,
    )


@router.post("/rules/new", response_class=HTMLResponse)
def new_rule_submit(
    request: Request,
    ctx: Lead,
    csrf_token: CsrfField = None,
    title: Text = "",
    patterns: Text = "",
    why: Text = "",
    suggestion: Text = "",
    severity: Text = "",
    replacement: Text = "",
    example: Text = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {
        "title": title,
        "patterns": patterns,
        "why": why,
        "suggestion": suggestion,
        "severity": severity,
        "replacement": replacement,
        "example": example,
    }
    draft = RuleDraft(
        title,
        split_patterns(patterns),
        why,
        suggestion,
        severity,
        replacement or None,
        example.strip() or None,
    )
    try:
        add_language_rule(ctx.uow, draft=draft)
    except PracticeRefusedError as refused:
        return _rule_form(request, values, refused.errors)
    ctx.uow.commit()
    return redirect("/language/rules")


@router.post("/rules/{rule_id}/retire")
def retire_rule(rule_id: int, ctx: Lead, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    retire_language_rule(ctx.uow, rule_id=rule_id)
    ctx.uow.commit()
    return redirect("/language/rules")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, ctx: Manager) -> Response:
    audit = audit_notes(ctx.uow)
    kept = texts_saved_anyway(ctx.uow)
    ctx.uow.commit()
    summary = [
        {"key": {"text": "Notes checked"}, "value": {"text": f"{audit.checked:,}"}},
        {"key": {"text": "Notes with flags"}, "value": {"text": f"{audit.flagged:,}"}},
        {"key": {"text": "Flags per 100 notes"}, "value": {"text": f"{audit.per_100}"}},
    ]
    rule_rows = [
        [{"text": rule}, {"text": str(n), "format": "numeric"}]
        for rule, n in audit.rule_counts.items()
    ]
    example_rows: list[list[dict[str, Any]]] = [
        [
            {"html": f'<a class="govuk-link" href="/notes/{e.note_id}">Note {e.note_id}</a>'},
            {"text": ", ".join(f"“{p}”" for p in e.phrases)},
            {"text": ", ".join(e.rules)},
        ]
        for e in audit.examples
    ]
    return renderer(request).page(
        request,
        "practice/language_audit.html",
        title="Language in your agency's case notes",
        summary=summary,
        rule_rows=rule_rows,
        example_rows=example_rows,
        reason_rows=[_reason_row(r) for r in kept],
    )


def _reason_row(row: SavedAnywayRow) -> list[dict[str, Any]]:
    href = {
        "note": f"/notes/{row.object_id}",
        "meeting record": f"/meetings/{row.object_id}",
        "alert decision": f"/alerts/{row.object_id}",
        "reason for a delay": f"/inbox/clocks/{row.object_id}",
    }.get(row.kind, "")
    what = f"{row.kind.capitalize()} {row.object_id}"
    if row.count > 1:  # one decision taken on many alerts at once
        what += f" (and {row.count - 1} more decided with it)"
    link = f'<a class="govuk-link" href="{href}">{what}</a>' if href else what
    return [
        {"html": link},
        {"text": f"{row.saved_at:%-d %B %Y}"},
        {"text": row.author},
        {"text": ", ".join(f"“{p}”" for p in row.phrases)},
        {"text": row.reason or "No reason was asked (saved before reasons were kept)"},
    ]
