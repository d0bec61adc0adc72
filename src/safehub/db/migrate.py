"""Running the Alembic migrations from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from safehub.db.database import migrations_path
from safehub.db.secrets_at_rest import SecretBox


def alembic_config(engine: Engine, *, secrets: SecretBox | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.attributes["engine"] = engine
    # Migrations that seal or unseal stored secrets (0011) use the caller's key when given.
    config.attributes["secrets"] = secrets
    return config


def upgrade(engine: Engine, revision: str = "head", *, secrets: SecretBox | None = None) -> None:
    command.upgrade(alembic_config(engine, secrets=secrets), revision)
