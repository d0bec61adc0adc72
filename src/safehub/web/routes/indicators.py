"""The exploitation indicator checklist for a child, with evidence of abuse kept apart. What is
known, in the professional's words, is checked for language like a note."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.extracts.codes import INDICATOR_NAMES
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.practice import (
    EVIDENCE,
    ChildIndicators,
    IndicatorChecklist,
    LanguageHeldError,
    PracticeRefusedError,
    child_indicators,
    record_indicators,
)

router = APIRouter()
Recorder = Annotated[Context, Depends(require(Permission.RECORD_INDICATORS))]


@router.get("/children/{person_id}/indicators", response_class=HTMLResponse)
def checklist_page(request: Request, person_id: int, ctx: Recorder) -> Response:
    view = child_indicators(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    ticked = {(i.kind, i.code) for i in view.recorded}
    return _page(request, view, ticked, {}, {})


def _page(
    request: Request,
    view: ChildIndicators,
    ticked: set[tuple[str, str]],
    values: dict[str, str],
    errors: dict[str, str],
    flags: list[dict[str, object]] | None = None,
) -> Response:
    from_records = {i.code: i.agency_name for i in view.imported}

    def items(kind: str, names: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {
                "value": code,
                "text": name,
                "checked": (kind, code) in ticked,
                "hint": {"text": f"Also in {from_records[code]}'s records"}
                if kind == "indicator" and code in from_records
                else None,
            }
            for code, name in names.items()
        ]

    return renderer(request).page(
        request,
        "practice/indicators.html",
        status_code=400 if errors else 200,
        title=f"Exploitation indicators: {view.name}",
        person_id=view.person_id,
        indicator_items=items("indicator", INDICATOR_NAMES),
        evidence_items=items("evidence", EVIDENCE),
        details=values.get("details", ""),
        values=values,
        flags=flags or [],
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/children/{person_id}/indicators", response_class=HTMLResponse)
def checklist_submit(
    request: Request,
    person_id: int,
    ctx: Recorder,
    csrf_token: CsrfField = None,
    indicators: Annotated[list[str] | None, Form()] = None,
    evidence: Annotated[list[str] | None, Form()] = None,
    details: Annotated[str, Form()] = "",
    save_anyway: Annotated[str, Form()] = "",
    language_reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    checklist = IndicatorChecklist(
        frozenset(indicators or ()),
        frozenset(evidence or ()),
        details,
        save_anyway=save_anyway == "yes",
        language_reason=language_reason,
    )
    try:
        record_indicators(ctx.uow, person_id=person_id, checklist=checklist)
    except PracticeRefusedError as refused:  # a LanguageHeldError comes back with its flags
        view = child_indicators(ctx.uow, person_id=person_id)
        ticked = {("indicator", c) for c in checklist.indicators}
        ticked |= {("evidence", c) for c in checklist.evidence}
        flags = refused.flags if isinstance(refused, LanguageHeldError) else []
        values = {"details": details, "language_reason": language_reason}
        return _page(request, view, ticked, values, refused.errors, flags)
    ctx.uow.commit()
    return redirect(f"/children/{person_id}#indicators")
