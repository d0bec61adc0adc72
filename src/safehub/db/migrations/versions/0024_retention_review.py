"""Retention by review, and a referral's idempotency key (``safehub.db.models.retention``).

- ``referral.idempotency_key``: the API's ``Idempotency-Key`` header, unique per referrer, so
  that a client retrying a POST whose answer it lost (a killed worker, a dropped connection)
  finds the referral it sent instead of sending it twice.
- ``retention_class``: classes of record and their review periods, as data. Every signed-in
  user reads them; only the data protection officer (or the system) changes an editable one.
- ``retention_review``: records that reached their review date. The system (the review job)
  inserts them; the data protection officer and the system read them. Nobody updates one
  directly: a decision goes through ``safehub_retention_decide``.
- ``retention_tombstone``: what an erasure removed. Written only by ``safehub_retention_decide``.

``safehub_retention_decide(review, outcome, reason, next_review)`` is the only way a record is
anonymised or erased: a SECURITY DEFINER function owned by the NOLOGIN role
``safehub_retention``, which refuses anyone but the data protection officer's context or the
system, refuses a review that is not waiting for a decision, refuses an erasure or an
anonymisation without a reason, and does the whole change (and the tombstone) in one statement's
transaction. The application role still has no DELETE on any case table.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER = "safehub_retention"
SYS = "public.safehub_ctx_system()"
DPO = f"({SYS} OR public.safehub_ctx_role() = 'data_protection_officer')"

# What the function reads, changes or removes; its role gets a policy on each (they have
# forced row-level security) and only the privileges it uses.
_TOUCHES: dict[str, str] = {
    "referral": "SELECT, UPDATE, DELETE",
    "referral_language_check": "SELECT, UPDATE, DELETE",
    "safeguarding_case": "SELECT, UPDATE, DELETE",
    "case_child": "SELECT, DELETE",
    "case_agency": "SELECT, DELETE",
    "case_member": "SELECT, DELETE",
    "case_note": "SELECT, UPDATE, DELETE",
    "note_language_check": "SELECT, UPDATE, DELETE",
    "case_decision": "SELECT, UPDATE, DELETE",
    "clock": "SELECT, UPDATE, DELETE",
    "notification": "SELECT, DELETE",
    "meeting": "SELECT, UPDATE, DELETE",
    "meeting_invitee": "SELECT, DELETE",
    "meeting_action": "SELECT, UPDATE, DELETE",
    "break_glass_grant": "SELECT, DELETE",
    "alert": "SELECT, UPDATE",
    "retention_review": "SELECT, UPDATE",
    "retention_tombstone": "SELECT, INSERT",
}

# Review periods. Sources are stated so that the data protection officer can check them.
_CLASSES = [
    {
        "code": "csa_case",
        "name": "Case record about child sexual abuse or exploitation",
        "record_kind": "case",
        "years": 75,
        "counted_from": "the last entry on the case (opened, note, decision, meeting, referral)",
        "source": (
            "Independent Inquiry into Child Sexual Abuse, final report (October 2022): records "
            "of allegations of child sexual abuse to be kept for 75 years"
        ),
        "editable": False,
        "sort_order": 1,
    },
    {
        "code": "csa_referral",
        "name": "Referral without a case (an allegation not yet decided, or decided elsewhere)",
        "record_kind": "referral",
        "years": 75,
        "counted_from": "the day the referral was received",
        "source": (
            "Independent Inquiry into Child Sexual Abuse, final report (October 2022): records "
            "of allegations of child sexual abuse to be kept for 75 years"
        ),
        "editable": False,
        "sort_order": 2,
    },
    {
        "code": "referral_nfa",
        "name": "Referral closed with no further action",
        "record_kind": "referral",
        "years": 6,
        "counted_from": "the day the referral was closed (its last clock stopped), or received",
        "source": (
            "A partnership setting: no national period applies. 6 years is a starting value for "
            "the data protection officer to confirm or change"
        ),
        "editable": True,
        "sort_order": 3,
    },
]

_DECIDE = r"""
CREATE FUNCTION safehub_retention_decide(
  p_review bigint, p_outcome text, p_why text, p_next date
) RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  r public.retention_review;
  uid bigint := nullif(current_setting('safehub.user_id', true), '')::bigint;
  who text := coalesce(nullif(current_setting('safehub.actor', true), ''), 'unknown');
  placeholder text := 'Removed when the record was anonymised on '
                      || to_char(current_date, 'YYYY-MM-DD') || '.';
  cases bigint[] := '{}';
  refs bigint[] := '{}';
  notes bigint[];
  clocks bigint[];
  meetings bigint[];
  counts jsonb := '{}';
  n bigint;
