"""Processes that start together (several web workers, the job worker, the public app) each
migrate first: on an empty database one runs the migrations and the others wait, then find the
schema at head; none fails half-way."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text

from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.migrate import head_revision, upgrade


def test_three_processes_migrating_an_empty_database_together_all_succeed(
    pg_server_uri: str,
) -> None:
    name = "concurrent_migrate"
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    ensure_database(pg_server_uri, name)
    url = sqlalchemy_url(pg_server_uri, name)
    # A lock wait longer than a minute fails the test instead of hanging it (without the
    # migration lock, the three runs block each other on the tables they create).
    engines = [
        create_engine(url, connect_args={"options": "-c lock_timeout=60s"}) for _ in range(3)
    ]
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            for future in [pool.submit(upgrade, engine) for engine in engines]:
                future.result()  # re-raises a failed migration
        with engines[0].connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(head_revision(),)]
    finally:
        for engine in engines:
            engine.dispose()
        with psycopg.connect(pg_server_uri, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
