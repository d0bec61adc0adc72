"""Fuzzing /api/v1 with schemathesis, as each role: the harness the test and the bench share.

Schemathesis reads the app's own OpenAPI document and generates requests from it, valid ones and
(negative mode) ones that break it; each is sent in-process to the ASGI app with a real signed-in
session of the role and its anti-forgery token, and every answer is checked: no 5xx, the status,
content type, headers and body as the document says, and no stack trace in the body. A failure is
kept with the command that reproduces it, and the run goes on, so that one run reports them all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safehub.http.context import SESSION_COOKIE

SCHEMA_PATH = "/api/v1/openapi.json"

# What a Python stack trace or a database error leaks into a body: never in an answer.
STACK_TRACE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|"
    r"sqlalchemy\.|psycopg\.|\b[A-Za-z]+Error: .*\bline \d+"
)


@dataclass(frozen=True)
class Session:
    """Who sends the requests: a role's session cookie and its anti-forgery token, or nobody."""

    role: str
    cookie: str | None = None
    csrf: str | None = None

    def cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.cookie} if self.cookie else {}

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}


@dataclass
class Report:
    """What a run sent and what failed, by operation."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.requests += other.requests
        self.statuses.update(other.statuses)
        self.failures.extend(other.failures)


def _first_line(crash: Exception) -> str:
    return f"{type(crash).__name__}: {str(crash).splitlines()[0][:300] if str(crash) else ''}"


def no_stack_trace(ctx: Any, response: Any, case: Any) -> bool | None:
    """No answer shows a stack trace or a database error's text (http/errors.py promises so)."""
    found = STACK_TRACE.search(response.text or "")
    if found:
        raise AssertionError(f"stack trace text in the body: {found.group(0)!r}")
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    no_stack_trace,
]


def load_schema(app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi(SCHEMA_PATH, app)


def fuzz_operation(
    operation: Any, session: Session, *, examples: int, mode: GenerationMode, fixed: bool
) -> Report:
    """Send ``examples`` generated requests to one operation as ``session``."""
    report = Report()
    checks = [*CHECKS, negative_data_rejection] if mode.is_positive is False else CHECKS

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=fixed,  # the suite draws the same requests each run; the bench new ones
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the failure is kept, not raised
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        report.requests += 1
        try:
            response = case.call(headers=session.headers(), cookies=session.cookies())
        except Exception as crash:  # the in-process client re-raises what the app answered 500
            report.statuses[500] += 1
            report.failures.append(f"[{session.role}] {operation.label}: 500, {_first_line(crash)}")
            return
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=session.headers())
        except FailureGroup as failure:
            report.failures.append(f"[{session.role}] {operation.label}: {failure}")

    try:
        send()
    except Unsatisfiable:
        # An operation with nothing to get wrong (no parameters, no body) has no negative case.
        if mode.is_positive:
            raise
    return report


def fuzz_api(
    app: FastAPI,
    sessions: list[Session],
    *,
    examples: Callable[[Session, Any], int],
    fixed: bool = True,
) -> Report:
    """Every operation of the app's API, as every session, in both generation modes."""
    schema = load_schema(app)
    total = Report()
    for session in sessions:
        for result in schema.get_all_operations():
            operation = result.ok()
            count = examples(session, operation)
            if count <= 0:
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                total.add(
                    fuzz_operation(operation, session, examples=count, mode=mode, fixed=fixed)
                )
    return total
