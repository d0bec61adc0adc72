"""Network intelligence: analysis runs and their stored results (groups, key people,
communities, child-centred views), under row-level security.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "network_run",
    "network_group",
    "network_group_member",
    "network_key_person",
    "network_community",
    "network_child",
)
_SEQUENCES = ("network_run_id_seq", "network_group_id_seq")

SYS = "safehub_ctx_system()"
SEES = "safehub_ctx_identifiable()"
# Results are written and pruned by the network job only (the system). Staff read them when they
# may see identifiable rows at all; a person restricted by another agency is not even listed.
_PERSON_SEEN = f"{SYS} OR ({SEES} AND safehub_person_known(person_id))"
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "network_group": {"SELECT": (f"{SYS} OR {SEES}", None)},
    "network_group_member": {"SELECT": (_PERSON_SEEN, None)},
    "network_key_person": {"SELECT": (_PERSON_SEEN, None)},
    "network_community": {"SELECT": (_PERSON_SEEN, None)},
    "network_child": {"SELECT": (_PERSON_SEEN, None)},
}
for _table in _POLICIES:
    _POLICIES[_table]["INSERT"] = (None, SYS)
    _POLICIES[_table]["DELETE"] = (SYS, None)


def _enable_rls() -> None:
    for table, policies in _POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM safehub_oversight, PUBLIC")
        for command, (using, check) in policies.items():
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            op.execute(
                f"CREATE POLICY app_{command.lower()} ON {table} FOR {command} "
                f"TO safehub_app{clauses}"
            )


def _run_table() -> None:
    op.create_table(
        "network_run",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("job_run_id", sa.BigInteger(), nullable=True),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mention_watermark", sa.BigInteger(), nullable=False),
        sa.Column("link_watermark", sa.BigInteger(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("nodes", sa.Integer(), nullable=False),
        sa.Column("edges", sa.Integer(), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("key_people", sa.Integer(), nullable=False),
        sa.Column("alerts_raised", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_run_id"], ["job_run.id"], name=op.f("fk_network_run_job_run_id_job_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_run")),
    )


def _group_tables() -> None:
    op.create_table(
        "network_group",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("records", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("shared_identifiers", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("agencies", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("areas", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["network_run.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_group_run_id_network_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_group")),
        sa.UniqueConstraint("run_id", "code", name=op.f("uq_network_group_run_id")),
    )
    op.create_table(
        "network_group_member",
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("role_in_group", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["network_group.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_group_member_group_id_network_group"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_group_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("group_id", "person_id", name=op.f("pk_network_group_member")),
    )
    op.create_index(
        op.f("ix_network_group_member_person_id"), "network_group_member", ["person_id"]
    )


def _person_tables() -> None:
    op.create_table(
        "network_key_person",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("agencies", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["network_run.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_key_person_run_id_network_run"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_key_person_person_id_person")
        ),
        sa.PrimaryKeyConstraint("run_id", "person_id", name=op.f("pk_network_key_person")),
    )
    op.create_index(op.f("ix_network_key_person_person_id"), "network_key_person", ["person_id"])
    op.create_table(
        "network_community",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("community", sa.Integer(), nullable=False),
        sa.Column("core_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["network_run.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_community_run_id_network_run"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_community_person_id_person")
        ),
        sa.PrimaryKeyConstraint("run_id", "person_id", name=op.f("pk_network_community")),
    )
    op.create_table(
        "network_child",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("heightened_risk", sa.Boolean(), nullable=False),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("adults", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("places", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("vehicles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("other_children", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("groups", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["network_run.id"],
            ondelete="CASCADE",
            name=op.f("fk_network_child_run_id_network_run"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_child_person_id_person")
        ),
        sa.PrimaryKeyConstraint("run_id", "person_id", name=op.f("pk_network_child")),
    )
    op.create_index(op.f("ix_network_child_person_id"), "network_child", ["person_id"])


def upgrade() -> None:
    _run_table()
    _group_tables()
    _person_tables()
    # network_run holds counts and watermarks only (no personal data): the job updates it.
    op.execute("GRANT SELECT, INSERT, UPDATE ON network_run TO safehub_app")
    for table in _TABLES[1:]:
        op.execute(f"GRANT SELECT, INSERT, DELETE ON {table} TO safehub_app")
    for sequence in _SEQUENCES:
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO safehub_app")
    _enable_rls()


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
