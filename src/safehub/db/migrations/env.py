"""Alembic environment: the engine comes from the caller (``safehub migrate``) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from safehub.config import load_settings
from safehub.db.database import connect
from safehub.db.models import Base

config = context.config
engine: Engine | None = config.attributes.get("engine")
if engine is None:
    engine = connect(load_settings()).owner_engine

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        include_schemas=False,
    )
    context.run_migrations()
