"""The referral step "Is this child already known?": likely matches with their reasons.

Reached after the child's name and date of birth (link: ``/referrals/new/known``). The referrer
picks a person or says none; the answer is kept in the referral draft as ``known_person_id``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import redirect, renderer
from safehub.http.templating import likelihood
from safehub.services.identity import (
    Candidate,
    IntakeCheckRefusedError,
    check_referral_child,
    record_known_child,
)

router = APIRouter(prefix="/referrals")
Checker = Annotated[Context, Depends(require(Permission.INTAKE_CHECK))]
_TITLE = "Is this child already known?"
_NEXT = "/referrals/new/concern"


@router.get("/new/known", response_class=HTMLResponse)
def known_page(request: Request, ctx: Checker) -> Response:
    outcome = check_referral_child(ctx.uow)
    ctx.uow.commit()
    refused = outcome if isinstance(outcome, IntakeCheckRefusedError) else None
    candidates = [] if isinstance(outcome, IntakeCheckRefusedError) else outcome.candidates
    ready = not isinstance(outcome, IntakeCheckRefusedError) and outcome.model_ready
    return renderer(request).page(
        request,
        "referral_known.html",
        title=_TITLE,
        refused=str(refused) if refused else None,
        ready=ready,
        items=_items(candidates),
        candidates=candidates,
        next_url=_NEXT,
    )


def _items(candidates: list[Candidate]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for c in candidates:
        name = ", ".join(c.names) or "Name held by another agency"
        born = ", ".join(c.dates_of_birth) or "date of birth held by another agency"
        known_to = ", ".join(name for _, name in c.agencies) or "another agency"
        items.append(
            {
                "value": str(c.person_id),
                "text": f"{name} ({born})",
                "hint": {
                    "text": f"Known to {known_to}. The same child? "
                    f"{likelihood(c.match_probability).capitalize()}. "
                    f"Why: {'; '.join(c.reasons[:4])}."
                },
            }
        )
    if items:
        items.append({"divider": "or"})
    items.append({"value": "none", "text": "None of these, or I am not sure"})
    return items


@router.post("/new/known")
def known_submit(
    ctx: Checker, csrf_token: CsrfField = None, known: Annotated[str, Form()] = "none"
) -> Response:
    check_csrf(ctx, csrf_token)
    choice = known if known.isdigit() else "none"
    record_known_child(ctx.uow, choice=choice)
    ctx.uow.commit()
    return redirect(_NEXT)
