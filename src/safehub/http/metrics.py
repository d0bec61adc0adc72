"""Prometheus metrics of the staff app, in the text exposition format (version 0.0.4), by hand.

Requests are counted by method, route *template* (``/cases/{case_id}``, never the path a client
sent: no identifier reaches a label, and a scanner cannot make labels without end) and status;
latency is a histogram by method and route. Job runs by state, clocks overdue and alerts raised by
kind are counted in the database when scraped. Nothing here is personal data.

Counters live in the process: with several web workers, each serves its own (run one worker per
port and scrape each, see docs/operations.md).

Who may scrape: with ``SAFEHUB_METRICS_TOKEN`` set, a request bearing it
(``Authorization: Bearer …``); without it, only a client on this machine (loopback) that did not
come through a proxy (no ``Forwarded``/``X-Forwarded-For``). Anyone else gets the same 404 as a
page that does not exist.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from time import perf_counter

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.http.errors import database_full
from safehub.http.requestlog import route_template
from safehub.http.shedding import BUSY, DATABASE, LoadShedder
from safehub.services.operations import OperationalCounts, count_operations

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds: a page should answer within a few tenths (the p95 is 300 ms, p99 800 ms).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 0.8, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LOOPBACK = frozenset({"127.0.0.1", "::1"})
METRICS_ACTOR = Actor(label="system:metrics")


@dataclass
class _Histogram:
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.buckets[i] += 1
        self.total += seconds
        self.count += 1


@dataclass
class Registry:
    """The request counters of one process."""

    requests: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    latency: dict[tuple[str, str], _Histogram] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in _METHODS else "OTHER"
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            self.latency.setdefault((method, route), _Histogram()).observe(seconds)

    def render(self) -> list[str]:
        with self._lock:
            lines = _family(
                "safehub_http_requests_total",
                "counter",
                "HTTP requests answered, by method, route template and status.",
            )
            for (method, route, status), count in sorted(self.requests.items()):
                labels = _labels(method=method, route=route, status=status)
                lines.append(f"safehub_http_requests_total{labels} {count}")
            lines += _family(
                "safehub_http_request_duration_seconds",
                "histogram",
                "Time to answer an HTTP request, by method and route template.",
            )
            for (method, route), histogram in sorted(self.latency.items()):
                lines += _histogram_lines(method, route, histogram)
        return lines


class RequestMetrics:
    """ASGI middleware counting every HTTP request once it has been answered."""

    def __init__(self, app: ASGIApp, registry: Registry) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        as_sent = dict(scope)  # routing adds to the scope: match the route on what came in
        status = 500  # what the client gets if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = route_template(scope, as_sent)
            self.registry.observe(scope["method"], route, status, perf_counter() - started)


def add_metrics(app: FastAPI, *, token: str | None) -> Registry:
    """Count ``app``'s requests and serve them, with the database's counts, at ``/metrics``."""
    registry = Registry()
    app.add_middleware(RequestMetrics, registry=registry)

    async def metrics(request: Request) -> Response:
        if not _may_scrape(request, token):
            raise HTTPException(404)
        try:
            database = _database_lines(await run_in_threadpool(_count, request.app.state.db))
        except SQLAlchemyError as exc:
            if not database_full(exc):
                raise
            # Out of connections: the request counts still say why (the database's are left out).
            database = []
        shedder = getattr(request.app.state, "load_shedder", None)
        shedding = _shedding_lines(shedder) if shedder is not None else []
        witness = _witness_lines(request.app.state.db)
        body = "\n".join([*registry.render(), *shedding, *database, *witness]) + "\n"
        return Response(body, media_type=CONTENT_TYPE)

    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
    return registry


def _may_scrape(request: Request, token: str | None) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        return secrets.compare_digest(given.encode(), f"Bearer {token}".encode())
    proxied = "forwarded" in request.headers or "x-forwarded-for" in request.headers
    return request.client is not None and request.client.host in _LOOPBACK and not proxied


def _count(db: Database) -> OperationalCounts:
    with unit_of_work(db, actor=METRICS_ACTOR) as uow:
        counts = count_operations(uow)
        uow.commit()
    return counts


def _shedding_lines(shedder: LoadShedder) -> list[str]:
    lines = _family(
        "safehub_http_requests_shed_total",
        "counter",
        "Requests refused with 503 to shed load, by reason (busy: the process's limit of "
        "requests in flight; database: no database connection to be had).",
    )
    lines += [
        f"safehub_http_requests_shed_total{_labels(reason=r)} {shedder.shed[r]}"
        for r in (BUSY, DATABASE)
    ]
    lines += _family(
        "safehub_http_requests_in_flight", "gauge", "Requests this process is answering now."
    )
    lines.append(f"safehub_http_requests_in_flight {shedder.in_flight}")
    return lines


def _database_lines(counts: OperationalCounts) -> list[str]:
    lines = _family("safehub_jobs", "gauge", "Job runs by state (queued is the queue's depth).")
    lines += [
        f"safehub_jobs{_labels(state=s)} {n}" for s, n in sorted(counts.jobs_by_state.items())
    ]
    lines += _family("safehub_clocks_overdue", "gauge", "Open statutory clocks past due now.")
    lines.append(f"safehub_clocks_overdue {counts.clocks_overdue}")
    lines += _family("safehub_alerts_raised_total", "counter", "Alerts ever raised, by kind.")
    lines += [
        f"safehub_alerts_raised_total{_labels(kind=k)} {n}"
        for k, n in sorted(counts.alerts_by_kind.items())
    ]
    return lines


def _witness_lines(db: Database) -> list[str]:
    """This process's sends to the audit anchors' external witnesses (SAFEHUB_AUDIT_WITNESS),
    by kind and position in the setting: a failure is logged and counted, never raised, so this
    counter is how an operator learns that a witness stopped taking anchors."""
    counts = db.anchors.witnesses.counts() if db.anchors is not None else []
    lines = _family(
        "safehub_audit_witness_sent_total", "counter", "Audit anchors an external witness took."
    )
    lines += [
        f"safehub_audit_witness_sent_total{_labels(kind=c.kind, position=str(c.position))} {c.sent}"
        for c in counts
    ]
    lines += _family(
        "safehub_audit_witness_failures_total",
        "counter",
        "Audit anchors an external witness failed to take (see the process log).",
    )
    lines += [
        f"safehub_audit_witness_failures_total{_labels(kind=c.kind, position=str(c.position))} "
        f"{c.failed}"
        for c in counts
    ]
    return lines


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def _histogram_lines(method: str, route: str, histogram: _Histogram) -> Iterable[str]:
    name = "safehub_http_request_duration_seconds"
    for bound, count in zip(BUCKETS, histogram.buckets, strict=True):
        yield f"{name}_bucket{_labels(method=method, route=route, le=repr(bound))} {count}"
    yield f"{name}_bucket{_labels(method=method, route=route, le='+Inf')} {histogram.count}"
    yield f"{name}_sum{_labels(method=method, route=route)} {histogram.total!r}"
    yield f"{name}_count{_labels(method=method, route=route)} {histogram.count}"


def _labels(**values: str) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in values.items()) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
