"""Row-level security with no gaps: identity tables, meeting invitees, contacts, training; and
the application role can no longer change a user's agency or role.

- ``identity_candidate``, ``identity_block_key`` and ``match_pair`` were readable by every user of
  an identifiable role (names, dates of birth and identifiers of every agency's people). Now a
  user reads a row only for an agency person they may see, by the same predicate as the
  ``agency_person`` policy, which this migration moves into one function that both use. A pair
  needs both of its sides. The services that search the whole index (the intake check, the
  review queue) already do so as a system step.
- ``meeting_invitee``: seen by those who may see the meeting (a helper, so that the ``meeting``
  policy, which looks at invitees, and this one do not recurse through each other).
- ``sharing_contact``: read by staff of identifiable roles (whom to contact about a sealed
  envelope), changed only by the agency itself or the system.
- ``training_record``: staff of the trainee's agency.
- ``app_user``: the application may update everything but ``id``, ``username``, ``agency_id`` and
  ``role``. A change of agency or role goes through ``safehub_reassign_user``, a SECURITY DEFINER
  function owned by the schema owner that only a system actor or an administrator's context may
  call, that refuses an unknown role, and that a use case audits.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYS = "safehub_ctx_system()"
SEES = "safehub_ctx_identifiable()"
MY_AGENCY = "safehub_ctx_agency()"

# Every role a user may hold (safehub.access.policy.ROLES; a test keeps them equal).
ROLES = (
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
    "oversight_inspector",
)

# The one statement of "may this user see this agency person": their own agency's, or an
# unrestricted one of a person they may see. Plain SQL (no SECURITY DEFINER, no SET), so that
# the planner inlines it into the agency_person policy as before.
_AGENCY_PERSON_VISIBLE = """
CREATE FUNCTION safehub_agency_person_visible(owner integer, restricted boolean, p bigint)
  RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT public.safehub_ctx_identifiable() AND (owner = public.safehub_ctx_agency()
       OR (NOT restricted AND public.safehub_can_see_person(p))) $$;
"""

# The same predicate by id, for the tables that point at an agency person.
_HELPERS = {
    "safehub_can_see_agency_person(ap_id bigint)": """
      SELECT EXISTS (SELECT 1 FROM public.agency_person ap WHERE ap.id = ap_id
                     AND public.safehub_agency_person_visible(ap.agency_id, ap.restricted,
                                                             ap.person_id))""",
    "safehub_can_see_meeting(mid bigint)": """
      SELECT public.safehub_ctx_identifiable() AND EXISTS (
        SELECT 1 FROM public.meeting m WHERE m.id = mid AND (
          m.organising_agency_id = public.safehub_ctx_agency()
          OR public.safehub_can_see_case(m.case_id)
          OR EXISTS (SELECT 1 FROM public.meeting_invitee i WHERE i.meeting_id = mid
                     AND i.agency_id = public.safehub_ctx_agency())))""",
}

_AP = "safehub_can_see_agency_person"
_MEETING = f"{SYS} OR safehub_can_see_meeting(meeting_id)"
_TRAINING = (
    f"{SYS} OR EXISTS (SELECT 1 FROM app_user u WHERE u.id = user_id AND u.agency_id = {MY_AGENCY})"
)
_CONTACT_OWN = f"{SYS} OR ({SEES} AND agency_id = {MY_AGENCY})"

# table -> {command: (USING, WITH CHECK)}; replaces the SELECT policies of 0008 on identity.
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "identity_candidate": {"SELECT": (f"{SYS} OR (matchable AND {_AP}(agency_person_id))", None)},
    "identity_block_key": {"SELECT": (f"{SYS} OR {_AP}(agency_person_id)", None)},
    "match_pair": {
        "SELECT": (
            f"{SYS} OR ({_AP}(left_agency_person_id) AND {_AP}(right_agency_person_id))",
            None,
        )
    },
    "meeting_invitee": {
        "SELECT": (_MEETING, None),
        "INSERT": (None, _MEETING),
        "UPDATE": (_MEETING, _MEETING),
        "DELETE": (_MEETING, None),
    },
    "sharing_contact": {
        "SELECT": (f"{SYS} OR {SEES}", None),
        "INSERT": (None, _CONTACT_OWN),
        "UPDATE": (_CONTACT_OWN, _CONTACT_OWN),
    },
    "training_record": {
        "SELECT": (_TRAINING, None),
        "INSERT": (None, _TRAINING),
        "UPDATE": (_TRAINING, _TRAINING),
    },
}
_NEW_TABLES = ("meeting_invitee", "sharing_contact", "training_record")
_REPLACED = ("identity_candidate", "identity_block_key", "match_pair")

_APP_USER_FIXED = ("id", "username", "agency_id", "role")

_REASSIGN = f"""
CREATE FUNCTION safehub_reassign_user(target bigint, new_agency integer, new_role text)
  RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT (public.safehub_ctx_system() OR public.safehub_ctx_role() = 'administrator') THEN
    RAISE EXCEPTION 'only an administrator may change a user''s agency or role'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF new_role <> ALL (ARRAY[{", ".join(f"'{r}'" for r in ROLES)}]) THEN
    RAISE EXCEPTION 'unknown role %', new_role USING ERRCODE = 'check_violation';
  END IF;
  UPDATE public.app_user SET agency_id = new_agency, role = new_role WHERE id = target;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no user %', target USING ERRCODE = 'no_data_found';
  END IF;
