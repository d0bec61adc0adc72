"""Need to know: sharing agreements, disclosures, break-glass, and row-level security.

Every table holding personal data gets RLS enabled and forced, with policies for ``safehub_app``
that read the per-transaction settings ``safehub.user_id``, ``safehub.agency_id``,
``safehub.role`` and ``safehub.system`` (see ``safehub.db.rls``). The policies call
``SECURITY DEFINER`` helpers owned by ``safehub_access`` (NOLOGIN, read-only), so that a policy
on one table can look at others without recursing through their policies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every role that may see identifiable records (its own agency's at least). The oversight
# inspector sees aggregates only. Kept equal to safehub.access.policy.IDENTIFIABLE_ROLES by a test.
IDENTIFIABLE_ROLES = (
    "police_investigator",
    "police_analyst",
    "social_worker",
    "mash_triage",
    "health_practitioner",
    "school_dsl",
    "licensing_officer",
    "team_manager",
    "head_of_service",
    "data_protection_officer",
    "administrator",
)

PERSONAL = (
    "person",
    "agency_person",
    "agency_record",
    "agency_record_version",
    "person_mention",
    "person_identifier",
    "referral",
    "safeguarding_case",
    "case_child",
    "case_agency",
    "case_member",
    "case_note",
    "case_decision",
    "alert",
    "form_draft",
    "disclosure_request",
    "break_glass_grant",
)
# What the helper functions read (as safehub_access).
HELPER_READS = (
    "agency_person",
    "agency_record",
    "person_mention",
    "safeguarding_case",
    "case_child",
    "case_agency",
    "case_member",
    "break_glass_grant",
    "disclosure_request",
    "sharing_agreement",
)

SYS = "safehub_ctx_system()"
ME = "safehub_ctx_user()"
MY_AGENCY = "safehub_ctx_agency()"
SEES = "safehub_ctx_identifiable()"


def _create_tables() -> None:
    op.create_table(
        "sharing_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("provider_agency_id", sa.Integer(), nullable=False),
        sa.Column("recipient_agency_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.String(length=40), nullable=False),
        sa.Column("special_category_condition", sa.String(length=40), nullable=False),
        sa.Column("power_to_share", sa.Text(), nullable=False),
        sa.Column("record_types", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_sharing_agreement_created_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_agency_id"],
            ["agency.id"],
            name=op.f("fk_sharing_agreement_provider_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_agency_id"],
            ["agency.id"],
            name=op.f("fk_sharing_agreement_recipient_agency_id_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreement")),
    )
    op.create_index(
        "ix_sharing_agreement_provider_recipient",
        "sharing_agreement",
        ["provider_agency_id", "recipient_agency_id"],
    )
    op.create_table(
        "sharing_contact",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_sharing_contact_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_sharing_contact")),
    )
    op.create_table(
        "disclosure_request",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("owning_agency_id", sa.Integer(), nullable=False),
        sa.Column("requesting_agency_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_disclosure_request_decided_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["owning_agency_id"],
            ["agency.id"],
            name=op.f("fk_disclosure_request_owning_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_disclosure_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_disclosure_request_requested_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["requesting_agency_id"],
            ["agency.id"],
            name=op.f("fk_disclosure_request_requesting_agency_id_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_request")),
    )
    op.create_index(
        "ix_disclosure_request_lookup",
        "disclosure_request",
        ["person_id", "owning_agency_id", "requesting_agency_id", "status"],
    )
    op.create_index(
        op.f("ix_disclosure_request_owning_agency_id"), "disclosure_request", ["owning_agency_id"]
    )
    op.create_index(
        op.f("ix_disclosure_request_requesting_agency_id"),
        "disclosure_request",
        ["requesting_agency_id"],
    )
    op.create_table(
        "break_glass_grant",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (case_id IS NULL)",
            name=op.f("ck_break_glass_grant_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_break_glass_grant_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["safeguarding_case.id"],
            name=op.f("fk_break_glass_grant_case_id_safeguarding_case"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_break_glass_grant_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_break_glass_grant_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass_grant")),
    )
    op.create_index(
        "ix_break_glass_grant_user_expiry", "break_glass_grant", ["user_id", "expires_at"]
    )
    # Indexed lookups the policies make (the others exist already).
    op.create_index("ix_rls_agency_person_agency", "agency_person", ["agency_id", "person_id"])
    op.create_index("ix_rls_agency_record_agency", "agency_record", ["agency_id"])
    op.create_index("ix_rls_case_agency_agency", "case_agency", ["agency_id", "case_id"])
    op.create_index("ix_rls_safeguarding_case_lead", "safeguarding_case", ["lead_user_id"])
    for table in (
        "sharing_agreement",
        "sharing_contact",
        "disclosure_request",
        "break_glass_grant",
    ):
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO safehub_app")
    for seq in (
        "sharing_agreement_id_seq",
        "disclosure_request_id_seq",
        "break_glass_grant_id_seq",
    ):
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {seq} TO safehub_app")


_CONTEXT_FUNCTIONS = f"""
-- The per-transaction context. Plain SQL (not SECURITY DEFINER), so the planner inlines them.
CREATE FUNCTION safehub_ctx_system() RETURNS boolean LANGUAGE sql STABLE
  SET search_path = pg_catalog AS
  $$ SELECT coalesce(current_setting('safehub.system', true), '') = 'on' $$;
