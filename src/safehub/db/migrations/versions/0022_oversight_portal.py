"""The oversight portal: audit samples of case files (pseudonymised, redacted snapshots), the
inspector's findings, the register of every query the oversight body runs, and what the
oversight role ``safehub_oversight`` may touch when an inspector works through the staff app.

- ``oversight_sample``: one draw (who, when, seed, size, period, which cases: open, closed or
  both). ``oversight_sample_file``: one snapshot per file drawn, made by the system at draw time:
  children "Child A", adults "Adult 1", professionals by role, dates as days from the referral,
  names and identifiers redacted from free text. It holds no case id, person id or reference.
- ``oversight_finding``: an inspector's answer to one checklist question about one file.
- ``oversight_query_log``: the register: when, who, which query, its parameters, rows returned.

All four have forced row-level security. The oversight role reads them all and writes only as
itself (``drawn_by_user_id`` / ``user_id`` is the signed-in inspector). The application role sees
the register (staff with the statistics permission use the portal's aggregate pages too, and
their queries are logged beside the inspectors'), and samples only as the system.

What the oversight role may do besides (an inspector's every transaction runs as it, see
``Database.app_session``): read the aggregates (0021); append to the audit log, reading only the
last entry's id and hash, and only entries of its own (as 0019 does for ``safehub_public``);
end its own session (sign-out) and keep its own account (password, passkeys, recovery codes) on
the same terms as the application role, those tables being staff credentials, not case data.
It has no privilege on any case table.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "safehub_oversight"
TABLES = ("oversight_sample", "oversight_sample_file", "oversight_finding", "oversight_query_log")
SYSTEM = "safehub_ctx_system()"
ME = "safehub_ctx_user()"
# Staff credentials an inspector needs to keep their own account (mirrors the app role's).
ACCOUNT_TABLES = (
    "mfa_totp",
    "mfa_passkey",
    "mfa_recovery_code",
    "webauthn_challenge",
    "sign_in_throttle",
)

_ACCOUNT_LIST = ", ".join(f"'{t}'" for t in ACCOUNT_TABLES)

_OVERSIGHT_AUDIT_OWN = """
CREATE FUNCTION audit_event_oversight_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_user = 'safehub_oversight' AND (NEW.actor NOT LIKE
      'user:' || coalesce(nullif(current_setting('safehub.user_id', true), ''), '-') || ':%') THEN
    RAISE EXCEPTION 'the oversight role may log only its own inspector''s entries'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
"""

_MIRROR_ACCOUNT_GRANTS = f"""
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT table_name, privilege_type FROM information_schema.role_table_grants
           WHERE grantee = 'safehub_app' AND table_schema = 'public'
             AND table_name IN ({_ACCOUNT_LIST})
             AND privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE') LOOP
    EXECUTE format('GRANT %s ON public.%I TO safehub_oversight', r.privilege_type, r.table_name);
  END LOOP;
  FOR r IN SELECT column_name FROM information_schema.column_privileges
           WHERE grantee = 'safehub_app' AND table_schema = 'public'
             AND table_name = 'app_user' AND privilege_type = 'UPDATE' LOOP
    EXECUTE format('GRANT UPDATE (%I) ON public.app_user TO safehub_oversight', r.column_name);
  END LOOP;
