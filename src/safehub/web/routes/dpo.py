"""The data protection officer's pages: who has looked at a child, a user's accesses, unusual access."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.pages import renderer
from safehub.services.accounts.security import SecurityEvent, list_security_events
from safehub.services.sharing.dpo import (
    UNUSUAL_PEOPLE_PER_DAY,
    AccessEntry,
    access_report,
    unusual_access,
    who_looked_at,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/dpo", "Access oversight", Permission.VIEW_AUDIT, 80)]
router = APIRouter(prefix="/dpo")
Dpo = Annotated[Context, Depends(require(Permission.VIEW_AUDIT))]


def _rows(entries: list[AccessEntry]) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": e.at.strftime("%Y-%m-%d %H:%M")},
            {"text": e.actor},
            {"text": e.action},
            {"text": e.object_type.replace("_", " ")},
            {"text": e.purpose},
            {"text": e.source or ""},
        ]
        for e in entries
    ]


@router.get("", response_class=HTMLResponse)
def overview(
    request: Request, ctx: Dpo, person: int | None = None, user: int | None = None
) -> Response:
    unusual = unusual_access(ctx.uow)
    security = list_security_events(ctx.uow, limit=50)
    entries: list[AccessEntry] = []
    heading = ""
    if person is not None:
        entries, heading = (
            who_looked_at(ctx.uow, person_id=person),
            f"Who has looked at person {person}",
        )
    elif user is not None:
        entries, heading = (
            access_report(ctx.uow, staff_user_id=user),
            f"What user {user} has looked at",
        )
    ctx.uow.commit()
    unusual_rows = [
        [
            {"text": u.day},
            {"text": u.actor},
            {"text": str(u.people_viewed)},
            {"text": str(u.break_glass)},
        ]
        for u in unusual
    ]
    return renderer(request).page(
        request,
        "dpo.html",
        title="Access oversight",
        unusual_rows=unusual_rows,
        threshold=UNUSUAL_PEOPLE_PER_DAY,
        entry_rows=_rows(entries),
        heading=heading,
        security_rows=_security_rows(security),
        values={"person": person or "", "user": user or ""},
    )


def _security_rows(events: list[SecurityEvent]) -> list[list[dict[str, Any]]]:
    """Refused look-ups and failed sign-ins: when, who, what happened, what was asked, from."""
    return [
        [
            {"text": e.at.strftime("%Y-%m-%d %H:%M")},
            {"text": e.actor},
            {"text": "Refused look-up" if e.action == "refusal" else "Failed sign-in"},
            {"text": ", ".join(e.asked) or e.purpose},
            {"text": e.source or ""},
        ]
        for e in events
    ]
