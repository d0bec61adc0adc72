"""The pending review pairs a network run counted as "possibly the same person", so that a
group or key person that rests on one can name the pair to confirm (issue 13: analysis never
waits for review).

Who may read what: the network job (the system) writes and prunes the rows; staff who may see
identifiable rows read a pair only when both of its people exist for them (the rule of
``network_group_member``: a person another agency restricted is not even listed).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "network_possible_link"
SYS = "safehub_ctx_system()"
_SEEN = (
    f"{SYS} OR (safehub_ctx_identifiable() AND safehub_person_known(person_id) "
    "AND safehub_person_known(other_person_id))"
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("match_pair_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("other_person_id", sa.BigInteger(), nullable=False),
        sa.Column("representative_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["network_run.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_possible_link_run_id_network_run"),
        ),
        sa.ForeignKeyConstraint(
            ["match_pair_id"],
            ["match_pair.id"],
            name=op.f("fk_network_possible_link_match_pair_id_match_pair"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_possible_link_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["person.id"],
            name=op.f("fk_network_possible_link_other_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["person.id"],
            name=op.f("fk_network_possible_link_representative_id_person"),
        ),
        sa.PrimaryKeyConstraint("run_id", "match_pair_id", name=op.f("pk_network_possible_link")),
    )
    op.execute(f"GRANT SELECT, INSERT, DELETE ON {TABLE} TO safehub_app")
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON {TABLE} FROM safehub_oversight, safehub_public, PUBLIC")
    op.execute(f"CREATE POLICY app_select ON {TABLE} FOR SELECT TO safehub_app USING ({_SEEN})")
    op.execute(f"CREATE POLICY app_insert ON {TABLE} FOR INSERT TO safehub_app WITH CHECK ({SYS})")
    op.execute(f"CREATE POLICY app_delete ON {TABLE} FOR DELETE TO safehub_app USING ({SYS})")


def downgrade() -> None:
    op.drop_table(TABLE)
