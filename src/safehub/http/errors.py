"""Errors routes raise, and the handlers that answer them without revealing anything."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from safehub.http.shedding import DATABASE, RETRY_AFTER_SECONDS
from safehub.services.errors import ForbiddenError, NotFoundError

log = logging.getLogger("safehub.http")

# (request, status, title, message) -> the page an app shows for an error.
ErrorPage = Callable[[Request, int, str, str], Response]

NOT_FOUND = "There is nothing here that you can see."
UNUSABLE_VALUE = (
    "A value you sent cannot be stored or searched for: remove any NUL character (\\u0000) "
    "from text, and keep whole numbers between -9223372036854775808 and 9223372036854775807."
)


BUSY_TITLE = "Sorry, the service is busy"
BUSY_MESSAGE = (
    "Too many people are using the service right now. Nothing you sent has been saved or lost: "
    "wait a few seconds and try again."
)
# SQLSTATEs of a server that will not take another connection now: too_many_connections,
# cannot_connect_now (starting up or shutting down).
_SERVER_FULL = frozenset({"53300", "57P03"})


def refused_by_database(exc: BaseException) -> bool:
    """The database refused a privilege (SQLSTATE 42501): the role this request works as may
    not touch that table (an oversight inspector reaching for a case). The second wall held."""
    return isinstance(exc, ProgrammingError) and getattr(exc.orig, "sqlstate", None) == "42501"


def database_full(exc: BaseException) -> bool:
    """No connection could be had: the pool waited its timeout, or the server is full. The
    request did nothing yet, so the client may simply try again."""
    if isinstance(exc, PoolTimeoutError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.orig, "sqlstate", None) in _SERVER_FULL:
        return True
    # A refused connection carries no SQLSTATE in psycopg, only the server's words.
    text = str(exc.orig).lower()
    return "too many clients" in text or "too many connections" in text


class NotSignedInError(Exception):
    """No valid session: pages redirect to sign-in, the API answers 401."""


class PermissionDeniedError(Exception):
    """Signed in, but the role does not allow this."""


class CsrfError(Exception):
    """A form or API call without the session's anti-forgery token."""


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def json_error(request: Request, status: int, title: str, message: object) -> Response:
    return JSONResponse(
        {"error": title, "detail": message, "request_id": request_id(request) or None}, status
    )


def busy(request: Request, *, page: ErrorPage, api: bool) -> Response:
    """503 with ``Retry-After``: the page, or the API's JSON error, saying to try again."""
    if api:
        response = json_error(request, 503, BUSY_TITLE, BUSY_MESSAGE)
    else:
        response = page(request, 503, BUSY_TITLE, BUSY_MESSAGE)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install_error_handlers(
    app: FastAPI,
    *,
    page: ErrorPage,
    api_prefix: str | None = "/api/",
    sign_in_url: str | None = "/sign-in",
) -> None:
    """Answer every error as a page (or JSON under ``api_prefix``), never with a stack trace."""

    def is_api(request: Request) -> bool:
        return api_prefix is not None and request.url.path.startswith(api_prefix)

    def answer(request: Request, status: int, title: str, message: str) -> Response:
        if is_api(request):
            return json_error(request, status, title, message)
        return page(request, status, title, message)

    @app.exception_handler(NotSignedInError)
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        if is_api(request) or sign_in_url is None:
            return JSONResponse({"error": "Not signed in"}, 401)
        return RedirectResponse(sign_in_url, status_code=303)

    @app.exception_handler(PermissionDeniedError)
    @app.exception_handler(ForbiddenError)
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, _exc: Exception) -> Response:
        # "Forbidden" and "does not exist" look identical, so that a refusal reveals nothing.
        return answer(request, 404, "Page not found", NOT_FOUND)

    @app.exception_handler(ProgrammingError)
    async def database_refused(request: Request, exc: Exception) -> Response:
        if refused_by_database(exc):
            # Answered like any refusal (nothing is revealed); logged, because the application's
            # own checks should have refused first.
            log.warning("the database refused a privilege, request %s", request_id(request) or "?")
            return answer(request, 404, "Page not found", NOT_FOUND)
        return await crash(request, exc)

    @app.exception_handler(PoolTimeoutError)
    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, exc: Exception) -> Response:
        if not database_full(exc):
            return await crash(request, exc)
        # Shed like a request over the limit (and counted with them): a 500 would say the
        # service is broken, when it is only full.
        log.warning("no database connection, request %s: shed", request_id(request) or "?")
        shedder = getattr(request.app.state, "load_shedder", None)
        if shedder is not None:
            shedder.note_shed(DATABASE)
        return busy(request, page=page, api=is_api(request))

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, _exc: Exception) -> Response:
        message = "The page had expired. Go back, reload the page and try again."
        return answer(request, 403, "Your form could not be sent", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return answer(request, 404, "Page not found", NOT_FOUND)
        return answer(request, exc.status_code, "Sorry, there is a problem", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        messages = validation_messages(exc)
        if is_api(request):
            return json_error(request, 422, "Invalid request", messages)
        return page(request, 400, "Sorry, there is a problem", "; ".join(messages))

    @app.exception_handler(DataError)
    async def unusable_value(request: Request, exc: DataError) -> Response:
        # The database refused a value the request carried (a NUL character in text, a number
        # past its range) that no check before it caught: the sender can put it right, and the
        # unit of work has rolled back, so nothing was half-saved.
        log.warning("refused value, request %s: %s", request_id(request) or "?", type(exc.orig))
        if is_api(request):
            return json_error(request, 422, "Invalid request", [UNUSABLE_VALUE])
        return page(request, 400, "Sorry, there is a problem", UNUSABLE_VALUE)

    @app.exception_handler(Exception)
    async def crash(request: Request, _exc: Exception) -> Response:
        # Logged with the request id; the user sees the id, never a stack trace.
        rid = request_id(request)
        log.exception("unhandled error, request %s", rid or "?", extra={"request_id": rid})
        message = "Nothing you sent has been lost or half-saved. Try again later."
        return answer(request, 500, "Sorry, there is a problem with the service", message)


def validation_messages(exc: RequestValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
