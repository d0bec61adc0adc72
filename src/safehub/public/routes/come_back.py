"""Coming back to a report: the reference and secret phrase, then the report's status, the
team's questions and updates, and a form to add information or answer.

After the phrase is checked, the browser holds the reference and the phrase's key (not the
phrase) in a cookie that ends with the browser session, or sooner with "Leave".
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import error_list, redirect
from safehub.public.visit import Posted, Visit, Visitor, slow_down
from safehub.services.community import (
    PUBLIC_STATUS,
    ReporterKey,
    SlowDownError,
    add_to_own_report,
    unlock_report,
    view_own_report,
)
from safehub.services.errors import NotFoundError, RefusedError

router = APIRouter()

RETURN_COOKIE = "__Host-safehub-return"
SIGN_IN_TITLE = "Come back to your report"
REPORT_TITLE = "Your report"


@router.get("/return", response_class=HTMLResponse)
def come_back_page(request: Request, visit: Visitor) -> Response:
    return _come_back(request, visit, {}, {})


def _come_back(
    request: Request, visit: Visit, values: dict[str, str], errors: dict[str, str]
) -> Response:
    return visit.page(
        request,
        "return.html",
        status_code=400 if errors else 200,
        title=SIGN_IN_TITLE,
        back="/",
        values=values,
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/return", response_class=HTMLResponse)
def come_back(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    reference, phrase = str(form.get("reference", "")), str(form.get("phrase", ""))
    address = request.client.host if request.client else None
    try:
        key = unlock_report(visit.uow, reference=reference, phrase=phrase, address=address)
    except SlowDownError:
        return slow_down(request, visit, back="/return")
    except RefusedError as refused:
        # The phrase is not shown back: it is a secret, typed again.
        return _come_back(request, visit, {"reference": reference}, refused.errors)
    response = redirect("/return/report")
    response.set_cookie(
        RETURN_COOKIE, key.token(), secure=True, httponly=True, samesite="strict", path="/"
    )
    return response


def _key(request: Request) -> ReporterKey | None:
    token = request.cookies.get(RETURN_COOKIE)
    return ReporterKey.parse(token) if token else None


@router.get("/return/report", response_class=HTMLResponse)
def report_page(request: Request, visit: Visitor, sent: str = "") -> Response:
    return _report(request, visit, {}, "", sent == "1")


def _report(
    request: Request, visit: Visit, errors: dict[str, str], message: str, sent: bool
) -> Response:
    key = _key(request)
    if key is None:
        return redirect("/return")
    try:
        view = view_own_report(visit.uow, key=key)
    except NotFoundError:
        return _leave()
    visit.uow.commit()  # the consultation is logged
    return visit.page(
        request,
        "return_report.html",
        status_code=400 if errors else 200,
        title=REPORT_TITLE,
        view=view,
        status_words=PUBLIC_STATUS[view.status],
        sent=sent,
        message=message,
        errors=errors,
        error_list=error_list(errors),
    )


@router.post("/return/report", response_class=HTMLResponse)
def add_message(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    key = _key(request)
    if key is None:
        return redirect("/return")
    message = str(form.get("message", ""))
    try:
        add_to_own_report(visit.uow, key=key, message=message)
    except RefusedError as refused:
        return _report(request, visit, refused.errors, message, False)
    except NotFoundError:
        return _leave()
    visit.uow.commit()
    return redirect("/return/report?sent=1")


@router.post("/return/leave", response_class=HTMLResponse)
def leave(visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    return _leave()


def _leave() -> Response:
    response = redirect("/")
    response.delete_cookie(RETURN_COOKIE, path="/", secure=True, httponly=True)
    return response
