"""The council whose children's social care decides on a referral.

A police force covers several councils: its referrer now says which council area the child lives
in (asked only when the referrer's own area has no social care agency of the partnership and the
partnership has more than one), so that the referral's clocks go to that council's front door.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("referral", sa.Column("council_agency_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_referral_council_agency_id_agency"),
        "referral",
        "agency",
        ["council_agency_id"],
        ["id"],
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_referral_council_agency_id_agency"), "referral", type_="foreignkey")
    op.drop_column("referral", "council_agency_id")
