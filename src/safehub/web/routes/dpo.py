"""The data protection officer's pages: the audit log (who looked at what and why), filtered,
paged and exported, and unusual access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.files import download
from safehub.http.pages import error_list, renderer
from safehub.services.accounts.security import SecurityEvent, list_security_events
from safehub.services.sharing.dpo import (
    AUDIT_ACTIONS,
    UNUSUAL_PEOPLE_PER_DAY,
    AuditQuery,
    browse_audit_log,
    export_audit_log,
    list_agency_choices,
    unusual_access,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/dpo", "Access oversight", Permission.VIEW_AUDIT, 80)]
router = APIRouter(prefix="/dpo")
Dpo = Annotated[Context, Depends(require(Permission.VIEW_AUDIT))]
_FIELDS = ("person", "user", "agency", "action", "date_from", "date_to")


@dataclass(frozen=True, slots=True)
class _Form:
    """The filter form as typed, and what it means once each field is read."""

    values: dict[str, str]
    query: AuditQuery
    errors: dict[str, str]

    @property
    def asked(self) -> bool:
        return any(self.values.values())

    def link(self, **more: str) -> str:
        """A link to the same filters (another page, or the CSV)."""
        kept = {k: v for k, v in self.values.items() if v}
        return "?" + urlencode({**kept, **more}) if kept or more else ""


def _number(values: dict[str, str], name: str, label: str, errors: dict[str, str]) -> int | None:
    text = values[name].strip()
    if not text:
        return None
    if not text.isdigit():
        errors[name] = f"{label} must be a whole number, like 3683"
        return None
    return int(text)


def _day(values: dict[str, str], name: str, label: str, errors: dict[str, str]) -> date | None:
    text = values[name].strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{label} must be a real date, like 2024-04-07"
        return None


def _read_form(request: Request) -> _Form:
    """Each field read on its own, so that one mistyped field names itself and the others are
    kept (an empty field means "any")."""
    values = {name: request.query_params.get(name, "") for name in _FIELDS}
    errors: dict[str, str] = {}
    person = _number(values, "person", "Person number", errors)
    user = _number(values, "user", "User number", errors)
    date_from = _day(values, "date_from", "The date from", errors)
    date_to = _day(values, "date_to", "The date to", errors)
    if date_from and date_to and date_to < date_from:
        errors["date_to"] = "The date to must be the same as or after the date from"
    action = values["action"] if values["action"] in AUDIT_ACTIONS else ""
    query = AuditQuery(person, user, values["agency"].strip(), action, date_from, date_to)
    return _Form(values, query, errors)


def _rows(entries: list[Any]) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": f"{e.at:%-d %B %Y %H:%M}"},
            {"text": f"{e.user_name} ({e.actor})" if e.user_name else e.actor},
            {"text": e.agency_name or ""},
            {"text": AUDIT_ACTIONS.get(e.action, e.action)},
            {"text": _what(e.object_type, e.object_ids)},
            {"text": e.purpose},
            {"text": e.source or ""},
        ]
        for e in entries
    ]


def _what(object_type: str, ids: list[str]) -> str:
    kind = object_type.replace("_", " ")
    if not ids:
        return kind
    shown = ", ".join(str(i) for i in ids[:5])
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return f"{kind} {shown}{more}"


@router.get("", response_class=HTMLResponse)
def overview(request: Request, ctx: Dpo, page: str = "1") -> Response:
    form = _read_form(request)
    unusual = unusual_access(ctx.uow)
    security = list_security_events(ctx.uow, limit=50)
    found = None
    if not form.errors:
        number = int(page) if page.isdigit() else 1
        found = browse_audit_log(ctx.uow, query=form.query, page=number)
    agencies = list_agency_choices(ctx.uow)
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
        status_code=400 if form.errors else 200,
        title="Access oversight",
        unusual_rows=unusual_rows,
        threshold=UNUSUAL_PEOPLE_PER_DAY,
        security_rows=_security_rows(security),
        found=found,
        entry_rows=_rows(found.rows) if found else [],
        values=form.values,
        errors=form.errors,
        error_list=error_list(form.errors),
        agency_items=[{"value": "", "text": "Any agency"}]
        + [
            {"value": code, "text": name, "selected": code == form.values["agency"]}
            for code, name in agencies
        ],
        action_items=[{"value": "", "text": "Any action"}]
        + [
            {"value": code, "text": words, "selected": code == form.values["action"]}
            for code, words in AUDIT_ACTIONS.items()
        ],
        previous_link=form.link(page=str(found.page - 1)) if found and found.page > 1 else "",
        next_link=form.link(page=str(found.page + 1)) if found and found.page < found.pages else "",
        export_link="/dpo/audit.csv" + form.link(),
    )


@router.get("/audit.csv", response_model=None)
def export(request: Request, ctx: Dpo) -> Response:
    form = _read_form(request)
    if form.errors:
        return overview(request, ctx)
    made = export_audit_log(ctx.uow, query=form.query)
    ctx.uow.commit()
    # A download, not a page: the audit entry is committed before a byte leaves.
    return download(made)


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
