"""Every route declares the permission it needs (or is one of the few public pages)."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from safehub.db.database import Database
from safehub.web.app import create_app

# The steps between the password and the second factor have no session yet; each checks the
# short-lived "password ok" state itself (web/routes/signin.py).
PUBLIC = {
    "/sign-in",
    "/sign-in/code",
    "/sign-in/recovery",
    "/sign-in/set-up",
    "/sign-in/passkey/options",
    "/sign-in/passkey",
    "/sign-in/cancel",
    # The API's documentation page and its script, like the OpenAPI schema they render, describe
    # the interface and hold no personal data.
    "/api/v1/docs",
    "/api/v1/docs/start.js",
    # Liveness and readiness for probes: a status word and a reason, no personal data, no audit.
    "/healthz",
    "/readyz",
    # Counts only, and guarded by its own rule: a bearer token, or loopback (http/metrics.py).
    "/metrics",
}


def _permissions(route: APIRoute) -> list[object]:
    found = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if getattr(dep.call, "permission", None) is not None:
            found.append(dep.call.permission)  # type: ignore[union-attr]
        stack.extend(dep.dependencies)
    return found


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, looking inside included routers (FastAPI keeps them nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def test_every_route_declares_exactly_one_permission(db: Database) -> None:
    app = create_app(db)
    routes = _api_routes(list(app.routes))
    assert len(routes) > 20
    undeclared = [
        f"{sorted(r.methods)} {r.path}"
        for r in routes
        if r.path not in PUBLIC and len(_permissions(r)) != 1
    ]
    assert undeclared == []


def test_the_api_runs_as_the_application_role_not_the_owner(db: Database) -> None:
    from sqlalchemy import text

    with db.app_session(actor="guard") as session:
        assert session.execute(text("SELECT current_user")).scalar_one() == "safehub_app"
        assert (
            session.execute(text("SELECT current_setting('safehub.actor')")).scalar_one() == "guard"
        )
