"""``safehub serve-public --workers N``: each worker process builds the public app from the
settings, on its own connections to the database the parent migrated."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from safehub.cli.serve import public_app_in_worker
from safehub.db.database import Database


def test_a_worker_process_serves_the_public_app_on_the_configured_database(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.owner_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAFEHUB_ENV", "test")
    monkeypatch.setenv("SAFEHUB_DATA_DIR", str(tmp_path))
    app = public_app_in_worker()
    assert isinstance(app, FastAPI)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/cy").status_code == 200
        # Read from the database (the retention class's period), as the public role.
        assert "eu hadolygu 2 flynedd" in client.get("/cy/privacy").text
