"""Timeliness: clocks in the case record, local rules, escalation, notifications, meetings and
their actions, training records and background job runs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "local_clock_rule",
    "clock",
    "escalation_step",
    "notification",
    "meeting",
    "meeting_invitee",
    "meeting_action",
    "training_record",
    "job_run",
)
_SEQUENCES = (
    "local_clock_rule_id_seq",
    "clock_id_seq",
    "notification_id_seq",
    "meeting_id_seq",
    "meeting_action_id_seq",
    "training_record_id_seq",
    "job_run_id_seq",
)
# The default ladder: the owner hears first, then their team manager, the head of service, and
# the partnership. Intervals are counted from the due date; administrators may change them.
_LADDER = [
    {
        "level": 1,
        "name": "Worker",
        "recipient_role": "owner",
        "after_working_days": 0,
        "after_hours": 0,
        "email": None,
    },
    {
        "level": 2,
        "name": "Team manager",
        "recipient_role": "team_manager",
        "after_working_days": 2,
        "after_hours": 24,
        "email": None,
    },
    {
        "level": 3,
        "name": "Head of service",
        "recipient_role": "head_of_service",
        "after_working_days": 5,
        "after_hours": 72,
        "email": None,
    },
    {
        "level": 4,
        "name": "Safeguarding partnership",
        "recipient_role": "partnership",
        "after_working_days": 10,
        "after_hours": 168,
        "email": None,
    },
]
# The minutes of meetings held and the actions done go into each child's chronology; the case
# chronology query adds `UNION ALL SELECT ... FROM meeting_chronology WHERE case_id = :case_id`.
# security_invoker: the view reads the tables as the caller, so row-level security still applies.
_CHRONOLOGY_VIEW = """
CREATE VIEW meeting_chronology WITH (security_invoker = true) AS
SELECT m.case_id, (m.held_at AT TIME ZONE 'Europe/London')::date AS on_date, a.code, a.name,
  'meeting'::text AS kind,
  upper(left(m.kind, 1)) || replace(substr(m.kind, 2), '_', ' ') || ' held: ' || m.title AS title,
  concat_ws(E'\n',
    'Attended: ' || (SELECT string_agg(ia.name, ', ' ORDER BY ia.name) FROM meeting_invitee i
                     JOIN agency ia ON ia.id = i.agency_id
                     WHERE i.meeting_id = m.id AND i.attended),
    'Information shared: ' || m.information_shared,
    'Decisions: ' || m.decisions) AS detail,
  'Safehub meeting'::text AS source
FROM meeting m JOIN agency a ON a.id = m.organising_agency_id
WHERE m.status = 'held'
UNION ALL
SELECT x.case_id, (x.done_at AT TIME ZONE 'Europe/London')::date, a.code, a.name,
  'action'::text, 'Action done: ' || replace(x.action_type, '_', ' '),
  x.description || coalesce(E'\nOutcome: ' || x.outcome, ''), 'Safehub meeting action'::text
