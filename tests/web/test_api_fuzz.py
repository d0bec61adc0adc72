"""The API under schemathesis, as every role and as nobody: no 5xx, no answer the OpenAPI document
does not describe, no stack trace (issue 15, "API fuzzing"). The quick size, about 1,700
requests (a minute on 2 cores); the full one is ``bench/api_fuzz.py``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from safehub.access.policy import ROLES
from safehub.db.database import Database
from safehub.http.context import SESSION_COOKIE
from safehub.web.app import create_app
from tests.signin.helpers import complete_sign_in
from tests.web.api_fuzz import SCHEMA_PATH, Budget, Report, Session, SignIn, fuzz_api
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies, case_for, share_between_demo_agencies

# Examples per operation, per generation mode, for each signed-in role; the bench raises it.
EXAMPLES = int(os.environ.get("SAFEHUB_FUZZ_EXAMPLES", "2"))
# The suite's run is the same every time (derandomised); the bench draws new requests each run.
FIXED = not os.environ.get("SAFEHUB_FUZZ_RANDOM")
# The bench's run goes round the operations several times, up to a number of requests or a time.
BUDGET = Budget(
    rounds=int(os.environ.get("SAFEHUB_FUZZ_ROUNDS", "1")),
    requests=int(os.environ["SAFEHUB_FUZZ_REQUESTS"])
    if "SAFEHUB_FUZZ_REQUESTS" in os.environ
    else None,
    deadline=float(os.environ["SAFEHUB_FUZZ_DEADLINE"])
    if "SAFEHUB_FUZZ_DEADLINE" in os.environ
    else None,
)
POLICE_ROLES = {"police_investigator", "police_analyst"}


def sign_in(app: FastAPI, role: str, username: str) -> Session:
    """A real sign-in through the pages (password, then a code): the role's new session."""
    with PageClient(app, base_url="https://testserver", follow_redirects=False) as client:
        complete_sign_in(client, username)
        return Session(role, client.cookies[SESSION_COOKIE], client.csrf(), username)


def role_sessions(db: Database, make_user: Callable[..., str]) -> list[Session]:
    """A real session of every role (the police in the force, the rest in the council)."""
    app = create_app(db)
    sessions = [Session("nobody")]
    for role in sorted(ROLES):
        username = make_user(role, "POL-WY" if role in POLICE_ROLES else "LA-BRADFORD")
        sessions.append(sign_in(app, role, username))
    return sessions


def renewer(db: Database) -> SignIn:
    """Signs a role whose session ended in again, as the same user."""
    app = create_app(db)

    def renew(session: Session) -> Session:
        assert session.username is not None
        return sign_in(app, session.role, session.username)

    return renew


def print_progress(report: Report) -> None:
    print(
        f"{time.strftime('%H:%M:%S')} {report.requests} requests, "
        f"renewed {sum(report.renewals.values())}, failures {len(report.failures)}, "
        f"statuses {dict(sorted(report.statuses.items()))}",
        flush=True,
    )


def examples_for(session: Session, _operation: Any) -> int:
    # Without a session every operation answers 401 before reading anything: a few suffice.
    return 1 if session.cookie is None else EXAMPLES


def test_the_api_holds_under_fuzzing_as_every_role(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    sessions = role_sessions(app_db, make_user)
    children = aisha_across_agencies(app_db, tmp_path)
    share_between_demo_agencies(app_db)
    case_for(app_db, children, ["social_worker@la-bradford"])
    report = fuzz_api(
        create_app(app_db),
        sessions,
        examples=examples_for,
        fixed=FIXED,
        sign_in=renewer(app_db),
        budget=BUDGET,
        progress=print_progress if os.environ.get("SAFEHUB_FUZZ_PROGRESS") else None,
    )
    print(report.summary())
    if os.environ.get("SAFEHUB_FUZZ_FAILURES"):  # the bench keeps them all
        Path(os.environ["SAFEHUB_FUZZ_FAILURES"]).write_text(
            f"\n{'-' * 70}\n".join(report.failures)
        )
    assert report.requests >= 300
    # Every signed-in role was fuzzed past the sign-in wall, not stopped at it.
    for role, statuses in report.by_role.items():
        if role != "nobody":
            assert statuses[401] == 0, f"{role}: {report.summary()}"
    assert report.failures == [], "\n\n".join(report.failures[:10])


def test_the_fuzzer_reports_a_server_error_and_a_stack_trace() -> None:
    app = FastAPI(openapi_url=SCHEMA_PATH)

    @app.get("/api/v1/trace", operation_id="trace")
    def trace() -> dict[str, str]:
        return {"detail": 'Traceback (most recent call last):\n  File "app.py", line 1'}

    @app.get("/api/v1/crash", operation_id="crash")
    def crash() -> dict[str, str]:
        raise RuntimeError("boom")

    report = fuzz_api(app, [Session("nobody")], examples=lambda _s, _o: 1)
    assert any("/api/v1/trace" in f and "stack trace" in f for f in report.failures)
    assert any("/api/v1/crash: 500" in f for f in report.failures)


def test_a_role_whose_session_ends_mid_run_is_signed_in_again(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    app = create_app(app_db)
    sessions = [
        sign_in(app, "social_worker", make_user("social_worker", "LA-BRADFORD")),
        sign_in(app, "police_analyst", make_user("police_analyst", "POL-WY")),
    ]
    seen: list[str] = []

    def examples(session: Session, operation: Any) -> int:
        if operation.method.upper() != "GET" or "{" in operation.path:
            return 0  # a few cheap operations suffice
        seen.append(session.role)
        if seen.count(session.role) == 2:
            # Mid-run, the role's session goes past the idle timeout, as in a long run.
            with app_db.owner_engine.begin() as conn:
                conn.execute(
                    text(
                        "UPDATE web_session SET last_seen_at = now() - interval '16 minutes' "
                        "WHERE user_id = (SELECT id FROM app_user WHERE username = :u)"
                    ),
                    {"u": session.username},
                )
        return 1 if seen.count(session.role) <= 3 else 0

    report = fuzz_api(app, sessions, examples=examples, sign_in=renewer(app_db))
    print(report.summary())
    assert report.renewals == {"social_worker": 1, "police_analyst": 1}
    for role in ("social_worker", "police_analyst"):
        assert report.by_role[role][401] == 0, report.summary()
        assert sum(report.by_role[role].values()) >= 3
    assert report.failures == [], report.failures


def test_a_401_after_a_fresh_sign_in_is_a_finding() -> None:
    app = FastAPI(openapi_url=SCHEMA_PATH)

    @app.get("/api/v1/walled", operation_id="walled")
    def walled() -> JSONResponse:
        return JSONResponse({"error": "Not signed in"}, 401)

    signed_in: list[str] = []

    def renew(session: Session) -> Session:
        signed_in.append(session.role)
        return Session(session.role, "fresh", "token", session.username)

    report = fuzz_api(
        app,
        [Session("social_worker", "old", "token", "sw")],
        examples=lambda _s, _o: 1,
        sign_in=renew,
    )
    assert signed_in == ["social_worker"]
    assert report.renewals == {"social_worker": 1}
    assert report.by_role["social_worker"][401] == 1
    assert any("401 straight after a fresh sign-in" in f for f in report.failures)
