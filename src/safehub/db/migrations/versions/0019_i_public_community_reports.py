"""Community reports from the public app, and what the public app's database role may do.

- ``community_report``, ``community_report_message``, ``community_report_draft``: see
  ``safehub.db.models.community``.
- ``safehub_public`` (the public app's role) may INSERT a report and append to the audit log
  (reading only the last entry's id and hash, which the chain needs). It reads nothing else: a
  draft, a report's status and its messages come only through the functions below, each given
  a draft key or a reference with the key derived from the secret phrase. It has no privilege on
  any case table (referral, person, agency_record, …).
- The functions are ``SECURITY DEFINER`` owned by ``safehub_reporting``, a NOLOGIN role that may
  only touch the three community tables: a mistake in one of them cannot reach case data.
- Rate limits count attempts by the SHA-256 of the address with the day's random salt, in
  ten-minute buckets kept 24 hours; the address itself is never stored.
- Staff (``safehub_app``) see reports under forced row-level security: the partnership (system)
  and the safeguarding leads (MASH triage, team managers, heads of service), who may also ask the
  reporter a question and change a report's status. Nobody on the staff side reads a draft.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER = "safehub_reporting"
TABLES = (
    "community_report",
    "community_report_message",
    "community_report_draft",
    "community_rate_count",
    "community_rate_salt",
)
# Safeguarding leads (safehub.access.policy: Permission.TRIAGE_COMMUNITY_REPORTS).
LEADS = "('mash_triage', 'team_manager', 'head_of_service')"
STAFF = f"safehub_ctx_system() OR (safehub_ctx_role() IN {LEADS})"
# A draft not saved for two hours is gone: a reporter who stops leaves nothing behind for long.
DRAFT_LIFE = "interval '2 hours'"

_FUNCTIONS = {
    "safehub_public_save_draft(p_key bytea, p_answers jsonb)": f"""
      RETURNS void LANGUAGE sql VOLATILE AS $$
        DELETE FROM public.community_report_draft WHERE updated_at < now() - {DRAFT_LIFE};
        INSERT INTO public.community_report_draft (key_hash, answers, updated_at)
        VALUES (p_key, p_answers, now())
        ON CONFLICT (key_hash) DO UPDATE SET answers = excluded.answers, updated_at = now();
      $$""",
    "safehub_public_read_draft(p_key bytea)": f"""
      RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT answers FROM public.community_report_draft
        WHERE key_hash = p_key AND updated_at >= now() - {DRAFT_LIFE}
      $$""",
    "safehub_public_discard_draft(p_key bytea)": """
      RETURNS void LANGUAGE sql VOLATILE AS $$
        DELETE FROM public.community_report_draft WHERE key_hash = p_key
      $$""",
    "safehub_public_report_status(p_reference text, p_key bytea)": """
      RETURNS TABLE (status text, received_at timestamptz) LANGUAGE sql STABLE AS $$
        SELECT r.status::text, r.received_at FROM public.community_report r
        WHERE r.reference = p_reference AND r.phrase_key = p_key
      $$""",
    "safehub_public_report_messages(p_reference text, p_key bytea)": """
      RETURNS TABLE (sender text, body text, sent_at timestamptz) LANGUAGE sql STABLE AS $$
        SELECT m.sender::text, m.body, m.sent_at FROM public.community_report r
        JOIN public.community_report_message m ON m.report_id = r.id
        WHERE r.reference = p_reference AND r.phrase_key = p_key
        ORDER BY m.sent_at, m.id
      $$""",
    "safehub_public_add_message(p_reference text, p_key bytea, p_body text)": """
      RETURNS boolean LANGUAGE sql VOLATILE AS $$
        WITH report AS (SELECT id FROM public.community_report
                        WHERE reference = p_reference AND phrase_key = p_key),
        added AS (INSERT INTO public.community_report_message (report_id, sender, body)
                  SELECT id, 'reporter', p_body FROM report RETURNING id)
        SELECT EXISTS (SELECT 1 FROM added)
      $$""",
    # One more attempt from an address (hashed here, never stored), and how many there were in
    # the last ten minutes and the last hour, this one included.
    "safehub_public_note_attempt(p_action text, p_address text)": """
      RETURNS TABLE (last_10_minutes integer, last_hour integer) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_salt bytea;
        v_hash bytea;
        v_bucket timestamptz := date_bin('10 minutes', now(), TIMESTAMPTZ '2000-01-01');
      BEGIN
        DELETE FROM public.community_rate_count WHERE starts_at < now() - interval '24 hours';
        DELETE FROM public.community_rate_salt WHERE day < current_date;
        INSERT INTO public.community_rate_salt (day, salt)
        VALUES (current_date, decode(replace(gen_random_uuid()::text || gen_random_uuid()::text,
                                             '-', ''), 'hex'))
        ON CONFLICT (day) DO NOTHING;
        SELECT s.salt INTO v_salt FROM public.community_rate_salt s WHERE s.day = current_date;
        v_hash := sha256(v_salt || convert_to(p_address, 'UTF8'));
        INSERT INTO public.community_rate_count AS c (bucket_hash, action, starts_at, attempts)
        VALUES (v_hash, p_action, v_bucket, 1)
        ON CONFLICT (bucket_hash, action, starts_at) DO UPDATE SET attempts = c.attempts + 1;
        RETURN QUERY
          SELECT COALESCE(sum(c.attempts) FILTER (WHERE c.starts_at = v_bucket), 0)::integer,
                 COALESCE(sum(c.attempts), 0)::integer
          FROM public.community_rate_count c
          WHERE c.bucket_hash = v_hash AND c.action = p_action
            AND c.starts_at > v_bucket - interval '1 hour';
      END $$""",
}


_PUBLIC_AUDIT_ONLY = """
CREATE FUNCTION audit_event_public_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_user = 'safehub_public' AND (NEW.actor <> 'public:reporter'
      OR NEW.object_type <> 'community_report' OR NEW.source IS NOT NULL) THEN
    RAISE EXCEPTION 'the public app may log only its own community report entries'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
