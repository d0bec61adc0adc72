"""The language check of the hub's questions to a community reporter and of an oversight
inspector's comments on a sampled file, kept with each question and finding.

A question such as "why did she keep going back to him?" blames the child, and it is read by a
member of the public: it is checked before it is sent, like every other free text about a child,
and sent as written only with its author's reason, kept beside the flags for a manager to read
on the language audit page.

An inspector's comment ("no: the plan says she keeps going back to him, nothing done") is free
text about a child, read by the oversight body and in its reports; it is checked the same way,
and words quoted from the file are advice only. The oversight role is given SELECT on
``language_rule`` (the checker's rules: no personal data, no row-level security) so that local
rules apply to its comments too.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The table's grants (SELECT, INSERT) and row-level security cover the new columns.
    op.add_column(
        "community_report_message",
        sa.Column("language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column(
        "community_report_message", sa.Column("language_reason", sa.Text(), nullable=True)
    )
    op.add_column(
        "oversight_finding",
        sa.Column("language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("oversight_finding", sa.Column("language_reason", sa.Text(), nullable=True))
    op.execute("GRANT SELECT ON language_rule TO safehub_oversight")


def downgrade() -> None:
    op.execute("REVOKE SELECT ON language_rule FROM safehub_oversight")
    op.drop_column("oversight_finding", "language_reason")
    op.drop_column("oversight_finding", "language_flags")
    op.drop_column("community_report_message", "language_reason")
    op.drop_column("community_report_message", "language_flags")