CREATE FUNCTION safehub_ctx_user() RETURNS bigint LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('safehub.user_id', true), '')::bigint $$;
CREATE FUNCTION safehub_ctx_agency() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('safehub.agency_id', true), '')::integer $$;
CREATE FUNCTION safehub_ctx_role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT coalesce(current_setting('safehub.role', true), '') $$;
CREATE FUNCTION safehub_ctx_identifiable() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT current_setting('safehub.role', true) = ANY (ARRAY[{", ".join(f"'{r}'" for r in IDENTIFIABLE_ROLES)}])
       AND current_setting('safehub.agency_id', true) <> '' $$;
"""

# Each helper is SECURITY DEFINER (it reads tables the caller may not), STABLE, with a pinned
# search_path so that nobody can slip in a table or operator of their own.
_HELPERS = {
    # A person "exists" for the user if some agency holds them unrestricted, or the user's own
    # agency holds them at all: a restricted person of another agency is not even an existence.
    "safehub_person_known(p bigint)": """
      SELECT EXISTS (SELECT 1 FROM public.agency_person ap WHERE ap.person_id = p
                     AND (NOT ap.restricted OR ap.agency_id = public.safehub_ctx_agency()))""",
    "safehub_can_see_case(c bigint)": """
      SELECT public.safehub_ctx_identifiable() AND (
        EXISTS (SELECT 1 FROM public.case_member m WHERE m.case_id = c
                AND m.user_id = public.safehub_ctx_user())
        OR EXISTS (SELECT 1 FROM public.case_agency a WHERE a.case_id = c
                   AND a.agency_id = public.safehub_ctx_agency())
        OR EXISTS (SELECT 1 FROM public.safeguarding_case s WHERE s.id = c
                   AND s.lead_user_id = public.safehub_ctx_user())
        OR EXISTS (SELECT 1 FROM public.break_glass_grant g WHERE g.case_id = c
                   AND g.user_id = public.safehub_ctx_user() AND g.expires_at > now()))""",
    "safehub_can_see_person(p bigint)": """
      SELECT public.safehub_ctx_identifiable() AND public.safehub_person_known(p) AND (
        EXISTS (SELECT 1 FROM public.agency_person ap WHERE ap.person_id = p
                AND ap.agency_id = public.safehub_ctx_agency())
        OR EXISTS (SELECT 1 FROM public.case_child cc WHERE cc.person_id = p
                   AND public.safehub_can_see_case(cc.case_id))
        OR EXISTS (SELECT 1 FROM public.break_glass_grant g WHERE g.person_id = p
                   AND g.user_id = public.safehub_ctx_user() AND g.expires_at > now()))""",
    # Whether another agency's content about a person is open to the user's agency: an
    # agreement covering the record type, a granted disclosure, or the user's break-glass.
    "safehub_shared(owner integer, kind text, p bigint)": """
      SELECT owner = public.safehub_ctx_agency()
        OR EXISTS (SELECT 1 FROM public.sharing_agreement a WHERE a.provider_agency_id = owner
                   AND a.recipient_agency_id = public.safehub_ctx_agency()
                   AND kind = ANY (a.record_types) AND a.starts_on <= current_date
                   AND (a.ends_on IS NULL OR a.ends_on >= current_date))
        OR EXISTS (SELECT 1 FROM public.disclosure_request d WHERE d.person_id = p
                   AND d.owning_agency_id = owner
                   AND d.requesting_agency_id = public.safehub_ctx_agency()
                   AND d.status = 'granted')
        OR EXISTS (SELECT 1 FROM public.break_glass_grant g WHERE g.person_id = p
                   AND g.user_id = public.safehub_ctx_user() AND g.expires_at > now())""",
    "safehub_can_read_mention(ap_id bigint, rec_id bigint)": """
      SELECT public.safehub_ctx_identifiable() AND EXISTS (
        SELECT 1 FROM public.agency_person ap JOIN public.agency_record r ON r.id = rec_id
        WHERE ap.id = ap_id AND (ap.agency_id = public.safehub_ctx_agency()
          OR (NOT ap.restricted AND public.safehub_can_see_person(ap.person_id)
              AND public.safehub_shared(ap.agency_id, r.record_type, ap.person_id))))""",
    "safehub_can_read_mention_id(mid bigint)": """
      SELECT EXISTS (SELECT 1 FROM public.person_mention m WHERE m.id = mid
                     AND public.safehub_can_read_mention(m.agency_person_id, m.record_id))""",
    "safehub_can_read_record(rid bigint)": """
      SELECT public.safehub_ctx_identifiable() AND (
        EXISTS (SELECT 1 FROM public.agency_record r WHERE r.id = rid
                AND r.agency_id = public.safehub_ctx_agency())
        OR EXISTS (SELECT 1 FROM public.person_mention m WHERE m.record_id = rid
                   AND public.safehub_can_read_mention(m.agency_person_id, m.record_id)))""",
}

# Agencies holding current, unrestricted records about a person that the user cannot read: the
# sealed envelope ("who else knows, whom to contact"), only for a person the user may see.
_SEALED = """
CREATE FUNCTION safehub_sealed_holders(p bigint) RETURNS SETOF integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT DISTINCT ap.agency_id FROM public.agency_person ap
  JOIN public.person_mention m ON m.agency_person_id = ap.id AND m.current
  WHERE ap.person_id = p AND NOT ap.restricted AND public.safehub_can_see_person(p)
    AND NOT public.safehub_can_read_mention(ap.id, m.record_id)