"""


def upgrade() -> None:
    _tables()
    _staff_access()
    _reporting_owner()
    _public_role()


def _tables() -> None:
    op.create_table(
        "community_report",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("phrase_key", sa.LargeBinary(), nullable=False),
        sa.Column("about", sa.String(length=20), nullable=False),
        sa.Column("what_seen", sa.Text(), nullable=False),
        sa.Column(
            "signs",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=True),
        sa.Column("seen_time", sa.String(length=20), nullable=True),
        sa.Column("place_postcode", sa.String(length=10), nullable=True),
        sa.Column("place_description", sa.Text(), nullable=True),
        sa.Column("vehicle_registration", sa.String(length=12), nullable=True),
        sa.Column("phone", sa.String(length=24), nullable=True),
        sa.Column("online_handle", sa.String(length=100), nullable=True),
        sa.Column("other_identifier", sa.Text(), nullable=True),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporter_contact", sa.Text(), nullable=True),
        sa.Column("share_exact", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "status", sa.String(length=20), server_default=sa.text("'received'"), nullable=False
        ),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "about IN ('child', 'place', 'vehicle', 'person', 'online')",
            name=op.f("ck_community_report_about_known"),
        ),
        sa.CheckConstraint(
            "status IN ('received', 'in_review', 'closed')",
            name=op.f("ck_community_report_status_known"),
        ),
        sa.CheckConstraint(
            "urgency IN ('urgent', 'high', 'routine')",
            name=op.f("ck_community_report_urgency_known"),
        ),
        sa.CheckConstraint(
            "char_length(what_seen) BETWEEN 1 AND 3000",
            name=op.f("ck_community_report_what_seen_size"),
        ),
        sa.CheckConstraint(
            "char_length(place_description) <= 500", name=op.f("ck_community_report_place_size")
        ),
        sa.CheckConstraint(
            "char_length(other_identifier) <= 300",
            name=op.f("ck_community_report_other_identifier_size"),
        ),
        sa.CheckConstraint(
            "char_length(reporter_contact) <= 200", name=op.f("ck_community_report_contact_size")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_report")),
        sa.UniqueConstraint("reference", name=op.f("uq_community_report_reference")),
    )
    op.create_table(
        "community_report_message",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("sender", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "sender IN ('hub', 'reporter')", name=op.f("ck_community_report_message_sender_known")
        ),
        sa.CheckConstraint(
            "char_length(body) BETWEEN 1 AND 2000",
            name=op.f("ck_community_report_message_body_size"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["community_report.id"],
            name=op.f("fk_community_report_message_report_id_community_report"),
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_community_report_message_sent_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_report_message")),
    )
    op.create_index(
        op.f("ix_community_report_message_report_id"), "community_report_message", ["report_id"]
    )
    op.create_table(
        "community_report_draft",
        sa.Column("key_hash", sa.LargeBinary(), nullable=False),
        sa.Column("answers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_community_report_draft")),
    )
    op.create_index(
        op.f("ix_community_report_draft_updated_at"), "community_report_draft", ["updated_at"]
    )
    op.create_table(
        "community_rate_count",
        sa.Column("bucket_hash", sa.LargeBinary(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "bucket_hash", "action", "starts_at", name=op.f("pk_community_rate_count")
        ),
    )
    op.create_index(
        op.f("ix_community_rate_count_starts_at"), "community_rate_count", ["starts_at"]
    )
    op.create_table(
        "community_rate_salt",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_community_rate_salt")),
    )
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC, safehub_oversight, safehub_public")


def _staff_access() -> None:
    # Staff change a report's status only: what the reporter said is never rewritten.
    op.execute("GRANT SELECT, UPDATE (status) ON community_report TO safehub_app")
    op.execute("GRANT SELECT, INSERT ON community_report_message TO safehub_app")
    op.execute("GRANT USAGE ON SEQUENCE community_report_message_id_seq TO safehub_app")
    for private in ("community_report_draft", "community_rate_count", "community_rate_salt"):
        op.execute(f"REVOKE ALL ON {private} FROM safehub_app")
    op.execute(
        f"CREATE POLICY app_select ON community_report FOR SELECT TO safehub_app USING ({STAFF})"
    )
    op.execute(
        f"CREATE POLICY app_update ON community_report FOR UPDATE TO safehub_app "
        f"USING ({STAFF}) WITH CHECK ({STAFF})"
    )
    op.execute(
        f"CREATE POLICY app_select ON community_report_message FOR SELECT TO safehub_app "
        f"USING ({STAFF})"
    )
    op.execute(
        f"CREATE POLICY app_insert ON community_report_message FOR INSERT TO safehub_app "
        f"WITH CHECK (({STAFF}) AND sender = 'hub')"
    )
    # Stated, not implied: no staff member reads what a reporter has not yet sent, or the
    # hashed addresses of the rate limits.
    for private in ("community_report_draft", "community_rate_count", "community_rate_salt"):
        op.execute(f"CREATE POLICY app_none ON {private} FOR SELECT TO safehub_app USING (false)")


def _reporting_owner() -> None:
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') THEN
            CREATE ROLE {OWNER} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
        END $$;
        """
    )
    op.execute(f"GRANT {OWNER} TO CURRENT_USER")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {OWNER}")
    op.execute(f"GRANT SELECT ON community_report TO {OWNER}")
    op.execute(f"GRANT SELECT, INSERT ON community_report_message TO {OWNER}")
    op.execute(f"GRANT USAGE ON SEQUENCE community_report_message_id_seq TO {OWNER}")
    for private in ("community_report_draft", "community_rate_count", "community_rate_salt"):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {private} TO {OWNER}")
    for table in TABLES:
        op.execute(f"CREATE POLICY reporting_all ON {table} TO {OWNER} USING (true)")
    for signature, body in _FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {signature} {body.replace('AS $$', 'SECURITY DEFINER SET search_path = pg_catalog AS $$', 1)}"
        )
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO safehub_public")


