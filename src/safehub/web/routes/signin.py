"""Signing in (password, then a second factor) and out.

The steps after the password are reached with the "password ok" cookie only: they are public
routes in the sense of the route guard (no session yet), each checking that state itself.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from safehub.access import Permission
from safehub.http.context import (
    SESSION_COOKIE,
    Context,
    PublicContext,
    public_context,
    require,
)
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.accounts import (
    Enrolled,
    PasskeyError,
    PasswordAccepted,
    Pending,
    Refusal,
    SignedIn,
    cancel_sign_in,
    check_password,
    enrol_and_sign_in,
    parse_json_body,
    passkey_challenge,
    pending_enrolment,
    pending_sign_in,
    second_factors,
    sign_in_with_code,
    sign_in_with_passkey,
    sign_in_with_recovery_code,
    sign_out,
)

router = APIRouter()
PUBLIC = True  # read by the route guard test: these routes are reachable without signing in

PENDING_COOKIE = "__Host-safehub-signin"
_TITLE = "Sign in to Safehub"
_CODE_TITLE = "Enter the code from your authenticator app"
_RECOVERY_TITLE = "Enter a recovery code"
_SET_UP_TITLE = "Set up an authenticator app"
_LOCKED = (
    "You cannot sign in for now because of too many attempts. Try again in a few minutes, "
    "or ask your administrator for help."
)
Visitor = Annotated[PublicContext, Depends(public_context)]


def now_for(request: Request) -> datetime:
    """The time, from the app's clock when a test has set one (``app.state.clock``)."""
    clock: Callable[[], datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else datetime.now(UTC)


def relying_party(request: Request) -> tuple[str, str]:
    """The WebAuthn relying party id and origin, from the host the browser is using (so that
    both http://localhost and a real domain work); see ``services.accounts.passkeys``."""
    return request.url.hostname or "localhost", f"{request.url.scheme}://{request.url.netloc}"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    return renderer(request).page(request, "sign_in.html", title=_TITLE)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    visit: Visitor,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    errors = {}
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    if errors:
        return _password_page(request, errors, username, 400)
    result = check_password(
        visit.uow, username=username.strip(), password=password, now=now_for(request)
    )
    visit.uow.commit()
    if not isinstance(result, PasswordAccepted):
        # One message for an unknown user, a wrong password and a disabled account.
        message = _LOCKED if result == "locked" else "Enter a correct username and password"
        return _password_page(
            request, {"username": message}, username, 429 if result == "locked" else 400
        )
    response = redirect("/sign-in/set-up" if result.needs_enrolment else "/sign-in/code")
    response.set_cookie(
        PENDING_COOKIE,
        result.token,
        max_age=300,
        secure=True,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response


@router.get("/sign-in/code", response_class=HTMLResponse)
def code_page(request: Request, visit: Visitor) -> Response:
    pending = _pending(request, visit)
    if pending is None:
        return _restart(visit)
    return _code_page(request, visit, pending, {}, 200)


@router.post("/sign-in/code", response_class=HTMLResponse)
def code_submit(
    request: Request,
    visit: Visitor,
    csrf_token: CsrfField = None,
    code: Annotated[str, Form()] = "",
) -> Response:
    pending = _checked_pending(request, visit, csrf_token)
    if pending is None:
        return _restart(visit)
    if not code.strip():
        return _code_page(request, visit, pending, {"code": "Enter the 6-digit code"}, 400)
    result = sign_in_with_code(visit.uow, pending=pending, code=code, now=now_for(request))
    visit.uow.commit()
    if isinstance(result, SignedIn):
        return _signed_in(redirect("/"), result)
    return _code_page(request, visit, pending, {"code": _refusal(result, "code")}, _status(result))


@router.get("/sign-in/recovery", response_class=HTMLResponse)
def recovery_page(request: Request, visit: Visitor) -> Response:
    pending = _pending(request, visit)
    if pending is None:
        return _restart(visit)
    return _recovery_page(request, pending, {}, 200)


@router.post("/sign-in/recovery", response_class=HTMLResponse)
def recovery_submit(
    request: Request,
    visit: Visitor,
    csrf_token: CsrfField = None,
    code: Annotated[str, Form()] = "",
) -> Response:
    pending = _checked_pending(request, visit, csrf_token)
    if pending is None:
        return _restart(visit)
    if not code.strip():
        return _recovery_page(request, pending, {"code": "Enter a recovery code"}, 400)
    result = sign_in_with_recovery_code(visit.uow, pending=pending, code=code, now=now_for(request))
    visit.uow.commit()
    if isinstance(result, SignedIn):
        return _signed_in(redirect("/"), result)
    return _recovery_page(request, pending, {"code": _refusal(result, "recovery")}, _status(result))


@router.get("/sign-in/set-up", response_class=HTMLResponse)
def set_up_page(request: Request, visit: Visitor) -> Response:
    pending = _pending(request, visit)
    if pending is None:
        return _restart(visit)
    return _set_up_page(request, visit, pending, {}, 200)


@router.post("/sign-in/set-up", response_class=HTMLResponse)
def set_up_submit(
    request: Request,
    visit: Visitor,
    csrf_token: CsrfField = None,
    code: Annotated[str, Form()] = "",
) -> Response:
    pending = _checked_pending(request, visit, csrf_token)
    if pending is None:
        return _restart(visit)
    if not code.strip():
        return _set_up_page(request, visit, pending, {"code": "Enter the 6-digit code"}, 400)
    result = enrol_and_sign_in(visit.uow, pending=pending, code=code, now=now_for(request))
    visit.uow.commit()
    if not isinstance(result, Enrolled):
        return _set_up_page(
            request, visit, pending, {"code": _refusal(result, "code")}, _status(result)
        )
    # Shown once, in answer to the post (not Post/Redirect/Get): the codes are kept only as
    # hashes, so there is nothing a later GET could show.
    page = renderer(request).page(
        request,
        "sign_in_recovery_codes.html",
        title="Save your recovery codes",
        codes=result.recovery_codes,
    )
    return _signed_in(page, result.signed_in)


@router.post("/sign-in/passkey/options")
def passkey_options(
    request: Request,
    visit: Visitor,
    csrf: Annotated[str | None, Header(alias="X-CSRF-Token")] = None,
) -> Response:
    pending = _checked_pending(request, visit, csrf)
    if pending is None:
        return _json_error("Your sign-in had expired. Start again.", 403)
    rp_id, origin = relying_party(request)
    options = passkey_challenge(
        visit.uow, pending=pending, rp_id=rp_id, origin=origin, now=now_for(request)
    )
    visit.uow.commit()
    if options is None:
        return _json_error("You have no passkey for this address. Use a code instead.", 404)
    return Response(options, media_type="application/json")


@router.post("/sign-in/passkey")
async def passkey_submit(
    request: Request,
    visit: Visitor,
    csrf: Annotated[str | None, Header(alias="X-CSRF-Token")] = None,
) -> Response:
    pending = _checked_pending(request, visit, csrf)
    if pending is None:
        return _json_error("Your sign-in had expired. Start again.", 403)
    try:
        credential = parse_json_body(await request.body())
    except PasskeyError as exc:
        return _json_error(str(exc), 400)
    rp_id, origin = relying_party(request)
    result = sign_in_with_passkey(
        visit.uow,
        pending=pending,
        credential=credential,
        rp_id=rp_id,
        origin=origin,
        now=now_for(request),
    )
    visit.uow.commit()
    if isinstance(result, SignedIn):
        return _signed_in(JSONResponse({"redirect": "/"}), result)
    return _json_error(_refusal(result, "passkey"), _status(result))


@router.post("/sign-in/cancel")
def cancel(request: Request, visit: Visitor, csrf_token: CsrfField = None) -> Response:
    pending = _checked_pending(request, visit, csrf_token)
    if pending is not None:
        cancel_sign_in(visit.uow, token=pending.token)
    return _restart(visit)


@router.post("/sign-out")
def sign_out_submit(
    request: Request,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))],
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    sign_out(ctx.uow, token=request.cookies.get(SESSION_COOKIE, ""))
    ctx.uow.commit()
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True)
    return response


