"""Each pending match pair keeps its place in the review queue, and why.

``safehub resolve --review-out`` orders its queue by what a confirmation would change
(``linkage.queue``: completing an adult of concern in records with children, then an adult of
concern or a child recorded as a victim, then joining agencies; then probability) and leaves out
pairs with nothing at stake. The database queue, which reviewers work in, was ordered by
probability alone. Resolution now places each pair it queues by the same rules and stores the
place, so listing stays one indexed query:

- ``priority``: the usefulness tier the queue orders by before probability;
- ``worth_review``: false for a pair the rules leave out (it stays pending, listed apart);
- ``priority_reason``: why the pair stands where it does, as the reviewer reads it.

Pairs queued before this revision keep the old behaviour (tier 0, worth reviewing, no reason)
until they are placed: the next resolution job places every pending pair without a reason before
it resolves, as ``safehub people place-queue`` does (``services/identity/places.py``). The columns are in ``match_pair``, so the
policies of 0014 already decide who reads and writes them: nothing to grant.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "match_pair", sa.Column("priority", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "match_pair",
        sa.Column("worth_review", sa.Boolean(), server_default="true", nullable=False),
    )
    op.add_column(
        "match_pair",
        sa.Column("priority_reason", sa.Text(), server_default="", nullable=False),
    )
    op.create_index(
        "ix_match_pair_pending_queue",
        "match_pair",
        ["worth_review", "priority", "match_probability"],
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_match_pair_pending_queue", table_name="match_pair")
    op.drop_column("match_pair", "priority_reason")
    op.drop_column("match_pair", "worth_review")
    op.drop_column("match_pair", "priority")
