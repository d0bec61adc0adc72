"""Information-sharing agreements: what the user's agency shares with partners, and receives."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.extracts.codes import RECORD_TYPES
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.errors import RefusedError
from safehub.services.sharing.agreements import (
    LAWFUL_BASES,
    SPECIAL_CATEGORY_CONDITIONS,
    AgreementInput,
    AgreementRow,
    agency_choices,
    create_agreement,
    list_agreements,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/agreements", "Sharing agreements", Permission.MANAGE_AGREEMENTS, 80)]
router = APIRouter()
Manager = Annotated[Context, Depends(require(Permission.MANAGE_AGREEMENTS))]
_TITLE = "Information-sharing agreements"


@router.get("/agreements", response_class=HTMLResponse)
def agreements_page(request: Request, ctx: Manager) -> Response:
    return _page(request, ctx, {}, {})


def _page(
    request: Request, ctx: Context, values: dict[str, Any], errors: dict[str, str]
) -> Response:
    rows = list_agreements(ctx.uow)
    partners = [(i, n) for i, n in agency_choices(ctx.uow) if i != ctx.actor.agency_id]
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "agreements.html",
        status_code=400 if errors else 200,
        title=_TITLE,
        agreement_rows=_rows(rows),
        values=values,
        errors=errors,
        error_list=error_list(
            errors,
            {
                "lawful_basis": "lawful_basis",
                "condition": "condition",
                "record_types": "record_types",
            },
        ),
        recipient_items=[{"value": "", "text": "Select an agency"}]
        + [
            {"value": str(i), "text": n, "selected": values.get("recipient") == str(i)}
            for i, n in partners
        ],
        basis_items=_choices(LAWFUL_BASES, values.get("lawful_basis")),
        condition_items=_choices(SPECIAL_CATEGORY_CONDITIONS, values.get("condition")),
        type_items=[
            {
                "value": t,
                "text": t.replace("_", " "),
                "checked": t in values.get("record_types", []),
            }
            for t in sorted(RECORD_TYPES)
        ],
    )


def _choices(options: dict[str, str], chosen: str | None) -> list[dict[str, Any]]:
    return [{"value": k, "text": v, "checked": k == chosen} for k, v in options.items()]


def _rows(rows: list[AgreementRow]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": r.title},
            {"text": r.provider},
            {"text": r.recipient},
            {"text": ", ".join(t.replace("_", " ") for t in r.record_types)},
            {"text": LAWFUL_BASES.get(r.lawful_basis, r.lawful_basis)},
            {
                "text": f"{r.starts_on:%Y-%m-%d} to {r.ends_on:%Y-%m-%d}"
                if r.ends_on
                else f"From {r.starts_on:%Y-%m-%d}"
            },
        ]
        for r in rows
    ]


@router.post("/agreements", response_class=HTMLResponse)
def agreements_submit(
    request: Request,
    ctx: Manager,
    title: Annotated[str, Form()] = "",
    recipient: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    lawful_basis: Annotated[str, Form()] = "",
    condition: Annotated[str, Form()] = "",
    power_to_share: Annotated[str, Form()] = "",
    record_types: Annotated[list[str] | None, Form()] = None,
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    values: dict[str, Any] = {
        "title": title,
        "recipient": recipient,
        "purpose": purpose,
        "lawful_basis": lawful_basis,
        "condition": condition,
        "power_to_share": power_to_share,
        "record_types": record_types or [],
    }
    agreement = AgreementInput(
        title,
        ctx.actor.agency_id or 0,
        int(recipient) if recipient.isdigit() else 0,
        purpose,
        lawful_basis,
        condition,
        power_to_share,
        record_types or [],
        date.today(),
    )
    try:
        create_agreement(ctx.uow, agreement=agreement)
    except RefusedError as exc:
        return _page(request, ctx, values, exc.errors)
    ctx.uow.commit()
    return redirect("/agreements")
