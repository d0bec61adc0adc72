"""The API under schemathesis, as every role and as nobody: no 5xx, no answer the OpenAPI document
does not describe, no stack trace (issue 15, "API fuzzing"). The quick size, about 1,700
requests (a minute on 2 cores); the full one is ``bench/api_fuzz.py``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from safehub.access.policy import ROLES
from safehub.db.database import Database
from safehub.http.context import SESSION_COOKIE
from safehub.web.app import create_app
from tests.signin.helpers import complete_sign_in
from tests.web.api_fuzz import SCHEMA_PATH, Session, fuzz_api
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies, case_for, share_between_demo_agencies

# Examples per operation, per generation mode, for each signed-in role; the bench raises it.
EXAMPLES = int(os.environ.get("SAFEHUB_FUZZ_EXAMPLES", "2"))
# The suite's run is the same every time (derandomised); the bench draws new requests each run.
FIXED = not os.environ.get("SAFEHUB_FUZZ_RANDOM")
POLICE_ROLES = {"police_investigator", "police_analyst"}


def role_sessions(db: Database, make_user: Callable[..., str]) -> list[Session]:
    """A real session of every role (the police in the force, the rest in the council)."""
    app = create_app(db)
    sessions = [Session("nobody")]
    for role in sorted(ROLES):
        username = make_user(role, "POL-WY" if role in POLICE_ROLES else "LA-BRADFORD")
        with PageClient(app, base_url="https://testserver", follow_redirects=False) as client:
            complete_sign_in(client, username)
            sessions.append(Session(role, client.cookies[SESSION_COOKIE], client.csrf()))
    return sessions


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
    report = fuzz_api(create_app(app_db), sessions, examples=examples_for, fixed=FIXED)
    print(f"{report.requests} requests; statuses {dict(sorted(report.statuses.items()))}")
    if os.environ.get("SAFEHUB_FUZZ_FAILURES"):  # the bench keeps them all
        Path(os.environ["SAFEHUB_FUZZ_FAILURES"]).write_text(
            f"\n{'-' * 70}\n".join(report.failures)
        )
    assert report.requests >= 300
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