BEGIN
  IF NOT (public.safehub_ctx_system()
          OR public.safehub_ctx_role() = 'data_protection_officer') THEN
    RAISE EXCEPTION 'only the data protection officer decides a retention review'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO r FROM public.retention_review WHERE id = p_review FOR UPDATE;
  IF NOT FOUND OR r.status <> 'due' THEN
    RAISE EXCEPTION 'retention review % is not waiting for a decision', p_review
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF p_outcome NOT IN ('keep', 'anonymise', 'erase') THEN
    RAISE EXCEPTION 'unknown retention outcome %', p_outcome USING ERRCODE = 'check_violation';
  END IF;
  IF p_outcome = 'keep' THEN
    IF p_next IS NULL OR p_next <= current_date THEN
      RAISE EXCEPTION 'a kept record needs a review date in the future'
        USING ERRCODE = 'check_violation';
    END IF;
    UPDATE public.retention_review SET status = 'kept', decided_at = now(),
      decided_by_user_id = uid, decided_by = who, reason = nullif(btrim(p_why), ''),
      next_review_on = p_next
    WHERE id = p_review;
    RETURN counts;
  END IF;
  IF coalesce(btrim(p_why), '') = '' THEN
    RAISE EXCEPTION 'say why the record is %', p_outcome USING ERRCODE = 'check_violation';
  END IF;
  IF r.record_kind = 'case' THEN
    cases := ARRAY[r.record_id];
    refs := ARRAY(SELECT id FROM public.referral WHERE case_id = r.record_id);
  ELSE
    IF EXISTS (SELECT 1 FROM public.referral WHERE id = r.record_id AND case_id IS NOT NULL) THEN
      RAISE EXCEPTION 'referral % belongs to a case now: it is reviewed with the case',
        r.record_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    refs := ARRAY[r.record_id];
  END IF;
  notes := ARRAY(SELECT id FROM public.case_note WHERE case_id = ANY(cases));
  clocks := ARRAY(SELECT id FROM public.clock WHERE case_id = ANY(cases) OR referral_id = ANY(refs));
  meetings := ARRAY(SELECT id FROM public.meeting WHERE case_id = ANY(cases));

  IF p_outcome = 'anonymise' THEN
    -- Personal details go; the facts stay: dates, kinds, agencies, statuses, counts.
    UPDATE public.referral SET child_given_names = 'Anonymised', child_family_name = 'Anonymised',
      child_date_of_birth = NULL, child_person_id = NULL, concern = placeholder
    WHERE id = ANY(refs);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('referral', n);
    UPDATE public.referral_language_check SET flags = '[]', reason = NULL
    WHERE referral_id = ANY(refs);
    UPDATE public.safeguarding_case SET title = 'Anonymised case' WHERE id = ANY(cases);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('safeguarding_case', n);
    DELETE FROM public.case_child WHERE case_id = ANY(cases);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_child', n);
    UPDATE public.case_note SET body = placeholder WHERE id = ANY(notes);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_note', n);
    UPDATE public.note_language_check SET flags = '[]', reason = NULL WHERE note_id = ANY(notes);
    UPDATE public.case_decision SET reasons = placeholder WHERE case_id = ANY(cases);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_decision', n);
    UPDATE public.meeting SET
      information_shared = CASE WHEN information_shared IS NULL THEN NULL ELSE placeholder END,
      decisions = CASE WHEN decisions IS NULL THEN NULL ELSE placeholder END,
      language_flags = NULL, language_reason = NULL
    WHERE id = ANY(meetings);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('meeting', n);
    UPDATE public.meeting_action SET description = placeholder,
      outcome = CASE WHEN outcome IS NULL THEN NULL ELSE placeholder END
    WHERE meeting_id = ANY(meetings) OR case_id = ANY(cases);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('meeting_action', n);
    UPDATE public.clock SET person_id = NULL,
      overrun_reason = CASE WHEN overrun_reason IS NULL THEN NULL ELSE placeholder END,
      overrun_language_flags = NULL, overrun_language_reason = NULL
    WHERE id = ANY(clocks);
    UPDATE public.retention_review SET status = 'anonymised', decided_at = now(),
      decided_by_user_id = uid, decided_by = who, reason = btrim(p_why)
    WHERE id = p_review;
    RETURN counts;
  END IF;

  -- Erasure: dependants first, in one transaction; the tombstone says what went.
  DELETE FROM public.notification WHERE clock_id = ANY(clocks);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('notification', n);
  DELETE FROM public.meeting_action
  WHERE meeting_id = ANY(meetings) OR case_id = ANY(cases) OR clock_id = ANY(clocks);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('meeting_action', n);
  DELETE FROM public.meeting_invitee WHERE meeting_id = ANY(meetings);
  DELETE FROM public.meeting WHERE id = ANY(meetings);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('meeting', n);
  DELETE FROM public.clock WHERE id = ANY(clocks);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('clock', n);
  DELETE FROM public.referral_language_check WHERE referral_id = ANY(refs);
  DELETE FROM public.referral WHERE id = ANY(refs);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('referral', n);
  DELETE FROM public.note_language_check WHERE note_id = ANY(notes);
  DELETE FROM public.case_note WHERE id = ANY(notes);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_note', n);
  DELETE FROM public.case_decision WHERE case_id = ANY(cases);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_decision', n);
  DELETE FROM public.case_child WHERE case_id = ANY(cases);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('case_child', n);
  DELETE FROM public.case_agency WHERE case_id = ANY(cases);
  DELETE FROM public.case_member WHERE case_id = ANY(cases);
  DELETE FROM public.break_glass_grant WHERE case_id = ANY(cases);
  -- An alert is about people, not the case: it stays, no longer pointing at the case.
  UPDATE public.alert SET case_id = NULL WHERE case_id = ANY(cases);
  DELETE FROM public.safeguarding_case WHERE id = ANY(cases);
  GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('safeguarding_case', n);
  UPDATE public.retention_review SET status = 'erased', decided_at = now(),
    decided_by_user_id = uid, decided_by = who, reason = btrim(p_why)
  WHERE id = p_review;
  INSERT INTO public.retention_tombstone (review_id, record_kind, record_id, record_ref,
    class_code, erased, erased_by_user_id, erased_by, reason)
  VALUES (p_review, r.record_kind, r.record_id, r.record_ref, r.class_code, counts, uid, who,
    btrim(p_why));
  RETURN counts;
