"""Language flags kept with referrals and support plans, and the reason for saving them anyway.

A note or referral whose language was flagged is saved only when its author says why: the
reason is kept beside the flags, written once and never changed, for a manager to read.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As for a note's flags: whoever may see the referral may see its flags (the referral's own
# row-level security applies inside the subquery); the system context sees all.
_REFERRAL = "safehub_ctx_system() OR EXISTS (SELECT 1 FROM referral r WHERE r.id = referral_id)"


def upgrade() -> None:
    op.add_column("note_language_check", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column(
        "support_plan",
        sa.Column("language_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("support_plan", sa.Column("language_reason", sa.Text(), nullable=True))
    op.create_table(
        "referral_language_check",
        sa.Column("referral_id", sa.BigInteger(), nullable=False),
        sa.Column("flags", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("flag_count", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rules_digest", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_referral_language_check_referral_id_referral"),
        ),
        sa.PrimaryKeyConstraint("referral_id", name=op.f("pk_referral_language_check")),
    )
    # Written once with the referral, never changed.
    op.execute("GRANT SELECT, INSERT ON referral_language_check TO safehub_app")
    op.execute("ALTER TABLE referral_language_check ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE referral_language_check FORCE ROW LEVEL SECURITY")
    op.execute("REVOKE ALL ON referral_language_check FROM safehub_oversight, PUBLIC")
    op.execute(
        f"CREATE POLICY app_select ON referral_language_check FOR SELECT TO safehub_app "
        f"USING ({_REFERRAL})"
    )
    op.execute(
        f"CREATE POLICY app_insert ON referral_language_check FOR INSERT TO safehub_app "
        f"WITH CHECK ({_REFERRAL})"
    )


def downgrade() -> None:
    op.drop_table("referral_language_check")
    op.drop_column("support_plan", "language_reason")
    op.drop_column("support_plan", "language_flags")
    op.drop_column("note_language_check", "reason")
