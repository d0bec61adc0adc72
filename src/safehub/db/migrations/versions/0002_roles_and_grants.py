"""Roles the application works as, owning nothing; the audit log append-only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("safehub_app", "safehub_public", "safehub_oversight")


def upgrade() -> None:
    for role in ROLES:
        # Roles are cluster-wide: several databases (or test runs) on one server share them.
        op.execute(
            f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
              END IF;
            END $$;
            """
        )
        op.execute(f"GRANT {role} TO CURRENT_USER")
    op.execute("GRANT USAGE ON SCHEMA public TO safehub_app, safehub_public, safehub_oversight")
    op.execute(
        "DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO safehub_app', "
        "current_database()); END $$;"
    )
    op.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO safehub_app")
    op.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO safehub_app")
    op.execute("GRANT DELETE ON web_session, form_draft TO safehub_app")
    # The audit log is append-only for the application: no update, delete or truncate.
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM safehub_app")
    op.execute("REVOKE SELECT, INSERT, UPDATE, DELETE ON alembic_version FROM safehub_app")
    op.execute(
        """
        CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only';
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    op.execute("DROP TRIGGER audit_event_no_change ON audit_event")
    op.execute("DROP FUNCTION audit_event_append_only()")
    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM safehub_app")
