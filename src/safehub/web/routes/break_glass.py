"""Break-glass: open a record one cannot otherwise see, saying why (the DPO is alerted)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.errors import NotFoundError, RefusedError
from safehub.services.sharing.break_glass import (
    GRANT_HOURS,
    SUBJECTS,
    BreakGlassRequest,
    break_glass,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/break-glass", "Break glass", Permission.BREAK_GLASS, 95)]
router = APIRouter()
Breaker = Annotated[Context, Depends(require(Permission.BREAK_GLASS))]
_TITLE = "Open a record you cannot otherwise see"
_NOTHING = "There is no person or case with that number that you can open"


@router.get("/break-glass", response_class=HTMLResponse)
def break_glass_page(request: Request, ctx: Breaker) -> Response:
    ctx.uow.commit()
    return _page(request, {"subject": "person"}, {})


def _page(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
    items = [
        {"value": s, "text": s.capitalize(), "checked": values.get("subject") == s}
        for s in SUBJECTS
    ]
    return renderer(request).page(
        request,
        "break_glass.html",
        status_code=400 if errors else 200,
        title=_TITLE,
        values=values,
        errors=errors,
        error_list=error_list(errors),
        subject_items=items,
        hours=GRANT_HOURS,
    )


@router.post("/break-glass", response_class=HTMLResponse)
def break_glass_submit(
    request: Request,
    ctx: Breaker,
    subject: Annotated[str, Form()] = "",
    subject_id: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values = {"subject": subject, "subject_id": subject_id, "reason": reason}
    try:
        break_glass(ctx.uow, request=BreakGlassRequest(subject, subject_id, reason))
    except RefusedError as exc:
        return _page(request, values, exc.errors)
    except NotFoundError:
        # The same answer for no such record and a record restricted by another agency.
        return _page(request, values, {"subject_id": _NOTHING})
    ctx.uow.commit()
    return redirect(f"/{'people' if subject == 'person' else 'cases'}/{int(subject_id)}")
