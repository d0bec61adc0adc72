"""Identity resolution in the database: saved model, candidate index, review pairs, link events.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import BigInteger, Text
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "intake_check_log",
    "linkage_model",
    "identity_block_key",
    "identity_candidate",
    "match_pair",
    "person_link_event",
)
_SEQUENCES = (
    "intake_check_log_id_seq",
    "linkage_model_id_seq",
    "match_pair_id_seq",
    "person_link_event_id_seq",
)


SYS = "safehub_ctx_system()"
SEES = "safehub_ctx_identifiable()"
# Row-level security (the second wall, as 0004): the system writes the index and decides merges
# (a reviewer's decision runs as a system step, since it moves other agencies' records); users
# of identifiable roles may read the matching index, which the services filter further
# (restricted people are never matchable; the intake check shows only existence and agencies).
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "identity_candidate": {
        "SELECT": (f"{SYS} OR ({SEES} AND matchable)", None),
        "INSERT": (None, SYS),
        "UPDATE": (SYS, SYS),
        "DELETE": (SYS, None),
    },
    "identity_block_key": {
        "SELECT": (f"{SYS} OR {SEES}", None),
        "INSERT": (None, SYS),
        "DELETE": (SYS, None),
    },
    "match_pair": {
        "SELECT": (f"{SYS} OR {SEES}", None),
        "INSERT": (None, SYS),
        "UPDATE": (SYS, SYS),
    },
    "person_link_event": {
        "SELECT": (f"{SYS} OR safehub_can_see_person(person_id)", None),
        "INSERT": (None, SYS),
        "UPDATE": (SYS, SYS),
    },
    "linkage_model": {"SELECT": (f"{SYS} OR {SEES}", None), "INSERT": (None, SYS)},
    "intake_check_log": {
        "SELECT": (f"{SYS} OR actor = current_setting('safehub.actor', true)", None),
        "INSERT": (None, f"{SYS} OR actor = current_setting('safehub.actor', true)"),
    },
}


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


def upgrade() -> None:
    op.create_table(
        "intake_check_log",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column(
            "checked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_check_log")),
    )
    op.create_index(
        "ix_intake_check_log_actor_at", "intake_check_log", ["actor", "checked_at"], unique=False
    )
    op.create_table(
        "linkage_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("shared", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_model")),
    )
    op.create_table(
        "identity_block_key",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("agency_person_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_person_id"],
            ["agency_person.id"],
            name=op.f("fk_identity_block_key_agency_person_id_agency_person"),
        ),
        sa.PrimaryKeyConstraint("key", "agency_person_id", name=op.f("pk_identity_block_key")),
    )
    op.create_index(
        op.f("ix_identity_block_key_agency_person_id"),
        "identity_block_key",
        ["agency_person_id"],
        unique=False,
    )
    op.create_table(
        "identity_candidate",
        sa.Column("agency_person_id", sa.BigInteger(), nullable=False),
        sa.Column("features", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("matchable", sa.Boolean(), nullable=False),
        sa.Column("of_concern", sa.Boolean(), nullable=False),
        sa.Column(
            "refreshed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["agency_person_id"],
            ["agency_person.id"],
            name=op.f("fk_identity_candidate_agency_person_id_agency_person"),
        ),
        sa.PrimaryKeyConstraint("agency_person_id", name=op.f("pk_identity_candidate")),
    )
    op.create_table(
        "match_pair",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("left_agency_person_id", sa.BigInteger(), nullable=False),
        sa.Column("right_agency_person_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("prior_weight", sa.Float(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_match_pair_decided_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["left_agency_person_id"],
            ["agency_person.id"],
            name=op.f("fk_match_pair_left_agency_person_id_agency_person"),
        ),
        sa.ForeignKeyConstraint(
            ["right_agency_person_id"],
            ["agency_person.id"],
            name=op.f("fk_match_pair_right_agency_person_id_agency_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_pair")),
        sa.UniqueConstraint(
            "left_agency_person_id",
            "right_agency_person_id",
            name=op.f("uq_match_pair_left_agency_person_id"),
        ),
    )
    op.create_index(
        op.f("ix_match_pair_right_agency_person_id"),
        "match_pair",
        ["right_agency_person_id"],
        unique=False,
    )
    op.create_index(op.f("ix_match_pair_status"), "match_pair", ["status"], unique=False)
    op.create_table(
        "person_link_event",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("other_person_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_person_ids", postgresql.ARRAY(BigInteger()), nullable=False),
        sa.Column("decided_by", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("match_pair_id", sa.BigInteger(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("undone_by_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["match_pair_id"],
            ["match_pair.id"],
            name=op.f("fk_person_link_event_match_pair_id_match_pair"),
        ),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["person.id"],
            name=op.f("fk_person_link_event_other_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_link_event_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["person_link_event.id"],
            name=op.f("fk_person_link_event_undone_by_id_person_link_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_link_event")),
    )
    op.create_index(
        op.f("ix_person_link_event_other_person_id"),
        "person_link_event",
        ["other_person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_person_link_event_person_id"), "person_link_event", ["person_id"], unique=False
    )
    for table in _TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO safehub_app")
    # The candidate index is derived data, rebuilt when an agency person's records change.
    op.execute("GRANT DELETE ON identity_block_key, identity_candidate TO safehub_app")
    for sequence in _SEQUENCES:
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO safehub_app")
    _enable_rls()


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
