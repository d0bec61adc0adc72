"""The audit log indexed by action: the DPO's list of security events (refused look-ups, failed
sign-ins) reads the newest entries of a few actions, which without it means reading the whole
log backwards.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_event_action_id", "audit_event", ["action", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_action_id", table_name="audit_event")
