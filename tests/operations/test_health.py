"""`/healthz` and `/readyz` on the staff app and the public app: public, no personal data, not
audited, and readiness that says why the app cannot serve."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.migrate import head_revision
from safehub.public.app import create_public_app
from safehub.web.app import create_app

APPS: dict[str, Callable[[Database], FastAPI]] = {
    "staff": create_app,
    "public": create_public_app,
}


def _audit_count(db: Database) -> int:
    with db.owner_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


def _database_at(url: str, tmp_path: Path) -> Iterator[Database]:
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(tmp_path / "d")})
    database = connect(settings, url=url)
    yield database
    database.dispose()


@pytest.fixture
def unreachable(tmp_path: Path) -> Iterator[Database]:
    yield from _database_at(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x", tmp_path)


@pytest.fixture
def unmigrated(pg_server_uri: str, tmp_path: Path) -> Iterator[Database]:
    ensure_database(pg_server_uri, "never_migrated")
    yield from _database_at(sqlalchemy_url(pg_server_uri, "never_migrated"), tmp_path)


@pytest.mark.parametrize("kind", APPS)
def test_both_apps_are_alive_and_ready_without_signing_in_or_auditing(
    kind: str, app_db: Database
) -> None:
    before = _audit_count(app_db)
    with TestClient(APPS[kind](app_db), base_url="https://testserver") as client:
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert _audit_count(app_db) == before


@pytest.mark.parametrize("kind", APPS)
def test_an_unreachable_database_is_alive_but_not_ready_and_names_no_host(
    kind: str, unreachable: Database
) -> None:
    with TestClient(APPS[kind](unreachable), base_url="https://testserver") as client:
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "reason": "the database cannot be reached"}
    assert "127.0.0.1" not in ready.text


def test_a_database_not_at_the_migration_head_is_not_ready(unmigrated: Database) -> None:
    with TestClient(create_app(unmigrated), base_url="https://testserver") as client:
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["reason"] == (
        f"the database schema is at no revision, not {head_revision()}"
    )
