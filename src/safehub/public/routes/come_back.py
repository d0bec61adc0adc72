"""Coming back to a report: the reference and secret phrase, then the report's status, the
team's questions and updates, and a form to add information or answer.

After the phrase is checked, the browser holds the reference and the phrase's key (not the
phrase) in a cookie that ends with the browser session, or sooner with "Leave".

Every page is in English (``/return…``) and Welsh (``/cy/return…``), its words from
``public.texts``; the cookie is the same in both, so switching language keeps the report open.
The team's messages and the reporter's own are shown as written.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import error_list, redirect
from safehub.public.texts import PREFIX, language_of, page_words, say_date, texts, translate
from safehub.public.visit import Posted, Visit, Visitor, slow_down
from safehub.services.community import (
    ReporterKey,
    SlowDownError,
    add_to_own_report,
    unlock_report,
    view_own_report,
)
from safehub.services.errors import NotFoundError, RefusedError

router = APIRouter()

RETURN_COOKIE = "__Host-safehub-return"
SIGN_IN_TITLE = texts("en")["return_title"]
REPORT_TITLE = texts("en")["report_title"]


def _prefix(request: Request) -> str:
    return PREFIX[language_of(request.url.path)]


@router.get("/return", response_class=HTMLResponse)
@router.get("/cy/return", response_class=HTMLResponse)
def come_back_page(request: Request, visit: Visitor) -> Response:
    return _come_back(request, visit, {}, {})


def _come_back(
    request: Request, visit: Visit, values: dict[str, str], errors: dict[str, str]
) -> Response:
    language = language_of(request.url.path)
    shown = translate(errors, language)
    return visit.page(
        request,
        "return.html",
        status_code=400 if errors else 200,
        title=texts(language)["return_title"],
        back=PREFIX[language] or "/",
        values=values,
        errors=shown,
        error_list=error_list(shown),
        **page_words(language, "/return"),
    )


@router.post("/return", response_class=HTMLResponse)
@router.post("/cy/return", response_class=HTMLResponse)
def come_back(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    reference, phrase = str(form.get("reference", "")), str(form.get("phrase", ""))
    address = request.client.host if request.client else None
    prefix = _prefix(request)
    try:
        key = unlock_report(visit.uow, reference=reference, phrase=phrase, address=address)
    except SlowDownError:
        return slow_down(request, visit, back=f"{prefix}/return")
    except RefusedError as refused:
        # The phrase is not shown back: it is a secret, typed again.
        return _come_back(request, visit, {"reference": reference}, refused.errors)
    response = redirect(f"{prefix}/return/report")
    response.set_cookie(
        RETURN_COOKIE, key.token(), secure=True, httponly=True, samesite="strict", path="/"
    )
    return response


def _key(request: Request) -> ReporterKey | None:
    token = request.cookies.get(RETURN_COOKIE)
    return ReporterKey.parse(token) if token else None


@router.get("/return/report", response_class=HTMLResponse)
@router.get("/cy/return/report", response_class=HTMLResponse)
def report_page(request: Request, visit: Visitor, sent: str = "") -> Response:
    return _report(request, visit, {}, "", sent == "1")


def _report(
    request: Request, visit: Visit, errors: dict[str, str], message: str, sent: bool
) -> Response:
    language = language_of(request.url.path)
    key = _key(request)
    if key is None:
        return redirect(f"{PREFIX[language]}/return")
    try:
        view = view_own_report(visit.uow, key=key)
    except NotFoundError:
        return _leave(PREFIX[language])
    visit.uow.commit()  # the consultation is logged
    words = page_words(language, "/return/report")
    shown = translate(errors, language)
    return visit.page(
        request,
        "return_report.html",
        status_code=400 if errors else 200,
        title=texts(language)["report_title"],
        view=view,
        status_words=texts(language)["statuses"][view.status],
        received=say_date(view.received_at, language),
        sent_times=[say_date(m.sent_at, language) for m in view.messages],
        sent=sent,
        message=message,
        errors=shown,
        error_list=error_list(shown),
        **words,
    )


@router.post("/return/report", response_class=HTMLResponse)
@router.post("/cy/return/report", response_class=HTMLResponse)
def add_message(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    prefix = _prefix(request)
    key = _key(request)
    if key is None:
        return redirect(f"{prefix}/return")
    message = str(form.get("message", ""))
    try:
        add_to_own_report(visit.uow, key=key, message=message)
    except RefusedError as refused:
        return _report(request, visit, refused.errors, message, False)
    except NotFoundError:
        return _leave(prefix)
    visit.uow.commit()
    return redirect(f"{prefix}/return/report?sent=1")


@router.post("/return/leave", response_class=HTMLResponse)
@router.post("/cy/return/leave", response_class=HTMLResponse)
def leave(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    return _leave(_prefix(request))


def _leave(prefix: str) -> Response:
    response = redirect(prefix or "/")
    response.delete_cookie(RETURN_COOKIE, path="/", secure=True, httponly=True)
    return response