END $$;
"""


def _policy(table: str, command: str, using: str | None, check: str | None) -> None:
    clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
    op.execute(
        f"CREATE POLICY app_{command.lower()} ON {table} FOR {command} TO safehub_app{clauses}"
    )


def _helpers() -> None:
    op.execute(_AGENCY_PERSON_VISIBLE)
    op.execute("GRANT SELECT ON meeting, meeting_invitee TO safehub_access")
    # The helpers read meetings as safehub_access; the meeting's own policy applies to the app.
    op.execute("CREATE POLICY helper_read ON meeting FOR SELECT TO safehub_access USING (true)")
    for signature, body in _HELPERS.items():
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
            f"SET search_path = pg_catalog AS $$ {body} $$"
        )
        op.execute(f"ALTER FUNCTION {signature} OWNER TO safehub_access")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO safehub_app")
    # agency_person keeps its meaning, now stated once.
    op.execute(
        f"ALTER POLICY app_select ON agency_person USING ({SYS} OR "
        "safehub_agency_person_visible(agency_id, restricted, person_id))"
    )


def _row_level_security() -> None:
    for table in _REPLACED:
        op.execute(f"DROP POLICY app_select ON {table}")
    for table in _NEW_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM safehub_oversight, PUBLIC")
    # The meeting helper reads invitees as safehub_access.
    op.execute(
        "CREATE POLICY helper_read ON meeting_invitee FOR SELECT TO safehub_access USING (true)"
    )
    for table, commands in _POLICIES.items():
        for command, (using, check) in commands.items():
            _policy(table, command, using, check)


def _app_user_columns() -> None:
    op.execute("REVOKE UPDATE ON app_user FROM safehub_app")
    # Every other column, whatever later migrations add before this one: read from the catalogue.
    op.execute(
        f"""
        DO $$ DECLARE cols text; BEGIN
          SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
          FROM pg_attribute WHERE attrelid = 'public.app_user'::regclass AND attnum > 0
            AND NOT attisdropped
            AND attname <> ALL (ARRAY[{", ".join(f"'{c}'" for c in _APP_USER_FIXED)}]);
          EXECUTE format('GRANT UPDATE (%s) ON public.app_user TO safehub_app', cols);
        END $$;
        """
    )
    op.execute(_REASSIGN)
    op.execute("REVOKE ALL ON FUNCTION safehub_reassign_user(bigint, integer, text) FROM PUBLIC")
    op.execute(
        "GRANT EXECUTE ON FUNCTION safehub_reassign_user(bigint, integer, text) TO safehub_app"
    )


def upgrade() -> None:
    _helpers()
    _row_level_security()
    _app_user_columns()


def downgrade() -> None:
    op.execute("DROP FUNCTION safehub_reassign_user(bigint, integer, text)")
    op.execute("REVOKE UPDATE ON app_user FROM safehub_app")
    op.execute("GRANT UPDATE ON app_user TO safehub_app")
    for table, commands in _POLICIES.items():
        for command in commands:
            op.execute(f"DROP POLICY app_{command.lower()} ON {table}")
    op.execute("DROP POLICY helper_read ON meeting_invitee")
    for table in _NEW_TABLES:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    _policy("identity_candidate", "SELECT", f"{SYS} OR ({SEES} AND matchable)", None)
    _policy("identity_block_key", "SELECT", f"{SYS} OR {SEES}", None)
    _policy("match_pair", "SELECT", f"{SYS} OR {SEES}", None)
    op.execute(
        f"ALTER POLICY app_select ON agency_person USING ({SYS} OR ({SEES} AND "
        f"(agency_id = {MY_AGENCY} OR (NOT restricted AND safehub_can_see_person(person_id)))))"
    )
    for signature in reversed(list(_HELPERS)):
        op.execute(f"DROP FUNCTION {signature}")
    op.execute("DROP POLICY helper_read ON meeting")
    op.execute("REVOKE SELECT ON meeting, meeting_invitee FROM safehub_access")
    op.execute("DROP FUNCTION safehub_agency_person_visible(integer, boolean, bigint)")