def _public_role() -> None:
    op.execute("GRANT INSERT ON community_report TO safehub_public")
    op.execute("GRANT USAGE ON SEQUENCE community_report_id_seq TO safehub_public")
    # A new report only: the public app cannot set a status the hub has not given.
    op.execute(
        "CREATE POLICY public_insert ON community_report FOR INSERT TO safehub_public "
        "WITH CHECK (status = 'received')"
    )
    # The audit chain: append, reading only the previous entry's id and hash; and only entries
    # of its own, so that a compromised public app cannot write a staff member's name into the log.
    op.execute(_PUBLIC_AUDIT_ONLY)
    op.execute(
        "CREATE TRIGGER audit_event_public_own BEFORE INSERT ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_public_own()"
    )
    op.execute("GRANT INSERT ON audit_event TO safehub_public")
    op.execute("GRANT SELECT (id, entry_hash) ON audit_event TO safehub_public")
    op.execute("GRANT USAGE ON SEQUENCE audit_event_id_seq TO safehub_public")


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_event_public_own ON audit_event")
    op.execute("DROP FUNCTION audit_event_public_own()")
    op.execute("REVOKE ALL ON audit_event FROM safehub_public")
    op.execute("REVOKE ALL ON SEQUENCE audit_event_id_seq FROM safehub_public")
    for signature in _FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature.split('(')[0]}")
    op.drop_index(op.f("ix_community_rate_count_starts_at"), table_name="community_rate_count")
    op.drop_table("community_rate_count")
    op.drop_table("community_rate_salt")
    op.drop_index(op.f("ix_community_report_draft_updated_at"), table_name="community_report_draft")
    op.drop_table("community_report_draft")
    op.drop_index(
        op.f("ix_community_report_message_report_id"), table_name="community_report_message"
    )
    op.drop_table("community_report_message")
    op.drop_table("community_report")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {OWNER}")
