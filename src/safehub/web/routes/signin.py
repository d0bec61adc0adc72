"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.db.uow import UnitOfWork
from safehub.services.users import sign_in, sign_out
from safehub.web.deps import SESSION_COOKIE, Context, CsrfField, check_csrf, open_uow, require
from safehub.web.routes.common import error_list, redirect, renderer

router = APIRouter()
PUBLIC = True  # read by the route guard test: these routes are reachable without signing in


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    return renderer(request).page(request, "sign_in.html", title="Sign in to Safehub")


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    uow: Annotated[UnitOfWork, Depends(open_uow)],
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    errors = {}
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    signed = sign_in(uow, username=username.strip(), password=password) if not errors else None
    if signed is None:
        # One message for an unknown user and a wrong password: no user enumeration.
        errors = errors or {"username": "Enter a correct username and password"}
        uow.commit()
        return renderer(request).page(
            request, "sign_in.html", status_code=400, title="Sign in to Safehub", errors=errors,
            error_list=error_list(errors), values={"username": username},
        )  # fmt: skip
    uow.commit()
    response = redirect("/")
    response.set_cookie(SESSION_COOKIE, signed.token, secure=True, httponly=True, samesite="lax",
                        path="/")  # fmt: skip
    return response


@router.post("/sign-out")
def sign_out_submit(
    request: Request, ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))],
    csrf_token: CsrfField = None,
) -> Response:  # fmt: skip
    check_csrf(ctx, csrf_token)
    sign_out(ctx.uow, token=request.cookies.get(SESSION_COOKIE, ""))
    ctx.uow.commit()
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True)
    return response
