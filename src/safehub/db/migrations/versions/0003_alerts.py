"""Alerts with their reasons, to a team, decided by a person.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("target_agency_id", sa.Integer(), nullable=False),
        sa.Column("target_team_id", sa.Integer(), nullable=True),
        sa.Column("owning_agency_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["safeguarding_case.id"], name=op.f("fk_alert_case_id_safeguarding_case")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_alert_decided_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["owning_agency_id"], ["agency.id"], name=op.f("fk_alert_owning_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_alert_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["target_agency_id"], ["agency.id"], name=op.f("fk_alert_target_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["target_team_id"], ["team.id"], name=op.f("fk_alert_target_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_alert_dedupe_key")),
    )
    op.create_index(op.f("ix_alert_kind"), "alert", ["kind"], unique=False)
    op.create_index(op.f("ix_alert_person_id"), "alert", ["person_id"], unique=False)
    op.create_index(op.f("ix_alert_case_id"), "alert", ["case_id"], unique=False)
    op.create_index(op.f("ix_alert_status"), "alert", ["status"], unique=False)
    op.create_index(op.f("ix_alert_target_agency_id"), "alert", ["target_agency_id"], unique=False)
    op.execute("GRANT SELECT, INSERT, UPDATE ON alert TO safehub_app")
    op.execute("GRANT USAGE, SELECT ON SEQUENCE alert_id_seq TO safehub_app")


def downgrade() -> None:
    op.drop_table("alert")
