"""The signed-in user's own account: passkeys, recovery codes, password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import SESSION_COOKIE, Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.errors import CsrfError
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.accounts import (
    Ceremony,
    PasskeyError,
    PasswordRejectedError,
    add_passkey,
    change_password,
    issue_new_recovery_codes,
    parse_json_body,
    remove_passkey,
    start_adding_passkey,
    view_account_security,
)
from safehub.web.navigation import NavItem
from safehub.web.routes.signin import now_for, relying_party

NAV = [NavItem("/account", "Your account", Permission.VIEW_HOME, 95)]
router = APIRouter()
CtxDep = Annotated[Context, Depends(require(Permission.VIEW_HOME))]
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]
_NOTICES = {
    "passkey-added": "Passkey added.",
    "passkey-removed": "Passkey removed.",
    "password-changed": "Your password has been changed. Your other sessions have ended.",
}


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, ctx: CtxDep, done: str = "") -> Response:
    security = view_account_security(ctx.uow)
    ctx.uow.commit()
    factors = security.factors
    summary = [
        {"key": {"text": "Username"}, "value": {"text": ctx.user.username}},
        {
            "key": {"text": "Authenticator app"},
            "value": {"text": "Set up" if factors.totp else "Not set up"},
        },
    ]
    rows = [
        [
            {"text": p.name},
            {"text": f"{p.created_at:%d %B %Y}"},
            {"text": f"{p.last_used_at:%d %B %Y}" if p.last_used_at else "Not yet"},
            {"html": _remove_button(p.id, p.name, ctx.csrf_token)},
        ]
        for p in security.passkeys
    ]
    return renderer(request).page(
        request,
        "account.html",
        title="Your account",
        summary_rows=summary,
        passkey_rows=rows,
        recovery_left=factors.recovery_codes_left,
        notice=_NOTICES.get(done, ""),
    )


@router.post("/account/passkeys/options")
def passkey_options(request: Request, ctx: CtxDep, csrf: CsrfHeader = None) -> Response:
    check_csrf(ctx, csrf)
    options = start_adding_passkey(ctx.uow, ceremony=_ceremony(request), now=now_for(request))
    ctx.uow.commit()
    return Response(options, media_type="application/json")


@router.post("/account/passkeys")
async def passkey_add(request: Request, ctx: CtxDep, csrf: CsrfHeader = None) -> Response:
    check_csrf(ctx, csrf)
    try:
        credential = parse_json_body(await request.body())
        name = str(request.query_params.get("name", ""))
        add_passkey(
            ctx.uow,
            ceremony=_ceremony(request),
            credential=credential,
            name=name,
            now=now_for(request),
        )
    except PasskeyError as exc:
        ctx.uow.commit()  # the used challenge is gone either way
        return JSONResponse({"error": str(exc)}, 400)
    ctx.uow.commit()
    return JSONResponse({"redirect": "/account?done=passkey-added"})


@router.post("/account/passkeys/{passkey_id}/remove")
def passkey_remove(ctx: CtxDep, passkey_id: int, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    remove_passkey(ctx.uow, passkey_id=passkey_id)
    ctx.uow.commit()
    return redirect("/account?done=passkey-removed")


@router.post("/account/recovery-codes", response_class=HTMLResponse)
def new_recovery_codes(request: Request, ctx: CtxDep, csrf_token: CsrfField = None) -> Response:
    check_csrf(ctx, csrf_token)
    codes = issue_new_recovery_codes(ctx.uow)
    ctx.uow.commit()
    # Shown once in answer to the post: only hashes are kept, so no later GET could show them.
    return renderer(request).page(
        request, "account_recovery_codes.html", title="Your new recovery codes", codes=codes
    )


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, ctx: CtxDep) -> Response:
    ctx.uow.commit()
    return renderer(request).page(request, "account_password.html", title="Change your password")


@router.post("/account/password", response_class=HTMLResponse)
def password_submit(
    request: Request,
    ctx: CtxDep,
    csrf_token: CsrfField = None,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    errors: dict[str, str] = {}
    try:
        changed = change_password(
            ctx.uow,
            current=current,
            new=new,
            keep_token=request.cookies.get(SESSION_COOKIE, ""),
        )
        if not changed:
            errors["current"] = "Enter your current password correctly"
    except PasswordRejectedError as exc:
        errors["new"] = str(exc)
    if errors:
        ctx.uow.commit()  # a wrong current password is counted towards the lock
        return renderer(request).page(
            request,
            "account_password.html",
            status_code=400,
            title="Change your password",
            errors=errors,
            error_list=error_list(errors),
        )
    ctx.uow.commit()
    return redirect("/account?done=password-changed")


def _ceremony(request: Request) -> Ceremony:
    rp_id, origin = relying_party(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise CsrfError
    return Ceremony(token, rp_id, origin)


def _remove_button(passkey_id: int, name: str, csrf: str) -> str:
    return (
        f'<form method="post" action="/account/passkeys/{passkey_id}/remove">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        f'<button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0">'
        f'Remove<span class="govuk-visually-hidden"> {escape(name)}</span></button></form>'
    )
