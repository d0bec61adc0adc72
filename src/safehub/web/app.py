"""The staff web application: GOV.UK pages and the /api/v1 JSON API over the same services."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from safehub.api.v1 import router as api_router
from safehub.db.database import Database
from safehub.http.assets import mount_static
from safehub.http.errors import install_error_handlers, request_id
from safehub.http.pages import renderer
from safehub.http.security import SecurityHeaders
from safehub.http.templating import Renderer, build_environment
from safehub.web import navigation, routes

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")


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
    nav = navigation.collect(modules)

    def staff_context(request: Request) -> dict[str, Any]:
        return {"nav": navigation.visible_to(nav, getattr(request.state, "actor", None))}

    app.state.renderer = Renderer(build_environment(TEMPLATES), staff_context)
    app.add_middleware(SecurityHeaders)
    mount_static(app, STATIC)
    for module in modules:
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api_router)
    install_error_handlers(app, page=_error_page)
    return app


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return renderer(request).page(
        request,
        "error.html",
        status_code=status,
        title=title,
        message=message,
        request_id=request_id(request),
    )
