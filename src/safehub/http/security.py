"""Headers on every response, a request id for every request, and no stack trace shown to anyone."""

from __future__ import annotations

import secrets
import uuid
from time import perf_counter

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from safehub.http.requestlog import log_request, route_template
from safehub.logs import request_id_var


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        request.state.request_id = uuid.uuid4().hex[:12]
        request.state.csp_nonce = secrets.token_urlsafe(16)
        response = await _logged(request, call_next)
        nonce = request.state.csp_nonce
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
            "form-action 'self'; base-uri 'none'; object-src 'none'"
        )
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Request-Id"] = request.state.request_id
        if not request.url.path.startswith(("/static/", "/assets/")):
            # Pages carry personal data: never cached by a browser or proxy.
            response.headers["Cache-Control"] = "no-store"
        return response


async def _logged(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Answer with every log line of the request carrying its id, then one access line."""
    token = request_id_var.set(request.state.request_id)
    as_sent = dict(request.scope)
    started = perf_counter()
    status = 500  # what the client gets if the app raises
    try:
        response = await call_next(request)
        status = response.status_code
        return response
    finally:
        route = route_template(request.scope, as_sent)
        elapsed = perf_counter() - started
        log_request(request.method, route, status, elapsed, request.state.request_id)
        request_id_var.reset(token)
