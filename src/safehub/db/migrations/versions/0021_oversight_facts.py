"""Independent oversight: measures as data, facts by area and month, pseudonymous units for
disparity monitoring, and the disparities of each build (``safehub.db.models.oversight``).

Who may read what:
- ``oversight_measure``, ``oversight_fact`` and ``oversight_disparity`` are aggregates and
  definitions: the application role and the oversight role read them; only the system context
  (the rebuild job) writes them.
- ``oversight_unit`` holds one pseudonymous row per counted event with grouped ethnicity, sex,
  age band and in-care status. Row-level security lets only the system context read or write it;
  the oversight role has no privilege on it at all.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYSTEM = "safehub_ctx_system()"
AGGREGATES = ("oversight_measure", "oversight_fact", "oversight_disparity")


def upgrade() -> None:
    _tables()
    for table in (*AGGREGATES, "oversight_unit"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC, safehub_public, safehub_oversight")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO safehub_app")
        op.execute(
            f"CREATE POLICY system_write ON {table} FOR ALL TO safehub_app "
            f"USING ({SYSTEM}) WITH CHECK ({SYSTEM})"
        )
        if table != "oversight_measure":
            op.execute(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO safehub_app")
    for table in AGGREGATES:
        # Definitions and counts: any signed-in member of staff and the oversight body read them.
        op.execute(f"CREATE POLICY app_read ON {table} FOR SELECT TO safehub_app USING (true)")
        op.execute(f"GRANT SELECT ON {table} TO safehub_oversight")
        op.execute(
            f"CREATE POLICY oversight_read ON {table} FOR SELECT TO safehub_oversight USING (true)"
        )


def _tables() -> None:
    op.create_table(
        "oversight_measure",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("numerator", sa.Text(), nullable=False),
        sa.Column("denominator", sa.Text(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("near_margin", sa.Float(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=8), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('higher', 'lower')", name="direction_known"),
        sa.CheckConstraint("unit IN ('percent', 'days', 'count')", name="unit_known"),
        sa.CheckConstraint("by IN ('area', 'agency')", name="by_known"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_oversight_measure")),
    )
    op.create_table(
        "oversight_fact",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("area_kind", sa.String(length=16), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("area_name", sa.Text(), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=False),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column(
            "rebuilt_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_fact")),
        sa.UniqueConstraint(
            "measure_code",
            "area_kind",
            "area_code",
            "agency_code",
            "period",
            name="uq_oversight_fact_cell",
        ),
    )
    op.create_index(op.f("ix_oversight_fact_measure_code"), "oversight_fact", ["measure_code"])
    op.create_index(op.f("ix_oversight_fact_period"), "oversight_fact", ["period"])
    op.create_table(
        "oversight_unit",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.Column("area_kind", sa.String(length=16), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("suspect_ethnicity", sa.String(length=20), nullable=True),
        sa.Column("victim_ethnicity", sa.String(length=20), nullable=True),
        sa.Column("victim_sex", sa.String(length=2), nullable=True),
        sa.Column("victim_age_band", sa.String(length=8), nullable=True),
        sa.Column("in_care", sa.Boolean(), nullable=True),
        sa.Column("days", sa.Float(), nullable=True),
        sa.Column("event", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_unit")),
        sa.UniqueConstraint("unit_key", name=op.f("uq_oversight_unit_unit_key")),
    )
    op.create_index(op.f("ix_oversight_unit_measure_code"), "oversight_unit", ["measure_code"])
    op.create_index(op.f("ix_oversight_unit_period"), "oversight_unit", ["period"])
    op.create_table(
        "oversight_disparity",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("dimension", sa.String(length=30), nullable=False),
        sa.Column("group_label", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("ci_low", sa.Float(), nullable=True),
        sa.Column("ci_high", sa.Float(), nullable=True),
        sa.Column("p_value", sa.Float(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("test", sa.Text(), nullable=False),
        sa.Column(
            "built_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_disparity")),
    )


def downgrade() -> None:
    for table in ("oversight_disparity", "oversight_unit", "oversight_fact", "oversight_measure"):
        op.drop_table(table)