def _pending(request: Request, visit: PublicContext) -> Pending | None:
    token = request.cookies.get(PENDING_COOKIE)
    return pending_sign_in(visit.uow, token=token, now=now_for(request)) if token else None


def _checked_pending(request: Request, visit: PublicContext, csrf: str | None) -> Pending | None:
    """The pending sign-in, when the form or call carries its anti-forgery token."""
    pending = _pending(request, visit)
    if pending is None or not csrf or not hmac.compare_digest(csrf, pending.csrf_token):
        return None
    return pending


def _restart(visit: PublicContext) -> Response:
    """Back to the password: the "password ok" state is missing, expired or was forged."""
    visit.uow.commit()  # an expired state is removed (and that is logged)
    response = redirect("/sign-in")
    response.delete_cookie(PENDING_COOKIE, path="/", secure=True, httponly=True)
    return response


def _signed_in(response: Response, signed: SignedIn) -> Response:
    response.set_cookie(
        SESSION_COOKIE, signed.token, secure=True, httponly=True, samesite="lax", path="/"
    )
    response.delete_cookie(PENDING_COOKIE, path="/", secure=True, httponly=True)
    return response


def _refusal(result: Refusal, factor: str) -> str:
    if result == "locked":
        return _LOCKED
    return {
        "code": "Enter a correct code from your authenticator app. Each code works once.",
        "recovery": "Enter a correct recovery code that has not been used",
        "passkey": "The passkey could not be checked. Try again, or use a code.",
    }[factor]


def _status(result: Refusal) -> int:
    return 429 if result == "locked" else 400


def _json_error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status)


def _password_page(
    request: Request, errors: dict[str, str], username: str, status: int
) -> Response:
    return renderer(request).page(
        request,
        "sign_in.html",
        status_code=status,
        title=_TITLE,
        errors=errors,
        error_list=error_list(errors),
        values={"username": username},
    )


def _code_page(
    request: Request, visit: PublicContext, pending: Pending, errors: dict[str, str], status: int
) -> Response:
    factors = second_factors(visit.uow, pending=pending)
    if not factors.any:
        return redirect("/sign-in/set-up")
    return renderer(request).page(
        request,
        "sign_in_code.html",
        status_code=status,
        title=_CODE_TITLE,
        errors=errors,
        error_list=error_list(errors),
        csrf_token=pending.csrf_token,
        factors=factors,
    )


def _recovery_page(
    request: Request, pending: Pending, errors: dict[str, str], status: int
) -> Response:
    return renderer(request).page(
        request,
        "sign_in_recovery.html",
        status_code=status,
        title=_RECOVERY_TITLE,
        errors=errors,
        error_list=error_list(errors),
        csrf_token=pending.csrf_token,
    )


def _set_up_page(
    request: Request, visit: PublicContext, pending: Pending, errors: dict[str, str], status: int
) -> Response:
    enrolment = pending_enrolment(visit.uow, pending=pending)
    if enrolment is None:  # already has a factor: the ordinary second step
        return redirect("/sign-in/code")
    return renderer(request).page(
        request,
        "sign_in_set_up.html",
        status_code=status,
        title=_SET_UP_TITLE,
        errors=errors,
        error_list=error_list(errors),
        csrf_token=pending.csrf_token,
        enrolment=enrolment,
    )
