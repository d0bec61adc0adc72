"""The staff web application: GOV.UK pages and the /api/v1 JSON API over the same services."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request

from safehub.api.v1 import router as api_router
from safehub.http.app import Database, build_app
from safehub.http.metrics import add_metrics
from safehub.http.shedding import DEFAULT_LIMIT, DEFAULT_QUEUE_WAIT_MS, LoadShedder
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


def create_app(
    db: Database,
    *,
    metrics_token: str | None = None,
    max_in_flight: int = DEFAULT_LIMIT,
    queue_wait_ms: int = DEFAULT_QUEUE_WAIT_MS,
) -> FastAPI:
    """The staff app; ``/metrics`` needs ``metrics_token`` as a bearer token, or, without one,
    a scrape from this machine (``safehub.http.metrics``). At most ``max_in_flight`` requests
    are answered at once; one more waits up to ``queue_wait_ms`` for a place, then gets a 503."""
    modules = page_modules()
    nav = navigation.collect(modules)

    def staff_context(request: Request) -> dict[str, Any]:
        return {"nav": navigation.visible_to(nav, getattr(request.state, "actor", None))}

    app = build_app(
        db,
        title="Safehub",
        templates=TEMPLATES,
        static=STATIC,
        pages=[m.router for m in modules],
        api=api_router,
        page_context=staff_context,
        sign_in_url="/sign-in",
        shedder=LoadShedder(max_in_flight, queue_wait_ms / 1000),
    )
    add_metrics(app, token=metrics_token)
    return app
