"""Migrations are numbered, have one head, and match the models (no drift)."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from safehub.db.database import SERVER_ROLES, Database, migrations_path
from safehub.db.migrate import alembic_config
from safehub.db.models import Base


def test_migrations_have_one_head_and_numbered_ids(db: Database) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(db.owner_engine))
    assert len(scripts.get_heads()) == 1
    for revision in scripts.walk_revisions():
        assert re.fullmatch(r"\d{4}", revision.revision), revision.revision
    names = sorted(p.name for p in (migrations_path() / "versions").glob("*.py"))
    assert all(re.match(r"\d{4}_", n) for n in names), names


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == [], f"models and migrations differ: run an autogenerate revision ({diff[:3]})"


def test_the_application_role_cannot_change_the_audit_log(db: Database) -> None:
    from sqlalchemy import text

    with db.owner_engine.connect() as conn:
        privileges = (
            conn.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE grantee = 'safehub_app' AND table_name = 'audit_event'"
                )
            )
            .scalars()
            .all()
        )
        app = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'safehub_app'"
            )
        ).one()
    assert sorted(privileges) == ["INSERT", "SELECT"]
    assert tuple(app) == (False, False, False)


def test_every_role_the_migrations_create_is_one_a_restore_creates_first(db: Database) -> None:
    """A restore onto a fresh server creates ``SERVER_ROLES`` before pg_restore runs (roles belong
    to the server, not the dump): a migration's new NOLOGIN role missing from it fails restores."""
    with db.owner_engine.connect() as conn:
        created = set(
            conn.execute(
                text(
                    "SELECT rolname FROM pg_roles WHERE rolname LIKE 'safehub\\_%' AND NOT rolcanlogin"
                )
            ).scalars()
        )
    assert created - set(SERVER_ROLES) == set()
