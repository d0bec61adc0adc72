"""The staff web application: GOV.UK pages and the /api/v1 JSON API over the same services."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path
from types import ModuleType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from safehub.api.v1 import router as api_router
from safehub.db.database import Database
from safehub.services.errors import NotFoundError
from safehub.web import navigation, routes
from safehub.web.deps import CsrfError, NotSignedInError, PermissionDeniedError
from safehub.web.routes.common import redirect
from safehub.web.security import SecurityHeaders
from safehub.web.templating import Renderer, build_environment

log = logging.getLogger("safehub.web")
STATIC = Path(__file__).with_name("static")


def page_modules() -> list[ModuleType]:
    """Every module of ``safehub.web.routes`` that has a ``router``: a capability adds its pages
    by adding a module, without editing this file."""
    found = []
    for info in sorted(pkgutil.iter_modules(routes.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{routes.__name__}.{info.name}")
        if hasattr(module, "router"):
            found.append(module)
    return found


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="Safehub",
        version="1",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.db = db
    modules = page_modules()
    app.state.renderer = Renderer(build_environment(), navigation.collect(modules))
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.mount(
        "/assets",
        StaticFiles(directory=STATIC / "govuk" / "assets", check_dir=False),
        name="assets",
    )
    for module in modules:
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api_router)
    _add_error_handlers(app)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse(
            {
                "error": title,
                "detail": message,
                "request_id": getattr(request.state, "request_id", None),
            },
            status,
        )
    renderer: Renderer = request.app.state.renderer
    return renderer.page(
        request,
        "error.html",
        status_code=status,
        title=title,
        message=message,
        request_id=getattr(request.state, "request_id", ""),
    )


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedInError)
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"error": "Not signed in"}, 401)
        return redirect("/sign-in")

    @app.exception_handler(PermissionDeniedError)
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, _exc: Exception) -> Response:
        # "Forbidden" and "does not exist" look identical, so that a refusal reveals nothing.
        return _error_page(
            request, 404, "Page not found", "There is nothing here that you can see."
        )

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, _exc: Exception) -> Response:
        return _error_page(
            request,
            403,
            "Your form could not be sent",
            "The page had expired. Go back, reload the page and try again.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error_page(
                request, 404, "Page not found", "There is nothing here that you can see."
            )
        return _error_page(request, exc.status_code, "Sorry, there is a problem", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"error": "Invalid request", "detail": _validation_messages(exc)}, 422
            )
        return _error_page(
            request, 400, "Sorry, there is a problem", "; ".join(_validation_messages(exc))
        )

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # Logged with the request id; the user sees the id, never a stack trace.
        log.exception("unhandled error, request %s", getattr(request.state, "request_id", "?"))
        return _error_page(
            request,
            500,
            "Sorry, there is a problem with the service",
            "Nothing you sent has been lost or half-saved. Try again later.",
        )


def _validation_messages(exc: RequestValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
