"""The sealed envelope in the database: a sealed alert's content in its own row and policy.

Until now a sealed alert's row carried its title, reasons and evidence, and the ``alert`` policy
lets every user of the recipient agency read the whole row: only the templates kept it sealed.
Now what rests on another agency's records lives in ``alert_content`` (one row per sealed
alert), readable by the owning agency and by the recipient only once an agreement or a granted
disclosure covers every record it rests on (``safehub_alert_content_open``, which reuses
``safehub_shared`` from 0004: the same rule that opens the records themselves). The alert row
keeps its existence, kind, a title that says only the kind, whom to contact, and the decision.
Alerts that are not sealed keep their content in their row.

Existing sealed alerts are moved: the records they rest on are read back from their evidence
(the record and earlier records of a network alert, the offender record of a victim alert);
where none can be found the content opens only by a disclosure, never more widely than before.

Dedupe keys name the records an alert rests on (``network:…:POL-WY/CR-9:…``): they are stored as
their SHA-256 from now on, existing ones included, so that the alert row names no record.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYS = "safehub_ctx_system()"

# What a sealed alert's own row calls it: its kind in words (safehub.services.alerts.kinds, as
# of this revision). Anything else: "An alert resting on another agency's records".
_KIND_TITLES = {
    "network_child_linked": "A child linked to an adult already linked to other children",
    "network_child_risk": "A child at the centre of several adults of concern",
    "network_group": "A new record connected to a known group",
    "licence_holder": "A licence holder recorded in an exploitation record",
    "victim_treated_as_offender": "A child victim treated as an offender",
}
_OTHER_TITLE = "An alert resting on another agency's records"

# Plain SQL (no SECURITY DEFINER): it calls the definer helpers of 0004 and reads only its
# arguments. The recipient needs every record the content rests on shared with them; an empty
# list opens nothing (and the table refuses one).
_OPEN = """
CREATE FUNCTION safehub_alert_content_open(owner integer, target integer, p bigint, sources jsonb)
  RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT public.safehub_ctx_identifiable() AND (
    owner = public.safehub_ctx_agency()
    OR (target = public.safehub_ctx_agency()
        AND (p IS NULL OR public.safehub_person_known(p))
        AND jsonb_array_length(sources) > 0
        AND NOT EXISTS (
          SELECT 1 FROM jsonb_array_elements(sources) s
          WHERE NOT coalesce(public.safehub_shared((s ->> 'agency_id')::integer,
                                                   s ->> 'record_type', p), false))))
$$;
"""
_SIGNATURE = "safehub_alert_content_open(integer, integer, bigint, jsonb)"

# The records each sealed alert rests on, read back from its evidence.
_SOURCES = """
WITH found AS (
  SELECT al.id, coalesce(al.owning_agency_id, al.target_agency_id) AS agency_id,
         al.evidence ->> 'record_type' AS record_type
  FROM alert al WHERE al.sealed AND al.evidence ? 'record_type'
  UNION
  SELECT al.id, ag.id, r.record_type
  FROM alert al CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(al.evidence -> 'rests_on') = 'array'
         THEN al.evidence -> 'rests_on' ELSE '[]'::jsonb END) e
  JOIN agency ag ON ag.code = e ->> 0
  LEFT JOIN agency_record r ON r.agency_id = ag.id AND r.record_ref = e ->> 1
  WHERE al.sealed
  UNION
  SELECT al.id, r.agency_id, r.record_type
  FROM alert al JOIN agency_record r
    ON r.id = CAST(al.evidence ->> 'offender_record_id' AS bigint)
   AND r.agency_id = al.owning_agency_id
  WHERE al.sealed AND al.evidence ? 'offender_record_id'
)
SELECT id, jsonb_agg(jsonb_build_object('agency_id', agency_id, 'record_type', record_type)
                     ORDER BY agency_id, record_type) AS sources