$$;
"""

# table -> {command: (USING, WITH CHECK)}; None means "no such clause".
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "person": {
        "SELECT": (f"{SYS} OR safehub_can_see_person(id)", None),
        "INSERT": (None, SYS),
        "UPDATE": (f"{SYS} OR safehub_can_see_person(id)", f"{SYS} OR safehub_can_see_person(id)"),
    },
    "agency_person": {
        "SELECT": (
            f"{SYS} OR ({SEES} AND (agency_id = {MY_AGENCY} OR "
            "(NOT restricted AND safehub_can_see_person(person_id))))",
            None,
        ),
        "INSERT": (None, SYS),
        "UPDATE": (
            f"{SYS} OR ({SEES} AND agency_id = {MY_AGENCY})",
            f"{SYS} OR ({SEES} AND agency_id = {MY_AGENCY})",
        ),
    },
    "agency_record": {
        "SELECT": (
            f"{SYS} OR ({SEES} AND agency_id = {MY_AGENCY}) OR safehub_can_read_record(id)",
            None,
        ),
        "INSERT": (None, SYS),
        "UPDATE": (SYS, SYS),
    },
    "agency_record_version": {
        "SELECT": (f"{SYS} OR safehub_can_read_record(record_id)", None),
        "INSERT": (None, SYS),
    },
    "person_mention": {
        "SELECT": (f"{SYS} OR safehub_can_read_mention(agency_person_id, record_id)", None),
        "INSERT": (None, SYS),
        "UPDATE": (SYS, SYS),
    },
    "person_identifier": {
        "SELECT": (f"{SYS} OR safehub_can_read_mention_id(mention_id)", None),
        "INSERT": (None, SYS),
    },
    "referral": {
        "SELECT": (
            f"{SYS} OR ({SEES} AND (referring_agency_id = {MY_AGENCY} "
            f"OR referred_by_user_id = {ME} OR safehub_ctx_role() = 'mash_triage' "
            "OR (case_id IS NOT NULL AND safehub_can_see_case(case_id)) "
            "OR (child_person_id IS NOT NULL AND safehub_can_see_person(child_person_id) "
            "AND safehub_shared(referring_agency_id, 'referral', child_person_id))))",
            None,
        ),
        "INSERT": (
            None,
            f"{SYS} OR ({SEES} AND referring_agency_id = {MY_AGENCY} "
            f"AND referred_by_user_id = {ME})",
        ),
        "UPDATE": (
            f"{SYS} OR ({SEES} AND (referring_agency_id = {MY_AGENCY} "
            "OR safehub_ctx_role() = 'mash_triage' "
            "OR (case_id IS NOT NULL AND safehub_can_see_case(case_id))))",
            f"{SYS} OR {SEES}",
        ),
    },
    "safeguarding_case": {
        "SELECT": (f"{SYS} OR safehub_can_see_case(id)", None),
        "INSERT": (None, f"{SYS} OR ({SEES} AND lead_user_id = {ME})"),
        "UPDATE": (f"{SYS} OR safehub_can_see_case(id)", f"{SYS} OR safehub_can_see_case(id)"),
    },
    "case_child": {
        # A child restricted by another agency is not even listed on a case one can see.
        "SELECT": (
            f"{SYS} OR (safehub_can_see_case(case_id) AND safehub_person_known(person_id))",
            None,
        ),
        # Adding a child to one's own case must not open a person one could not see.
        "INSERT": (
            None,
            f"{SYS} OR (safehub_can_see_case(case_id) AND safehub_can_see_person(person_id))",
        ),
    },
    "case_agency": {
        "SELECT": (f"{SYS} OR safehub_can_see_case(case_id)", None),
        "INSERT": (None, f"{SYS} OR safehub_can_see_case(case_id)"),
    },
    "case_member": {
        "SELECT": (f"{SYS} OR safehub_can_see_case(case_id)", None),
        "INSERT": (None, f"{SYS} OR safehub_can_see_case(case_id)"),
    },
    "case_note": {
        "SELECT": (f"{SYS} OR safehub_can_see_case(case_id)", None),
        "INSERT": (None, f"{SYS} OR (safehub_can_see_case(case_id) AND author_user_id = {ME})"),
    },
    "case_decision": {
        "SELECT": (f"{SYS} OR safehub_can_see_case(case_id)", None),
        "INSERT": (None, f"{SYS} OR (safehub_can_see_case(case_id) AND decided_by_user_id = {ME})"),
    },
    "alert": {
        # Alerts go to an agency; a break-glass alert only to its data protection officer; an
        # alert about a person restricted by another agency is not shown at all.
        "SELECT": (
            f"{SYS} OR ({SEES} AND target_agency_id = {MY_AGENCY} "
            "AND (kind <> 'break_glass' OR safehub_ctx_role() = 'data_protection_officer') "
            "AND (person_id IS NULL OR safehub_person_known(person_id)))",
            None,
        ),
        "INSERT": (None, SYS),
        "UPDATE": (
            f"{SYS} OR ({SEES} AND target_agency_id = {MY_AGENCY} "
            "AND (kind <> 'break_glass' OR safehub_ctx_role() = 'data_protection_officer'))",
            f"{SYS} OR ({SEES} AND target_agency_id = {MY_AGENCY})",
        ),
    },
    "form_draft": {
        "SELECT": (f"{SYS} OR user_id = {ME}", None),
        "INSERT": (None, f"{SYS} OR user_id = {ME}"),
        "UPDATE": (f"{SYS} OR user_id = {ME}", f"{SYS} OR user_id = {ME}"),
        "DELETE": (f"{SYS} OR user_id = {ME}", None),
    },
    "disclosure_request": {
        "SELECT": (
            f"{SYS} OR ({SEES} AND (requesting_agency_id = {MY_AGENCY} "
            f"OR owning_agency_id = {MY_AGENCY}))",
            None,
        ),
        "INSERT": (
            None,
            f"{SYS} OR ({SEES} AND requesting_agency_id = {MY_AGENCY} "
            f"AND requested_by_user_id = {ME} AND safehub_can_see_person(person_id))",
        ),
        "UPDATE": (
            f"{SYS} OR ({SEES} AND owning_agency_id = {MY_AGENCY})",
            f"{SYS} OR ({SEES} AND owning_agency_id = {MY_AGENCY})",
        ),
    },
    "break_glass_grant": {
        "SELECT": (
            f"{SYS} OR user_id = {ME} OR (safehub_ctx_role() = 'data_protection_officer' "
            f"AND agency_id = {MY_AGENCY})",
            None,
        ),
        # Never onto a person restricted by another agency: break-glass is not a way round that.
        "INSERT": (
            None,
            f"{SYS} OR ({SEES} AND user_id = {ME} AND agency_id = {MY_AGENCY} "
            "AND (person_id IS NULL OR safehub_person_known(person_id)))",
        ),
    },
}


def _create_functions() -> None:
    op.execute(_CONTEXT_FUNCTIONS)
    op.execute(
        """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'safehub_access') THEN
            CREATE ROLE safehub_access NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
        END $$;
        """
    )
    op.execute("GRANT safehub_access TO CURRENT_USER")
    op.execute("GRANT USAGE, CREATE ON SCHEMA public TO safehub_access")
    op.execute(f"GRANT SELECT ON {', '.join(HELPER_READS)} TO safehub_access")
    for signature, body in _HELPERS.items():
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
            f"SET search_path = pg_catalog AS $$ {body} $$"
        )
    op.execute(_SEALED)
    for signature in [*_HELPERS, "safehub_sealed_holders(p bigint)"]:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO safehub_access")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO safehub_app")


def _enable_rls() -> None:
    for table in PERSONAL:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        # Oversight reads aggregates only: no privilege at all on an identifiable table.
        op.execute(f"REVOKE ALL ON {table} FROM safehub_oversight, PUBLIC")
        for command, (using, check) in _POLICIES[table].items():
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            op.execute(
                f"CREATE POLICY app_{command.lower()} ON {table} FOR {command} "
                f"TO safehub_app{clauses}"
            )
    for table in HELPER_READS:
        if table in PERSONAL:
            op.execute(
                f"CREATE POLICY helper_read ON {table} FOR SELECT TO safehub_access USING (true)"
            )


def upgrade() -> None:
    _create_tables()
    _create_functions()
    _enable_rls()


def downgrade() -> None:
    for table in PERSONAL:
        for command in _POLICIES[table]:
            op.execute(f"DROP POLICY app_{command.lower()} ON {table}")
        if table in HELPER_READS:
            op.execute(f"DROP POLICY helper_read ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION safehub_sealed_holders(bigint)")
    for signature in reversed(list(_HELPERS)):
        op.execute(f"DROP FUNCTION {signature}")
    for name in ("system", "user", "agency", "role", "identifiable"):
        op.execute(f"DROP FUNCTION safehub_ctx_{name}()")
    for index, table in (
        ("ix_rls_agency_person_agency", "agency_person"),
        ("ix_rls_agency_record_agency", "agency_record"),
        ("ix_rls_case_agency_agency", "case_agency"),
        ("ix_rls_safeguarding_case_lead", "safeguarding_case"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "break_glass_grant",
        "disclosure_request",
        "sharing_contact",
        "sharing_agreement",
    ):
        op.drop_table(table)
