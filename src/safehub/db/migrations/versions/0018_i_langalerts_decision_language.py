"""The language check of more free text practitioners write about a child, kept with it: the
reason given for an alert decision (on the alert), what is known about a child's exploitation
indicators (on the assessment each change of the checklist adds) and the details of who has heard
a child's account (on that record).

A dismissal reason is free text about a child ("she is consenting, it's her boyfriend"): it is
checked as it is saved, and kept as written only with its author's reason, beside the flags, for
a manager to read on the language audit page.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The tables' existing grants and row-level security cover the new columns.
    op.add_column(
        "alert",
        sa.Column(
            "decision_language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True
        ),
    )
    op.add_column("alert", sa.Column("decision_language_reason", sa.Text(), nullable=True))
    for table in ("indicator_assessment", "account_heard"):
        op.add_column(
            table,
            sa.Column("language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        )
        op.add_column(table, sa.Column("language_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("indicator_assessment", "account_heard"):
        op.drop_column(table, "language_reason")
        op.drop_column(table, "language_flags")
    op.drop_column("alert", "decision_language_reason")
    op.drop_column("alert", "decision_language_flags")
