"""The language check of a clock's overrun reason, kept with it: the flags found in the reason a
timescale was missed, and why its author kept it as written.

"Late because she chose not to attend" is free text about a child that blames her for the delay:
it is checked as it is saved, like every other free text, and kept as written only with its
author's reason, beside the flags, for a manager to read on the language audit page.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The clock table's existing grants and row-level security cover the new columns.
    op.add_column(
        "clock",
        sa.Column("overrun_language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("clock", sa.Column("overrun_language_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("clock", "overrun_language_reason")
    op.drop_column("clock", "overrun_language_flags")