FROM meeting_action x JOIN agency a ON a.id = x.owner_agency_id
WHERE x.status = 'done'
"""


SYS = "safehub_ctx_system()"
ME = "safehub_ctx_user()"
MY_AGENCY = "safehub_ctx_agency()"
SEES = "safehub_ctx_identifiable()"
# Row-level security (the second wall, with the helpers of 0004) on the tables about cases,
# referrals and people. Clocks are seen by the owning agency and whoever may see the case or the
# referral; meetings by the case's agencies and the agencies invited; notifications by their
# recipient. Escalation and state updates run as the system (the clocks job).
_CLOCK_SEEN = (
    f"{SYS} OR ({SEES} AND (owner_agency_id = {MY_AGENCY} OR owner_user_id = {ME} "
    "OR (case_id IS NOT NULL AND safehub_can_see_case(case_id)) "
    "OR (referral_id IS NOT NULL AND EXISTS (SELECT 1 FROM referral r WHERE r.id = referral_id))))"
)
_MEETING_SEEN = (
    f"{SYS} OR ({SEES} AND (organising_agency_id = {MY_AGENCY} OR safehub_can_see_case(case_id) "
    "OR EXISTS (SELECT 1 FROM meeting_invitee i WHERE i.meeting_id = meeting.id "
    f"AND i.agency_id = {MY_AGENCY})))"
)
_ACTION_SEEN = (
    f"{SYS} OR ({SEES} AND (owner_agency_id = {MY_AGENCY} OR safehub_can_see_case(case_id)))"
)
_POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "clock": {
        "SELECT": (_CLOCK_SEEN, None),
        "INSERT": (None, f"{SYS} OR {SEES}"),
        "UPDATE": (_CLOCK_SEEN, f"{SYS} OR {SEES}"),
    },
    "meeting": {
        "SELECT": (_MEETING_SEEN, None),
        "INSERT": (None, f"{SYS} OR ({SEES} AND safehub_can_see_case(case_id))"),
        "UPDATE": (_MEETING_SEEN, f"{SYS} OR {SEES}"),
    },
    "meeting_action": {
        "SELECT": (_ACTION_SEEN, None),
        "INSERT": (None, f"{SYS} OR ({SEES} AND safehub_can_see_case(case_id))"),
        "UPDATE": (_ACTION_SEEN, f"{SYS} OR {SEES}"),
    },
    "notification": {
        "SELECT": (f"{SYS} OR user_id = {ME}", None),
        "INSERT": (None, SYS),
        "UPDATE": (f"{SYS} OR user_id = {ME}", f"{SYS} OR user_id = {ME}"),
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
        "escalation_step",
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("recipient_role", sa.String(length=40), nullable=False),
        sa.Column("after_working_days", sa.Integer(), nullable=False),
        sa.Column("after_hours", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("level", name=op.f("pk_escalation_step")),
    )
    op.create_table(
        "job_run",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("items_total", sa.BigInteger(), nullable=True),
        sa.Column("items_processed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
    )
    op.create_index(op.f("ix_job_run_job"), "job_run", ["job"], unique=False)
    op.create_index(
        "ix_job_run_queue",
        "job_run",
        ["requested_at"],
        unique=False,
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_table(
        "local_clock_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("jurisdiction", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("start_event", sa.String(length=64), nullable=False),
        sa.Column("stop_event", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_local_clock_rule_created_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_clock_rule")),
        sa.UniqueConstraint("rule_id", name=op.f("uq_local_clock_rule_rule_id")),
    )
    op.create_table(
        "training_record",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_training_record_recorded_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_training_record_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_record")),
    )
    op.create_index(
        op.f("ix_training_record_user_id"), "training_record", ["user_id"], unique=False
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chair_user_id", sa.Integer(), nullable=True),
        sa.Column("organising_agency_id", sa.Integer(), nullable=False),
        sa.Column("information_shared", sa.Text(), nullable=True),
        sa.Column("decisions", sa.Text(), nullable=True),
        sa.Column("s47_initiated", sa.Boolean(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["safeguarding_case.id"], name=op.f("fk_meeting_case_id_safeguarding_case")
        ),
        sa.ForeignKeyConstraint(
            ["chair_user_id"], ["app_user.id"], name=op.f("fk_meeting_chair_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_meeting_created_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["organising_agency_id"],
            ["agency.id"],
            name=op.f("fk_meeting_organising_agency_id_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index(op.f("ix_meeting_case_id"), "meeting", ["case_id"], unique=False)
    op.create_table(
        "clock",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("jurisdiction", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_by_user_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("owner_team_id", sa.Integer(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("referral_id", sa.BigInteger(), nullable=True),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("overrun_reason", sa.Text(), nullable=True),
        sa.Column("overrun_reason_by_user_id", sa.Integer(), nullable=True),
        sa.Column("overrun_reason_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalation_level", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["safeguarding_case.id"], name=op.f("fk_clock_case_id_safeguarding_case")
        ),
        sa.ForeignKeyConstraint(
            ["overrun_reason_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_clock_overrun_reason_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agency.id"], name=op.f("fk_clock_owner_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["owner_team_id"], ["team.id"], name=op.f("fk_clock_owner_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["app_user.id"], name=op.f("fk_clock_owner_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_clock_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_clock_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["stopped_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_clock_stopped_by_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock")),
    )
    op.create_index(op.f("ix_clock_case_id"), "clock", ["case_id"], unique=False)
    op.create_index(
        "ix_clock_inbox_team",
        "clock",
        ["owner_team_id", "due_on", "due_at", "id"],
        unique=False,
        postgresql_where=sa.text("stopped_at IS NULL"),
    )
    op.create_index(
        "ix_clock_inbox_user",
        "clock",
        ["owner_user_id", "due_on", "due_at", "id"],
        unique=False,
        postgresql_where=sa.text("stopped_at IS NULL"),
    )
    op.create_index(op.f("ix_clock_owner_agency_id"), "clock", ["owner_agency_id"], unique=False)
    op.create_index(op.f("ix_clock_person_id"), "clock", ["person_id"], unique=False)
    op.create_index(op.f("ix_clock_referral_id"), "clock", ["referral_id"], unique=False)
    op.create_index(op.f("ix_clock_rule_id"), "clock", ["rule_id"], unique=False)
    op.create_table(
        "meeting_invitee",
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_meeting_invitee_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_invitee_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_meeting_invitee_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("meeting_id", "agency_id", name=op.f("pk_meeting_invitee")),
    )
    op.create_table(
        "meeting_action",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("action_type", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_user_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("clock_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["safeguarding_case.id"],
            name=op.f("fk_meeting_action_case_id_safeguarding_case"),
        ),
        sa.ForeignKeyConstraint(
            ["clock_id"], ["clock.id"], name=op.f("fk_meeting_action_clock_id_clock")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_meeting_action_done_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_action_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"],
            ["agency.id"],
            name=op.f("fk_meeting_action_owner_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["app_user.id"],
            name=op.f("fk_meeting_action_owner_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_action")),
    )
    op.create_index(op.f("ix_meeting_action_case_id"), "meeting_action", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_meeting_action_meeting_id"), "meeting_action", ["meeting_id"], unique=False
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("clock_id", sa.BigInteger(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_status", sa.String(length=12), nullable=False),
        sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["clock_id"], ["clock.id"], name=op.f("fk_notification_clock_id_clock")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notification_dedupe_key")),
    )
    op.create_index(op.f("ix_notification_clock_id"), "notification", ["clock_id"], unique=False)
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"], unique=False)

    escalation = sa.table(
        "escalation_step",
        sa.column("level", sa.SmallInteger()),
        sa.column("name", sa.Text()),
        sa.column("recipient_role", sa.String()),
        sa.column("after_working_days", sa.Integer()),
        sa.column("after_hours", sa.Integer()),
        sa.column("email", sa.Text()),
    )
    op.bulk_insert(escalation, _LADDER)
    op.execute(_CHRONOLOGY_VIEW)
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(_TABLES)} TO safehub_app")
    op.execute("GRANT DELETE ON meeting_invitee TO safehub_app")
    op.execute("GRANT SELECT ON meeting_chronology TO safehub_app")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {', '.join(_SEQUENCES)} TO safehub_app")
    _enable_rls()


def downgrade() -> None:
    op.execute("DROP VIEW meeting_chronology")
    for table, policies in _POLICIES.items():
        for command in policies:
            op.execute(f"DROP POLICY app_{command.lower()} ON {table}")
    for table in reversed(_TABLES):
        op.drop_table(table)
