"""Each stored network group keeps its grounds: why it is a group, in the engine's sentences.

The analysis has always said why a group is one (``network.analysis.group_grounds``: the rule
it meets, each child linked to two or more of its adults, each identifier two or more of them
share, the adults in it only through ties to its bound members); the command line writes them
to ``group_evidence.csv``, but the platform's network job dropped them, so the group page and
the API could not say why. ``network_group.grounds`` keeps them (people named by person id; the
job writes no restricted person's id, and the pages name people as the members list does).

The column is in ``network_group``, so the policies of 0009 already decide who reads it (the
system, and staff who may see identifiable rows) and who writes it (the network job alone):
nothing to grant. Groups stored before this revision have no grounds (``{}``) until the next
run stores the groups again.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "network_group",
        sa.Column(
            "grounds",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("network_group", "grounds")
