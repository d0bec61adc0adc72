"""Community reports: a retention period with review, and their matches stored.

- ``retention_class`` ``community_report`` (record kind ``community``): a community report that
  was not converted (not added to the shared record, not made a referral or a case note) is
  reviewed **2 years** after its last message (or its receipt, or its assignment, whichever is
  latest). A partnership setting the data protection officer may change (``editable``).

  Why 2 years: UK GDPR Art. 5(1)(e) (storage limitation) says personal data is kept no longer
  than the purpose needs. A report that no agency acted on names people (the person the reporter
  worries about, sometimes the reporter) on the word of one member of the public. It stays useful
  while a later report about the same person, place or vehicle may corroborate it, and a
  reporter may come back with more (they are told a period); two years covers a school year
  cycle and the time from a first concern to a pattern that safeguarding leads see in practice,
  without keeping untested allegations for decades. It is a review, not an automatic deletion:
  the data protection officer keeps, anonymises or erases each one (audited; an erasure leaves a
  tombstone). A report that became a referral, a case note or a shared-record entry follows that
  record's own class (75 years for an allegation of child sexual abuse) and is not reviewed on
  its own.
- ``safehub_retention_decide`` (migration 0024) learns the ``community`` kind: anonymising
  replaces what was seen, the identifiers, the names, the contact and the messages' text (the
  facts stay: what it was about, urgency, signs, the dates, the status); erasing removes the
  report, its messages and its stored matches and writes the tombstone. Its role
  ``safehub_retention`` gets exactly the privileges that needs on the community tables.
- ``safehub_public`` may read the period of this one class, so that the public privacy notice
  states the period the partnership has set rather than one written into the page.
- ``community_report_match``: the matches of a report's identifiers against what agencies hold
  (``services.community.stored_matches``), stored by the match job (system) and read by the
  triage pages (safeguarding leads, under the same row-level security as the reports). Evidence
  only, never a record's content: which identifier matched which kind of holding, which
  agencies hold it (whom to contact), how many people, whether one is an adult of concern, their
  network groups, and the (person, agency) pairs, so that only a lead of the holding agency is
  offered a person's page.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER = "safehub_retention"
LEADS = "('mash_triage', 'team_manager', 'head_of_service')"
STAFF = f"safehub_ctx_system() OR (safehub_ctx_role() IN {LEADS})"
KINDS_BEFORE = "record_kind IN ('case', 'referral')"
KINDS_NOW = "record_kind IN ('case', 'referral', 'community')"

_TOUCHES: dict[str, str] = {
    "community_report": "SELECT, UPDATE, DELETE",
    "community_report_message": "SELECT, UPDATE, DELETE",
    "community_report_match": "SELECT, DELETE",
}

_CLASS = {
    "code": "community_report",
    "name": "Community report not added to the shared record",
    "record_kind": "community",
    "years": 2,
    "counted_from": "the last message on the report, or the day it was received or assigned",
    "source": (
        "A partnership setting under UK GDPR Art. 5(1)(e) (kept no longer than needed): 2 years "
        "lets a later report corroborate it and the reporter come back, without keeping an "
        "untested allegation for decades. A report that became a referral, case note or "
        "shared-record entry follows that record's class instead"
    ),
    "editable": True,
    "sort_order": 4,
}

# Inserted into 0024's function before its case and referral handling.
_COMMUNITY = r"""
  IF r.record_kind = 'community' THEN
    IF EXISTS (SELECT 1 FROM public.community_report
               WHERE id = r.record_id AND status = 'converted') THEN
      RAISE EXCEPTION 'community report % became part of the record: it is reviewed with it',
        r.record_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF p_outcome = 'anonymise' THEN
      -- What names anyone goes (the subject, the reporter, the identifiers, the words); the
      -- facts stay: what it was about, urgency, signs, dates, status.
      UPDATE public.community_report SET what_seen = placeholder, place_postcode = NULL,
        place_description = NULL, vehicle_registration = NULL, phone = NULL,
        online_handle = NULL, other_identifier = NULL, subject_name = NULL, subject_age = NULL,
        reporter_name = NULL, reporter_contact = NULL, share_exact = false
      WHERE id = r.record_id;
      GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('community_report', n);
      UPDATE public.community_report_message SET body = placeholder, language_flags = NULL,
        language_reason = NULL
      WHERE report_id = r.record_id;
      GET DIAGNOSTICS n = ROW_COUNT;
      counts := counts || jsonb_build_object('community_report_message', n);
      DELETE FROM public.community_report_match WHERE report_id = r.record_id;
      UPDATE public.retention_review SET status = 'anonymised', decided_at = now(),
        decided_by_user_id = uid, decided_by = who, reason = btrim(p_why)
      WHERE id = p_review;
      RETURN counts;
    END IF;
    DELETE FROM public.community_report_match WHERE report_id = r.record_id;
    DELETE FROM public.community_report_message WHERE report_id = r.record_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    counts := counts || jsonb_build_object('community_report_message', n);
    DELETE FROM public.community_report WHERE id = r.record_id;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('community_report', n);
    UPDATE public.retention_review SET status = 'erased', decided_at = now(),
      decided_by_user_id = uid, decided_by = who, reason = btrim(p_why)
    WHERE id = p_review;
    INSERT INTO public.retention_tombstone (review_id, record_kind, record_id, record_ref,
      class_code, erased, erased_by_user_id, erased_by, reason)
    VALUES (p_review, r.record_kind, r.record_id, r.record_ref, r.class_code, counts, uid, who,
      btrim(p_why));
    RETURN counts;
  END IF;
