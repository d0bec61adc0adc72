"""Liveness and readiness for a load balancer, an orchestrator or systemd: public, never audited.

``/healthz`` answers while the process can answer at all, without touching the database (a
database outage must not get every web worker restarted). ``/readyz`` answers 200 only when the
database answers and its schema is at this code's migration head, else 503 with the reason.
Neither reads personal data, so neither runs a unit of work, and nothing is logged in the audit
log for them: a probe every few seconds would otherwise bury what people did.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from safehub.db.migrate import not_ready

# A probe that hangs is no answer: the database is treated as unreachable after this long.
READY_TIMEOUT_SECONDS = 5.0
PATHS = ("/healthz", "/readyz")


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        reason = await asyncio.wait_for(
            run_in_threadpool(not_ready, request.app.state.db), READY_TIMEOUT_SECONDS
        )
    except TimeoutError:
        reason = f"the database did not answer within {READY_TIMEOUT_SECONDS:.0f} seconds"
    if reason is not None:
        return JSONResponse({"status": "not ready", "reason": reason}, 503)
    return JSONResponse({"status": "ready"})


def add_health_routes(app: FastAPI) -> None:
    app.add_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.add_route("/readyz", readyz, methods=["GET"], include_in_schema=False)
