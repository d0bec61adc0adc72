"""Victim-centred practice: language checks with note versions, local language rules,
indicators and suggested levels, the child's voice, support, and who has heard the account.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "language_rule",
    "child_indicator",
    "indicator_assessment",
    "child_voice",
    "support_plan",
    "support_referral",
    "account_heard",
)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    _note_checks()
    _language_rules()
    _indicators()
    _voice_and_support()
    for table in _TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO safehub_app")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO safehub_app")
    # The flags found when a note was saved are part of that record: written once, never changed.
    op.execute("GRANT SELECT, INSERT ON note_language_check TO safehub_app")
    # Saved notes are records (mission): the application may add versions, never rewrite or
    # delete one. An amendment is a new row that supersedes the old.
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON case_note FROM safehub_app")
    _row_level_security()


# Row-level security as in 0004_need_to_know: a child's practice record is seen by those who
# may see the child (safehub_can_see_person); the flags of a note by those who may see the note
# (case_note's own policies apply inside the subquery). Language rules hold no personal data.
_SYS = "safehub_ctx_system()"
_CHILD = f"{_SYS} OR safehub_can_see_person(person_id)"
_NOTE = f"{_SYS} OR EXISTS (SELECT 1 FROM case_note n WHERE n.id = note_id)"
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    **{
        table: {"SELECT": (_CHILD, None), "INSERT": (None, _CHILD), "UPDATE": (_CHILD, _CHILD)}
        for table in _TABLES
        if table != "language_rule"
    },
    "note_language_check": {"SELECT": (_NOTE, None), "INSERT": (None, _NOTE)},
}


def _row_level_security() -> None:
    for table, commands in _POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        # Oversight reads aggregates only: no privilege on an identifiable table.
        op.execute(f"REVOKE ALL ON {table} FROM safehub_oversight, PUBLIC")
        for command, (using, check) in commands.items():
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            op.execute(
                f"CREATE POLICY app_{command.lower()} ON {table} FOR {command} "
                f"TO safehub_app{clauses}"
            )


def _note_checks() -> None:
    op.create_table(
        "note_language_check",
        sa.Column("note_id", sa.BigInteger(), nullable=False),
        sa.Column("flags", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("flag_count", sa.Integer(), nullable=False),
        sa.Column("saved_despite_flags", sa.Boolean(), nullable=False),
        sa.Column("rules_digest", sa.String(length=64), nullable=False),
        _created_at(),
        _fk("note_language_check", "note_id", "case_note"),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_note_language_check")),
    )


def _language_rules() -> None:
    op.create_table(
        "language_rule",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("patterns", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("replacement", sa.Text(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _fk("language_rule", "created_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language_rule")),
        sa.UniqueConstraint("rule_id", name=op.f("uq_language_rule_rule_id")),
    )


def _indicators() -> None:
    op.create_table(
        "child_indicator",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_agency_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_user_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        _created_at(),
        _fk("child_indicator", "person_id", "person"),
        _fk("child_indicator", "recorded_by_user_id", "app_user"),
        _fk("child_indicator", "recorded_by_agency_id", "agency"),
        _fk("child_indicator", "withdrawn_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_indicator")),
    )
    op.create_index(op.f("ix_child_indicator_person_id"), "child_indicator", ["person_id"])
    op.create_table(
        "indicator_assessment",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=True),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("inputs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("assessed_by_user_id", sa.Integer(), nullable=True),
        _created_at(),
        _fk("indicator_assessment", "person_id", "person"),
        _fk("indicator_assessment", "assessed_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_assessment")),
    )
    op.create_index(
        op.f("ix_indicator_assessment_person_id"), "indicator_assessment", ["person_id"]
    )


def _voice_and_support() -> None:
    op.create_table(
        "child_voice",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("said_on", sa.Date(), nullable=False),
        sa.Column("said_to", sa.Text(), nullable=False),
        sa.Column("setting", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        _created_at(),
        _fk("child_voice", "person_id", "person"),
        _fk("child_voice", "recorded_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_voice")),
    )
    op.create_index(op.f("ix_child_voice_person_id"), "child_voice", ["person_id"])
    op.create_table(
        "support_plan",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.BigInteger(), nullable=True),
        _created_at(),
        _fk("support_plan", "person_id", "person"),
        _fk("support_plan", "created_by_user_id", "app_user"),
        _fk("support_plan", "supersedes_id", "support_plan"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_plan")),
    )
    op.create_index(op.f("ix_support_plan_person_id"), "support_plan", ["person_id"])
    op.create_table(
        "support_referral",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("provider", sa.Text(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _fk("support_referral", "person_id", "person"),
        _fk("support_referral", "created_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_referral")),
    )
    op.create_index(op.f("ix_support_referral_person_id"), "support_referral", ["person_id"])
    op.create_table(
        "account_heard",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("heard_by", sa.Text(), nullable=False),
        sa.Column("heard_by_role", sa.Text(), nullable=True),
        sa.Column("heard_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        _created_at(),
        _fk("account_heard", "person_id", "person"),
        _fk("account_heard", "recorded_by_user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_heard")),
    )
    op.create_index(op.f("ix_account_heard_person_id"), "account_heard", ["person_id"])


def downgrade() -> None:
    op.execute("GRANT UPDATE ON case_note TO safehub_app")
    for table in (
        "account_heard",
        "support_referral",
        "support_plan",
        "child_voice",
        "indicator_assessment",
        "child_indicator",
        "language_rule",
        "note_language_check",
    ):
        op.drop_table(table)