"""
_ANCHOR = "  IF r.record_kind = 'case' THEN\n"
_SIGNATURE = "safehub_retention_decide(bigint, text, text, date)"


def _decide_0024() -> str:
    """0024's function text: the function is written once, and this revision adds a branch."""
    path = Path(__file__).with_name("0024_retention_review.py")
    spec = importlib.util.spec_from_file_location("safehub_migration_0024", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module._DECIDE).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def _decide_now() -> str:
    before = _decide_0024()
    if before.count(_ANCHOR) != 1:
        raise RuntimeError("0024's retention function changed: place the community branch again")
    return before.replace(_ANCHOR, _COMMUNITY + _ANCHOR, 1)


def upgrade() -> None:
    _matches()
    _retention()


def _matches() -> None:
    op.create_table(
        "community_report_match",
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["community_report.id"],
            name=op.f("fk_community_report_match_report_id_community_report"),
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_community_report_match")),
    )
    op.create_index(
        op.f("ix_community_report_match_matched_at"), "community_report_match", ["matched_at"]
    )
    table = "community_report_match"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON {table} FROM PUBLIC, safehub_public, safehub_oversight")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO safehub_app")
    op.execute(f"CREATE POLICY app_select ON {table} FOR SELECT TO safehub_app USING ({STAFF})")
    # Only the match job (the system) writes matches: a lead cannot make evidence up.
    op.execute(
        f"CREATE POLICY app_insert ON {table} FOR INSERT TO safehub_app "
        "WITH CHECK (safehub_ctx_system())"
    )
    op.execute(
        f"CREATE POLICY app_update ON {table} FOR UPDATE TO safehub_app "
        "USING (safehub_ctx_system()) WITH CHECK (safehub_ctx_system())"
    )


def _retention() -> None:
    for table in ("retention_class", "retention_review"):
        op.drop_constraint(op.f(f"ck_{table}_kind_known"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_kind_known"), table, KINDS_NOW)
    classes = sa.table("retention_class", *(sa.column(name) for name in _CLASS))
    op.bulk_insert(classes, [_CLASS])
    for table, privileges in _TOUCHES.items():
        op.execute(f"GRANT {privileges} ON {table} TO {OWNER}")
        op.execute(f"CREATE POLICY retention_all ON {table} TO {OWNER} USING (true)")
    op.execute(_decide_now())
    op.execute(f"ALTER FUNCTION {_SIGNATURE} OWNER TO {OWNER}")
    # The public privacy notice states this class's period, whatever the DPO sets it to.
    op.execute("GRANT SELECT (code, years) ON retention_class TO safehub_public")
    op.execute(
        "CREATE POLICY public_select ON retention_class FOR SELECT TO safehub_public "
        "USING (code = 'community_report')"
    )


def downgrade() -> None:
    op.execute("DROP POLICY public_select ON retention_class")
    op.execute("REVOKE SELECT (code, years) ON retention_class FROM safehub_public")
    op.execute(_decide_0024())
    op.execute(f"ALTER FUNCTION {_SIGNATURE} OWNER TO {OWNER}")
    for table in _TOUCHES:
        op.execute(f"DROP POLICY retention_all ON {table}")
        op.execute(f"REVOKE ALL ON {table} FROM {OWNER}")
    # Reviews already opened or decided for community reports are records of decisions: they
    # are never dropped by a downgrade, which refuses instead.
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM retention_review WHERE record_kind = 'community') "
        "THEN RAISE EXCEPTION 'community reports have retention reviews: downgrade refused'; "
        "END IF; END $$"
    )
    op.execute("DELETE FROM retention_class WHERE code = 'community_report'")
    for table in ("retention_class", "retention_review"):
        op.drop_constraint(op.f(f"ck_{table}_kind_known"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_kind_known"), table, KINDS_BEFORE)
    op.drop_index(op.f("ix_community_report_match_matched_at"), table_name="community_report_match")
    op.drop_table("community_report_match")
