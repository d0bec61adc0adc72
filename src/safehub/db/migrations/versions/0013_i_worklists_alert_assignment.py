"""Who in the agency is working an alert: an alert can be assigned to a person.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
    op.drop_index(op.f("ix_alert_assigned_user_id"), table_name="alert")
    op.drop_constraint(op.f("fk_alert_assigned_user_id_app_user"), "alert", type_="foreignkey")
    op.drop_column("alert", "assigned_user_id")