END $$;
"""


def upgrade() -> None:
    _tables()
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC, safehub_public, safehub_app, {ROLE}")
        op.execute(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO {ROLE}, safehub_app")
        # The system (a job, the CLI) may tidy or publish them; no user of the app role may.
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO safehub_app")
        op.execute(
            f"CREATE POLICY system_all ON {table} TO safehub_app USING ({SYSTEM}) "
            f"WITH CHECK ({SYSTEM})"
        )
    _oversight_policies()
    _register_for_staff()
    _oversight_audit_and_session()


def _oversight_policies() -> None:
    op.execute(f"GRANT SELECT, INSERT ON oversight_sample, oversight_sample_file TO {ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON oversight_finding TO {ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON oversight_query_log TO {ROLE}")
    for table in TABLES:
        op.execute(f"CREATE POLICY oversight_read ON {table} FOR SELECT TO {ROLE} USING (true)")
    op.execute(
        f"CREATE POLICY oversight_draw ON oversight_sample FOR INSERT TO {ROLE} "
        f"WITH CHECK (drawn_by_user_id = {ME})"
    )
    op.execute(
        f"CREATE POLICY oversight_draw ON oversight_sample_file FOR INSERT TO {ROLE} "
        f"WITH CHECK (EXISTS (SELECT 1 FROM oversight_sample s "
        f"WHERE s.id = sample_id AND s.drawn_by_user_id = {ME}))"
    )
    op.execute(
        f"CREATE POLICY oversight_record ON oversight_finding FOR INSERT TO {ROLE} "
        f"WITH CHECK (recorded_by_user_id = {ME})"
    )
    op.execute(
        f"CREATE POLICY oversight_record_again ON oversight_finding FOR UPDATE TO {ROLE} "
        f"USING (true) WITH CHECK (recorded_by_user_id = {ME})"
    )
    op.execute(
        f"CREATE POLICY oversight_log ON oversight_query_log FOR INSERT TO {ROLE} "
        f"WITH CHECK (user_id = {ME})"
    )


def _register_for_staff() -> None:
    op.execute("GRANT SELECT, INSERT ON oversight_query_log TO safehub_app")
    op.execute(
        "CREATE POLICY app_read ON oversight_query_log FOR SELECT TO safehub_app USING (true)"
    )
    op.execute(
        f"CREATE POLICY app_log ON oversight_query_log FOR INSERT TO safehub_app "
        f"WITH CHECK (user_id = {ME})"
    )


def _oversight_audit_and_session() -> None:
    op.execute(_OVERSIGHT_AUDIT_OWN)
    op.execute(
        "CREATE TRIGGER audit_event_oversight_own BEFORE INSERT ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_oversight_own()"
    )
    op.execute(f"GRANT INSERT ON audit_event TO {ROLE}")
    op.execute(f"GRANT SELECT (id, entry_hash) ON audit_event TO {ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE audit_event_id_seq TO {ROLE}")
    # Signing out, and a new password ending the other sessions.
    op.execute(f"GRANT SELECT (token_hash, user_id), DELETE ON web_session TO {ROLE}")
    op.execute(f"GRANT SELECT ON app_user TO {ROLE}")
    op.execute(_MIRROR_ACCOUNT_GRANTS)
    op.execute(f"GRANT USAGE ON SEQUENCE mfa_passkey_id_seq, mfa_recovery_code_id_seq TO {ROLE}")


def _tables() -> None:
    op.create_table(
        "oversight_sample",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("drawn_by_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "drawn_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("statuses", sa.String(length=10), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.CheckConstraint("size BETWEEN 1 AND 100", name=op.f("ck_oversight_sample_size_range")),
        sa.CheckConstraint(
            "statuses IN ('open', 'closed', 'both')",
            name=op.f("ck_oversight_sample_statuses_known"),
        ),
        sa.CheckConstraint(
            "period_start <= period_end", name=op.f("ck_oversight_sample_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["drawn_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_oversight_sample_drawn_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_sample")),
    )
    op.create_table(
        "oversight_sample_file",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("sample_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["oversight_sample.id"],
            name=op.f("fk_oversight_sample_file_sample_id_oversight_sample"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_sample_file")),
        sa.UniqueConstraint("sample_id", "position", name="uq_oversight_sample_file_position"),
    )
    op.create_table(
        "oversight_finding",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=14), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "answer IN ('yes', 'no', 'not_applicable')",
            name=op.f("ck_oversight_finding_answer_known"),
        ),
        sa.CheckConstraint(
            "char_length(comment) <= 2000", name=op.f("ck_oversight_finding_comment_size")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["oversight_sample_file.id"],
            name=op.f("fk_oversight_finding_file_id_oversight_sample_file"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_oversight_finding_recorded_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_finding")),
        sa.UniqueConstraint("file_id", "question", name="uq_oversight_finding_question"),
    )
    op.create_table(
        "oversight_query_log",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=40), nullable=False),
        sa.Column(
            "parameters",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("rows_returned", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_oversight_query_log_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_query_log")),
    )
    op.create_index(op.f("ix_oversight_query_log_at"), "oversight_query_log", ["at"])


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_event_oversight_own ON audit_event")
    op.execute("DROP FUNCTION audit_event_oversight_own()")
    op.execute(f"REVOKE ALL ON audit_event, web_session, app_user FROM {ROLE}")
    op.execute(f"REVOKE ALL ON {', '.join(ACCOUNT_TABLES)} FROM {ROLE}")
    op.execute(f"REVOKE ALL ON SEQUENCE audit_event_id_seq FROM {ROLE}")
    op.execute(f"REVOKE ALL ON SEQUENCE mfa_passkey_id_seq, mfa_recovery_code_id_seq FROM {ROLE}")
    op.drop_index(op.f("ix_oversight_query_log_at"), table_name="oversight_query_log")
    for table in reversed(TABLES):
        op.drop_table(table)