FROM found GROUP BY id
"""


def _table() -> None:
    op.create_table(
        "alert_content",
        sa.Column("alert_id", sa.BigInteger(), nullable=False),
        sa.Column("owning_agency_id", sa.Integer(), nullable=False),
        sa.Column("target_agency_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("sources", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint(
            "jsonb_typeof(sources) = 'array' AND jsonb_array_length(sources) > 0",
            name=op.f("ck_alert_content_rests_on_records"),
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_content_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owning_agency_id"],
            ["agency.id"],
            name=op.f("fk_alert_content_owning_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["target_agency_id"],
            ["agency.id"],
            name=op.f("fk_alert_content_target_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_alert_content_person_id_person")
        ),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alert_content")),
    )
    op.create_index(
        op.f("ix_alert_content_owning_agency_id"), "alert_content", ["owning_agency_id"]
    )
    op.create_index(
        op.f("ix_alert_content_target_agency_id"), "alert_content", ["target_agency_id"]
    )


def _security() -> None:
    op.execute(_OPEN)
    op.execute(f"REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO safehub_app")
    op.execute("ALTER TABLE alert_content ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE alert_content FORCE ROW LEVEL SECURITY")
    op.execute("REVOKE ALL ON alert_content FROM safehub_oversight, PUBLIC")
    # Content is written once, with its alert, and never changed by the application.
    op.execute("GRANT SELECT, INSERT ON alert_content TO safehub_app")
    op.execute(
        "CREATE POLICY app_select ON alert_content FOR SELECT TO safehub_app USING "
        f"({SYS} OR safehub_alert_content_open(owning_agency_id, target_agency_id, person_id, "
        "sources))"
    )
    op.execute(
        f"CREATE POLICY app_insert ON alert_content FOR INSERT TO safehub_app WITH CHECK ({SYS})"
    )


def _neutral_title() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN '{title}'" for kind, title in _KIND_TITLES.items())
    return f"CASE kind {cases} ELSE '{_OTHER_TITLE.replace(chr(39), chr(39) * 2)}' END"


def _move_sealed_content() -> None:
    # The owner is subject to forced RLS (unless a superuser): lift it for the move, in this
    # transaction only.
    op.execute("ALTER TABLE alert NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO alert_content (alert_id, owning_agency_id, target_agency_id, person_id, "
        "sources, title, reasons, evidence) "
        "SELECT al.id, coalesce(al.owning_agency_id, al.target_agency_id), al.target_agency_id, "
        "al.person_id, coalesce(s.sources, jsonb_build_array(jsonb_build_object("
        "'agency_id', coalesce(al.owning_agency_id, al.target_agency_id), 'record_type', NULL))), "
        f"al.title, al.reasons, al.evidence FROM alert al LEFT JOIN ({_SOURCES}) s ON s.id = al.id "
        "WHERE al.sealed"
    )
    op.execute(
        f"UPDATE alert SET title = {_neutral_title()}, reasons = '[]'::jsonb, "
        "evidence = '{}'::jsonb WHERE sealed"
    )
    op.execute(
        "UPDATE alert SET dedupe_key = 'sha256:' || "
        "encode(sha256(convert_to(dedupe_key, 'UTF8')), 'hex') "
        "WHERE dedupe_key NOT LIKE 'sha256:%'"
    )
    op.execute("ALTER TABLE alert FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    _table()
    _security()
    _move_sealed_content()


def downgrade() -> None:
    # Content goes back into the alert rows; dedupe keys stay hashed (a hash does not reverse,
    # and hashed keys still keep one alert per finding).
    op.execute("ALTER TABLE alert NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE alert_content NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE alert al SET title = c.title, reasons = c.reasons, evidence = c.evidence "
        "FROM alert_content c WHERE c.alert_id = al.id"
    )
    op.execute("ALTER TABLE alert FORCE ROW LEVEL SECURITY")
    op.drop_table("alert_content")
    op.execute(f"DROP FUNCTION {_SIGNATURE}")
