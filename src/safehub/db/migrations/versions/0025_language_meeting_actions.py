"""The language check of a meeting action's own text and of its outcome, kept with the action.

"Visit Amy, who keeps going back to him" and "closed: she is not engaging" are free text about a
child that blames her: they are checked as they are saved, like every other free text, and kept
as written only with their author's reason, beside the flags, for a manager to read on the
language audit page. Who wrote the action is kept so that the audit page can name its author.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The meeting_action table's existing grants and row-level security cover the new columns.
    op.add_column(
        "meeting_action",
        sa.Column(
            "created_by_user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", name="fk_meeting_action_created_by_user_id_app_user"),
            nullable=True,
        ),
    )
    op.add_column(
        "meeting_action",
        sa.Column("language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("meeting_action", sa.Column("language_reason", sa.Text(), nullable=True))
    op.add_column(
        "meeting_action",
        sa.Column("outcome_language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("meeting_action", sa.Column("outcome_language_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for column in (
        "outcome_language_reason",
        "outcome_language_flags",
        "language_reason",
        "language_flags",
        "created_by_user_id",
    ):
        op.drop_column("meeting_action", column)
