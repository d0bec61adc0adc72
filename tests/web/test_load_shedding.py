"""Load shedding in the staff app: past its limit of requests in flight a process answers 503 with
Retry-After (a GOV.UK page, or the API's JSON error), a database that has no connection to give is
a 503 too, never a 500, and probes and /metrics are always answered."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from safehub.config import SettingsError, load_settings
from safehub.db.database import Database, connect
from safehub.http.shedding import DEFAULT_LIMIT, DEFAULT_QUEUE_WAIT_MS, LoadShedder
from safehub.web.app import create_app
from tests.conftest import PASSWORD, _served

SLOW = "/test-only/slow"
TOKEN = "m" * 40


def _with_slow_route(app: FastAPI) -> threading.Event:
    """A route that stays in flight until the returned event is set: a slow page, on cue."""
    release = threading.Event()

    def slow() -> dict[str, str]:
        release.wait(timeout=30)
        return {"status": "done"}

    app.add_api_route(SLOW, slow, methods=["GET"])
    return release


def _shedder(app: FastAPI) -> LoadShedder:
    shedder: LoadShedder = app.state.load_shedder
    return shedder


@contextmanager
def _slow_request_in_flight(app: FastAPI, base: str) -> Iterator[Callable[[], httpx.Response]]:
    """One slow request sent and admitted; the block gets a function that lets it finish and
    returns its response."""
    release = _with_slow_route(app)
    answered: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: answered.append(httpx.get(base + SLOW, timeout=30)))
    sender.start()
    deadline = time.monotonic() + 10
    while _shedder(app).in_flight < 1:
        assert time.monotonic() < deadline, "the slow request was never admitted"
        time.sleep(0.01)

    def finish() -> httpx.Response:
        release.set()
        sender.join(timeout=30)
        return answered[0]

    try:
        yield finish
    finally:
        release.set()
        sender.join(timeout=30)


def _shed_count(body: str, reason: str) -> float:
    prefix = f'safehub_http_requests_shed_total{{reason="{reason}"}} '
    lines = [line for line in body.splitlines() if line.startswith(prefix)]
    assert lines, body
    return float(lines[0].removeprefix(prefix))


def test_past_the_limit_a_request_gets_503_with_retry_after_while_probes_still_answer(
    app_db: Database,
) -> None:
    app = create_app(app_db, max_in_flight=1, queue_wait_ms=50)
    with _served(app) as base, _slow_request_in_flight(app, base) as finish:
        page = httpx.get(base + "/sign-in")
        assert page.status_code == 503
        assert page.headers["retry-after"] == "5"
        assert page.headers["content-type"].startswith("text/html")
        assert "Sorry, the service is busy" in page.text
        assert 'class="govuk-heading-l"' in page.text  # the GOV.UK error page
        assert "Traceback" not in page.text
        assert page.headers["x-request-id"] in page.text  # the reference to quote

        api = httpx.get(base + "/api/v1/alerts")
        assert api.status_code == 503
        assert api.headers["retry-after"] == "5"
        body = api.json()
        assert body["error"] == "Sorry, the service is busy"
        assert body["request_id"] == api.headers["x-request-id"]

        assert httpx.get(base + "/healthz").status_code == 200
        assert httpx.get(base + "/readyz").status_code == 200
        metrics = httpx.get(base + "/metrics")
        assert metrics.status_code == 200
        assert _shed_count(metrics.text, "busy") == 2
        assert "safehub_http_requests_in_flight 1" in metrics.text.splitlines()

        assert finish().status_code == 200
    with _served(app) as base:
        # The place is free again: the same page is answered.
        assert httpx.get(base + "/sign-in").status_code == 200


def test_a_request_past_the_limit_waits_for_a_place_that_frees_within_the_queue_wait(
    app_db: Database,
) -> None:
    app = create_app(app_db, max_in_flight=1, queue_wait_ms=10_000)
    with _served(app) as base, _slow_request_in_flight(app, base) as finish:
        threading.Timer(0.3, finish).start()
        started = time.monotonic()
        page = httpx.get(base + "/sign-in", timeout=30)
        assert page.status_code == 200
        assert time.monotonic() - started >= 0.25  # it waited for the slow one
    assert _shedder(app).shed["busy"] == 0
    assert _shedder(app).in_flight == 0


def test_a_database_pool_timeout_is_a_503_not_a_500(app_db: Database) -> None:
    # A pool of one connection that waits a fifth of a second for it, the connection taken.
    url = app_db.app_engine.url
    small = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    db = replace(app_db, app_engine=small)
    held = small.connect()
    try:
        app = create_app(db, metrics_token=TOKEN)
        with TestClient(app, base_url="https://testserver") as client:
            page = client.post("/sign-in", data={"username": "someone", "password": PASSWORD})
            assert page.status_code == 503
            assert page.headers["retry-after"] == "5"
            assert "Sorry, the service is busy" in page.text
            assert "Traceback" not in page.text
            assert client.get("/healthz").status_code == 200
            scraped = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
            assert scraped.status_code == 200  # the request counts, without the database's
            assert _shed_count(scraped.text, "database") == 1
            assert "safehub_jobs" not in scraped.text
    finally:
        held.close()
        small.dispose()


def test_a_server_with_too_many_connections_is_a_503_not_a_500(app_db: Database) -> None:
    # A login the server lets hold no connection at all: PostgreSQL refuses it with "too many
    # connections for role" (SQLSTATE 53300), as it refuses any login past max_connections.
    role = f"shed_{uuid.uuid4().hex[:8]}"
    with app_db.owner_engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0"))
        conn.commit()
    full = create_engine(app_db.app_engine.url.set(username=role))
    try:
        app = create_app(replace(app_db, app_engine=full))
        with TestClient(app, base_url="https://testserver") as client:
            page = client.post("/sign-in", data={"username": "someone", "password": PASSWORD})
            assert page.status_code == 503
            assert page.headers["retry-after"] == "5"
            assert "Sorry, the service is busy" in page.text
        assert app.state.load_shedder.shed["database"] == 1
    finally:
        full.dispose()
        with app_db.owner_engine.connect() as conn:
            conn.execute(text(f"DROP ROLE {role}"))
            conn.commit()


def test_the_settings_default_to_the_shedders_defaults_and_refuse_a_limit_of_nothing() -> None:
    settings = load_settings({})
    assert settings.max_in_flight == DEFAULT_LIMIT
    assert settings.queue_wait_ms == DEFAULT_QUEUE_WAIT_MS
    configured = load_settings({"SAFEHUB_MAX_IN_FLIGHT": "3", "SAFEHUB_QUEUE_WAIT_MS": "0"})
    assert (configured.max_in_flight, configured.queue_wait_ms) == (3, 0)
    with pytest.raises(SettingsError, match="SAFEHUB_MAX_IN_FLIGHT must be a whole number"):
        load_settings({"SAFEHUB_MAX_IN_FLIGHT": "0"})


def test_the_app_keeps_a_connection_open_for_every_request_it_answers_at_once(
    database_url: str, tmp_path: Path
) -> None:
    """Under load the requests past SQLAlchemy's default pool of five opened and closed a
    connection each, a new PostgreSQL backend every time: the pool now keeps as many as the
    process answers at once, and they are reused."""
    settings = load_settings(
        {
            "SAFEHUB_ENV": "test",
            "SAFEHUB_DATA_DIR": str(tmp_path / "data"),
            "SAFEHUB_MAX_IN_FLIGHT": "7",
        }
    )
    database = connect(settings, url=database_url)
    try:
        held = [database.app_engine.connect() for _ in range(7)]
        pids = {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in held}
        for c in held:
            c.close()
        again = [database.app_engine.connect() for _ in range(7)]
        assert {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in again} == pids
        for c in again:
            c.close()
    finally:
        database.dispose()
