"""Triage of community reports: whom a report names, who is working on it, and what it became.

- ``subject_name`` and ``subject_age``: the name and the age or date of birth of the person the
  reporter is worried about, if they know them (the public form's identifiers question), so that
  a name with a date of birth or an age can be matched against what agencies hold.
- ``assigned_to_user_id`` and ``assigned_at``: the colleague a safeguarding lead gave it to.
- an index on ``agency_record.location_postcode``: a report's place is matched against the
  places of records.
- ``converted_kind``, ``converted_id``, ``converted_ref`` and ``converted_at``: the referral,
  case note or shared-record entry the report became; the status is then ``converted``.

Staff (``safehub_app``) may update these columns only, under the update policy of ``0019``
(safeguarding leads); what the reporter said stays unwritable. A new report from the public app
(``safehub_public``) must arrive unassigned and unconverted: it cannot pretend the hub acted.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAFF_COLUMNS = (
    "assigned_to_user_id",
    "assigned_at",
    "converted_kind",
    "converted_id",
    "converted_ref",
    "converted_at",
)
_FRESH = (
    "status = 'received' AND assigned_to_user_id IS NULL AND assigned_at IS NULL "
    "AND converted_kind IS NULL AND converted_id IS NULL AND converted_ref IS NULL "
    "AND converted_at IS NULL"
)


def upgrade() -> None:
    table = "community_report"
    op.add_column(table, sa.Column("subject_name", sa.String(length=100), nullable=True))
    op.add_column(table, sa.Column("subject_age", sa.String(length=20), nullable=True))
    op.add_column(table, sa.Column("assigned_to_user_id", sa.Integer(), nullable=True))
    op.add_column(table, sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(table, sa.Column("converted_kind", sa.String(length=12), nullable=True))
    op.add_column(table, sa.Column("converted_id", sa.BigInteger(), nullable=True))
    op.add_column(table, sa.Column("converted_ref", sa.String(length=40), nullable=True))
    op.add_column(table, sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_community_report_assigned_to_user_id_app_user"),
        table,
        "app_user",
        ["assigned_to_user_id"],
        ["id"],
    )
    op.create_index(op.f("ix_community_report_assigned_to_user_id"), table, ["assigned_to_user_id"])
    # A report's place is matched against the places of records.
    op.create_index(
        op.f("ix_agency_record_location_postcode"), "agency_record", ["location_postcode"]
    )
    op.drop_constraint(op.f("ck_community_report_status_known"), table, type_="check")
    op.create_check_constraint(
        op.f("ck_community_report_status_known"),
        table,
        "status IN ('received', 'in_review', 'closed', 'converted')",
    )
    op.create_check_constraint(
        op.f("ck_community_report_converted_kind_known"),
        table,
        "converted_kind IN ('record', 'referral', 'case_note')",
    )
    # A converted report says what it became; nothing else is "converted".
    op.create_check_constraint(
        op.f("ck_community_report_converted_whole"),
        table,
        "(status = 'converted') = (converted_kind IS NOT NULL AND converted_ref IS NOT NULL)",
    )
    op.execute(f"GRANT UPDATE ({', '.join(_STAFF_COLUMNS)}) ON {table} TO safehub_app")
    op.execute(f"DROP POLICY public_insert ON {table}")
    op.execute(
        f"CREATE POLICY public_insert ON {table} FOR INSERT TO safehub_public WITH CHECK ({_FRESH})"
    )


def downgrade() -> None:
    table = "community_report"
    op.execute(f"DROP POLICY public_insert ON {table}")
    op.execute(
        f"CREATE POLICY public_insert ON {table} FOR INSERT TO safehub_public "
        "WITH CHECK (status = 'received')"
    )
    op.execute(f"REVOKE UPDATE ({', '.join(_STAFF_COLUMNS)}) ON {table} FROM safehub_app")
    op.drop_constraint(op.f("ck_community_report_converted_whole"), table, type_="check")
    op.drop_constraint(op.f("ck_community_report_converted_kind_known"), table, type_="check")
    op.execute(f"UPDATE {table} SET status = 'in_review' WHERE status = 'converted'")
    op.drop_constraint(op.f("ck_community_report_status_known"), table, type_="check")
    op.create_check_constraint(
        op.f("ck_community_report_status_known"),
        table,
        "status IN ('received', 'in_review', 'closed')",
    )
    op.drop_index(op.f("ix_community_report_assigned_to_user_id"), table_name=table)
    op.drop_index(op.f("ix_agency_record_location_postcode"), table_name="agency_record")
    op.drop_constraint(
        op.f("fk_community_report_assigned_to_user_id_app_user"), table, type_="foreignkey"
    )
    for column in (*reversed(_STAFF_COLUMNS), "subject_age", "subject_name"):
        op.drop_column(table, column)
