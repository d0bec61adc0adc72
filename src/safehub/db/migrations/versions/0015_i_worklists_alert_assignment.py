"""Who in the agency is working an alert: an alert can be assigned to a person. And how many
records each agency holds about a person that the user may not read, so that a person's page
can say "2 more records held by West Yorkshire Police are not open to you".

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Like safehub_sealed_holders (0004): counts of current, unrestricted records per agency that
# the user cannot read, only for a person the user may see; never their content.
_SEALED_COUNTS = """
CREATE FUNCTION safehub_sealed_record_counts(p bigint) RETURNS TABLE (agency_id integer, records bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT ap.agency_id, count(DISTINCT m.record_id) FROM public.agency_person ap
  JOIN public.person_mention m ON m.agency_person_id = ap.id AND m.current
  WHERE ap.person_id = p AND NOT ap.restricted AND public.safehub_can_see_person(p)
    AND NOT public.safehub_can_read_mention(ap.id, m.record_id)
  GROUP BY ap.agency_id
$$;
"""
_SIGNATURE = "safehub_sealed_record_counts(p bigint)"


def upgrade() -> None:
    op.execute(_SEALED_COUNTS)
    op.execute(f"ALTER FUNCTION {_SIGNATURE} OWNER TO safehub_access")
    op.execute(f"REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO safehub_app")
    op.add_column("alert", sa.Column("assigned_user_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_alert_assigned_user_id_app_user"),
        "alert",
        "app_user",
        ["assigned_user_id"],
        ["id"],
    )
    op.create_index(op.f("ix_alert_assigned_user_id"), "alert", ["assigned_user_id"])


def downgrade() -> None:
    op.execute("DROP FUNCTION safehub_sealed_record_counts(bigint)")
    op.drop_index(op.f("ix_alert_assigned_user_id"), table_name="alert")
    op.drop_constraint(op.f("fk_alert_assigned_user_id_app_user"), "alert", type_="foreignkey")
    op.drop_column("alert", "assigned_user_id")
