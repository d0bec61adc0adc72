"""Fuzzing /api/v1 with schemathesis, as each role: the harness the test and the bench share.

Schemathesis reads the app's own OpenAPI document and generates requests from it, valid ones and
(negative mode) ones that break it; each is sent in-process to the ASGI app with a real signed-in
session of the role and its anti-forgery token, and every answer is checked: no 5xx, the status,
content type, headers and body as the document says, and no stack trace in the body. A failure is
kept with the command that reproduces it, and the run goes on, so that one run reports them all.

A long run outlives the app's sessions (15 minutes idle, 10 hours at most), and a role waits idle
while the others are fuzzed. So a signed-in role whose request answers 401 is signed in again
(a real sign-in, through the pages) and the request sent once more; the 401 is not counted as
coverage, the renewal is counted, and a 401 straight after a fresh sign-in is a finding.
"""

from __future__ import annotations

import re
import time
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
    username: str | None = None

    def cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.cookie} if self.cookie else {}

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}


# Signs a role in again (a real sign-in) and gives its new session.
SignIn = Callable[[Session], Session]


class Seat:
    """One role's place in the run: its current session, renewed when the app has ended it."""

    def __init__(self, session: Session, sign_in: SignIn | None) -> None:
        self.session = session
        self._sign_in = sign_in

    @property
    def renewable(self) -> bool:
        return self.session.cookie is not None and self._sign_in is not None

    def renew(self) -> Session:
        assert self._sign_in is not None
        self.session = self._sign_in(self.session)
        return self.session


@dataclass
class Report:
    """What a run sent and what failed, by operation; the answers and renewals by role."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_role: dict[str, Counter[int]] = field(default_factory=dict)
    renewals: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def count(self, role: str, status: int) -> None:
        self.requests += 1
        self.statuses[status] += 1
        self.by_role.setdefault(role, Counter())[status] += 1

    def add(self, other: Report) -> None:
        self.requests += other.requests
        self.statuses.update(other.statuses)
        for role, statuses in other.by_role.items():
            self.by_role.setdefault(role, Counter()).update(statuses)
        self.renewals.update(other.renewals)
        self.failures.extend(other.failures)

    def summary(self) -> str:
        """The totals, then a line per role, so a reader sees each role really was signed in."""
        lines = [
            f"{self.requests} requests; statuses {dict(sorted(self.statuses.items()))}; "
            f"sessions renewed {sum(self.renewals.values())}; failures {len(self.failures)}"
        ]
        for role, statuses in sorted(self.by_role.items()):
            lines.append(
                f"  {role}: {sum(statuses.values())} requests, renewed {self.renewals[role]}, "
                f"statuses {dict(sorted(statuses.items()))}"
            )
        return "\n".join(lines)


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


def _send(case: Any, session: Session) -> Any:
    return case.call(headers=session.headers(), cookies=session.cookies())


def fuzz_operation(
    operation: Any, seat: Seat, *, examples: int, mode: GenerationMode, fixed: bool
) -> Report:
    """Send ``examples`` generated requests to one operation as the seat's role."""
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
        role = seat.session.role
        try:
            response = _send(case, seat.session)
            if response.status_code == 401 and seat.renewable:
                # The session ended (idle or absolute timeout): sign in again and resend once.
                # This 401 is the sign-in wall, not the operation: it is not counted.
                report.renewals[role] += 1
                response = _send(case, seat.renew())
                if response.status_code == 401:
                    report.count(role, 401)
                    report.failures.append(
                        f"[{role}] {operation.label}: 401 straight after a fresh sign-in\n"
                        f"{case.as_curl_command()}"
                    )
                    return
        except Exception as crash:  # the in-process client re-raises what the app answered 500
            report.count(role, 500)
            report.failures.append(
                f"[{role}] {operation.label}: 500, {_first_line(crash)}\n{case.as_curl_command()}"
            )
            return
        report.count(role, response.status_code)
        try:
            case.validate_response(response, checks=checks, headers=seat.session.headers())
        except FailureGroup as failure:
            report.failures.append(f"[{role}] {operation.label}: {failure}")

    try:
        send()
    except Unsatisfiable:
        # An operation with nothing to get wrong (no parameters, no body) has no negative case.
        if mode.is_positive:
            raise
    return report


@dataclass(frozen=True)
class Budget:
    """How long a run goes on: whole rounds (each draws anew when not ``fixed``), stopping early
    once ``requests`` have been sent or the clock passes ``deadline`` (seconds since the epoch)."""

    rounds: int = 1
    requests: int | None = None
    deadline: float | None = None

    def spent(self, report: Report) -> bool:
        return (self.requests is not None and report.requests >= self.requests) or (
            self.deadline is not None and time.time() >= self.deadline
        )


def fuzz_api(
    app: FastAPI,
    sessions: list[Session],
    *,
    examples: Callable[[Session, Any], int],
    fixed: bool = True,
    sign_in: SignIn | None = None,
    budget: Budget = Budget(),
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """Every operation of the app's API, as every session, in both generation modes; with
    ``sign_in``, a role whose session ends on the way is signed in again. Each operation is
    sent by every role in turn, so a run cut short by its budget has covered every role."""
    schema = load_schema(app)
    operations = [result.ok() for result in schema.get_all_operations()]
    seats = [Seat(session, sign_in) for session in sessions]
    total = Report()
    for _ in range(budget.rounds):
        for operation in operations:
            if budget.spent(total):
                return total
            for seat in seats:
                count = examples(seat.session, operation)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    if count > 0:
                        total.add(
                            fuzz_operation(operation, seat, examples=count, mode=mode, fixed=fixed)
                        )
            if progress:
                progress(total)
    return total
