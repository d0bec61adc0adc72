"""Running the Alembic migrations from the installed package (no alembic.ini needed)."""

from __future__ import annotations

import logging
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from safehub.db.database import Database, migrations_path
from safehub.db.secrets_at_rest import SecretBox

log = logging.getLogger("safehub.db")


def alembic_config(engine: Engine, *, secrets: SecretBox | None = None) -> Config:
    config = alembic_config_plain()
    config.attributes["engine"] = engine
    # Migrations that seal or unseal stored secrets (0011) use the caller's key when given.
    config.attributes["secrets"] = secrets
    return config


# Any fixed number: the key of the session-level advisory lock every migration run holds.
MIGRATION_LOCK = 740_113_211


def upgrade(engine: Engine, revision: str = "head", *, secrets: SecretBox | None = None) -> None:
    """Migrate to ``revision``. Several processes often start together (web workers, the job
    worker, the public app), each migrating first: one runs the migrations while the others
    wait on an advisory lock, then find the schema already there."""
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        lock.commit()  # the lock is the session's; no transaction held open while migrating
        try:
            command.upgrade(alembic_config(engine, secrets=secrets), revision)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            lock.commit()


@cache
def head_revision() -> str:
    """The newest migration this code knows (read once from the installed scripts)."""
    head = ScriptDirectory.from_config(alembic_config_plain()).get_current_head()
    assert head is not None
    return head


def alembic_config_plain() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return config


def not_ready(db: Database) -> str | None:
    """Why the app cannot serve requests now (None: it can): the database does not answer as
    either login the app uses, or its schema is not at this code's migration head. The reason
    names no host, user or error text: readiness is public, and the log has the details."""
    try:
        with db.app_engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        with db.owner_engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError:
        log.warning("readiness: the database cannot be reached", exc_info=True)
        return "the database cannot be reached"
    if current != head_revision():
        return f"the database schema is at {current or 'no revision'}, not {head_revision()}"
    return None
