"""One access line per request, naming the route *template*, never the path or query sent: a
search's query string holds names and dates of birth, and logs are no place for personal data."""

from __future__ import annotations

import logging

from starlette.routing import Match
from starlette.types import Scope

access_log = logging.getLogger("safehub.access")


def log_request(method: str, route: str, status: int, seconds: float, request_id: str) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "%s %s %s",
        method,
        route,
        status,
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "request_id": request_id,
        },
    )


def route_template(scope: Scope, as_sent: Scope) -> str:
    """The template of the route that answered (``/cases/{case_id}``), or ``unmatched``.
    FastAPI notes its own routes in the scope but not plain ones (health, docs, static files),
    which are matched again here against the scope as it came in (routing adds to it)."""
    route = scope.get("route")
    if route is None:
        for candidate in getattr(scope.get("app"), "routes", ()):
            if candidate.matches(as_sent)[0] is Match.FULL:
                route = candidate
                break
    return str(getattr(route, "path", None) or "unmatched")