END $$;
"""


def upgrade() -> None:
    _idempotency_key()
    _tables()
    _seed_classes()
    _policies()
    _function()


def _idempotency_key() -> None:
    op.add_column("referral", sa.Column("idempotency_key", sa.String(length=100), nullable=True))
    op.create_unique_constraint(
        "uq_referral_idempotency", "referral", ["referred_by_user_id", "idempotency_key"]
    )


def _tables() -> None:
    op.create_table(
        "retention_class",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("record_kind", sa.String(length=10), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("counted_from", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editable", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.CheckConstraint("record_kind IN ('case', 'referral')", name="kind_known"),
        sa.CheckConstraint("years BETWEEN 1 AND 150", name="years_sensible"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_retention_class")),
    )
    op.create_table(
        "retention_review",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("record_kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("record_ref", sa.String(length=40), nullable=False),
        sa.Column("class_code", sa.String(length=40), nullable=False),
        sa.Column("last_entry_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "found_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("found_by_run_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.CheckConstraint("record_kind IN ('case', 'referral')", name="kind_known"),
        sa.CheckConstraint(
            "status IN ('due', 'kept', 'anonymised', 'erased')", name="status_known"
        ),
        sa.CheckConstraint("status <> 'kept' OR next_review_on IS NOT NULL", name="kept_has_date"),
        sa.CheckConstraint(
            "status NOT IN ('anonymised', 'erased') OR length(trim(reason)) > 0",
            name="removal_has_reason",
        ),
        sa.CheckConstraint("(status = 'due') = (decided_at IS NULL)", name="decided_unless_due"),
        sa.ForeignKeyConstraint(
            ["class_code"],
            ["retention_class.code"],
            name=op.f("fk_retention_review_class_code_retention_class"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_retention_review_decided_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_review")),
    )
    op.create_index(
        op.f("ix_retention_review_class_code"), "retention_review", ["class_code"], unique=False
    )
    op.create_index(op.f("ix_retention_review_due_on"), "retention_review", ["due_on"])
    op.create_index(
        "ux_retention_review_open",
        "retention_review",
        ["record_kind", "record_id"],
        unique=True,
        postgresql_where=sa.text("status = 'due'"),
    )
    op.create_table(
        "retention_tombstone",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("review_id", sa.BigInteger(), nullable=False),
        sa.Column("record_kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("record_ref", sa.String(length=40), nullable=False),
        sa.Column("class_code", sa.String(length=40), nullable=False),
        sa.Column("erased", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "erased_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("erased_by_user_id", sa.Integer(), nullable=True),
        sa.Column("erased_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_code"],
            ["retention_class.code"],
            name=op.f("fk_retention_tombstone_class_code_retention_class"),
        ),
        sa.ForeignKeyConstraint(
            ["erased_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_retention_tombstone_erased_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["retention_review.id"],
            name=op.f("fk_retention_tombstone_review_id_retention_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_tombstone")),
        sa.UniqueConstraint("review_id", name=op.f("uq_retention_tombstone_review_id")),
    )


def _seed_classes() -> None:
    table = sa.table(
        "retention_class",
        *(
            sa.column(name)
            for name in (
                "code",
                "name",
                "record_kind",
                "years",
                "counted_from",
                "source",
                "editable",
                "sort_order",
            )
        ),
    )
    op.bulk_insert(table, _CLASSES)


def _policies() -> None:
    tables = ("retention_class", "retention_review", "retention_tombstone")
    for table in tables:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC, safehub_public, safehub_oversight")
    # Classes: everyone signed in reads them; the DPO changes an editable one's period.
    op.execute("REVOKE INSERT, UPDATE, DELETE ON retention_class FROM safehub_app")
    op.execute("GRANT SELECT ON retention_class TO safehub_app")
    op.execute("GRANT UPDATE (years, updated_at, updated_by) ON retention_class TO safehub_app")
    op.execute("CREATE POLICY app_select ON retention_class FOR SELECT TO safehub_app USING (true)")
    op.execute(
        "CREATE POLICY app_update ON retention_class FOR UPDATE TO safehub_app "
        f"USING (editable AND {DPO}) WITH CHECK (editable AND {DPO})"
    )
    # Reviews: the job inserts them; the DPO reads them; decisions only through the function.
    op.execute("REVOKE UPDATE, DELETE ON retention_review FROM safehub_app")
    op.execute("GRANT SELECT, INSERT ON retention_review TO safehub_app")
    op.execute("GRANT USAGE ON SEQUENCE retention_review_id_seq TO safehub_app")
    op.execute(
        f"CREATE POLICY app_select ON retention_review FOR SELECT TO safehub_app USING ({DPO})"
    )
    op.execute(
        "CREATE POLICY app_insert ON retention_review FOR INSERT TO safehub_app "
        f"WITH CHECK ({SYS} AND status = 'due')"
    )
    op.execute("REVOKE INSERT, UPDATE, DELETE ON retention_tombstone FROM safehub_app")
    op.execute("GRANT SELECT ON retention_tombstone TO safehub_app")
    op.execute(
        f"CREATE POLICY app_select ON retention_tombstone FOR SELECT TO safehub_app USING ({DPO})"
    )


def _function() -> None:
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
    for table, privileges in _TOUCHES.items():
        op.execute(f"GRANT {privileges} ON {table} TO {OWNER}")
        op.execute(f"CREATE POLICY retention_all ON {table} TO {OWNER} USING (true)")
    op.execute(f"GRANT USAGE ON SEQUENCE retention_tombstone_id_seq TO {OWNER}")
    op.execute(_DECIDE)
    signature = "safehub_retention_decide(bigint, text, text, date)"
    op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
    op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO safehub_app")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS safehub_retention_decide(bigint, text, text, date)")
    for table in _TOUCHES:
        if table not in ("retention_review", "retention_tombstone"):
            op.execute(f"DROP POLICY IF EXISTS retention_all ON {table}")
            op.execute(f"REVOKE ALL ON {table} FROM {OWNER}")
    op.drop_table("retention_tombstone")
    op.drop_table("retention_review")
    op.drop_table("retention_class")
    op.drop_constraint("uq_referral_idempotency", "referral", type_="unique")
    op.drop_column("referral", "idempotency_key")
