"""Timeliness and coordination: clocks, local rules, escalation, notifications, meetings and their
actions, training records and background job runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt

# What the clock policy (migration 0006) reads besides the index keys.
_INBOX_INCLUDE = ["owner_agency_id", "owner_user_id", "case_id", "referral_id"]


class LocalClockRule(CreatedAt, Base):
    """A local timescale an administrator set in the UI (statutory ones ship with the code).

    The fields are those of ``safehub.timescales.ClockRule``; ``active`` retires a rule without
    losing the clocks that followed it.
    """

    __tablename__ = "local_clock_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    start_event: Mapped[str] = mapped_column(String(64))
    stop_event: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Clock(CreatedAt, Base):
    """One piece of timed work: the rule it follows, when it started, when it is due, who owns
    it, what it is about, and, once stopped, whether it was met and why not."""

    __tablename__ = "clock"
    __table_args__ = (
        # The inbox reads a user's (or team's) open work in due order: these keep it an index
        # walk with a limit, whatever the size of the table.
        # They carry the columns the row-level security policy reads (migration 0010), so the
        # inbox counts are an index-only scan (no heap page per open item).
        Index(
            "ix_clock_inbox_user",
            "owner_user_id",
            "due_on",
            "due_at",
            "id",
            postgresql_include=_INBOX_INCLUDE,
            postgresql_where=text("stopped_at IS NULL"),
        ),
        Index(
            "ix_clock_inbox_team",
            "owner_team_id",
            "due_on",
            "due_at",
            "id",
            postgresql_include=_INBOX_INCLUDE,
            postgresql_where=text("stopped_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The UK day it falls due (every rule), and the instant for hours rules.
    due_on: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stopped_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The last state the clock job computed (met, met_late, overdue, due_today, ...).
    state: Mapped[str] = mapped_column(String(12), default="on_track")
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    owner_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    subject_type: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Working Together asks that the reason for a missed timescale is recorded.
    overrun_reason: Mapped[str | None] = mapped_column(Text)
    overrun_reason_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    overrun_reason_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language flags in the overrun reason when it was kept, and why it was kept as written.
    overrun_language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    overrun_language_reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EscalationStep(Base):
    """A rung of the escalation ladder: who hears about an overdue clock, and after how long."""

    __tablename__ = "escalation_step"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    # "owner"; a role in the owning agency ("team_manager" in the owner's team, "head_of_service");
    # or "partnership": the heads of service of every agency on the case, and ``email``.
    recipient_role: Mapped[str] = mapped_column(String(40))
    after_working_days: Mapped[int] = mapped_column(Integer)
    after_hours: Mapped[int] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(Text)


class Notification(CreatedAt, Base):
    """A message to a person, in the app and by email. Emails never carry a child's details:
    they say that something needs attention and link back to Safehub."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    email: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("clock.id"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_status: Mapped[str] = mapped_column(String(12), default="none")
    email_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_error: Mapped[str | None] = mapped_column(Text)
    # One escalation step notifies each person once, however often the job runs.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)


class Meeting(CreatedAt, Base):
    """A strategy discussion, a child protection conference or another multi-agency meeting."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(Text)
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12), default="planned")
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    chair_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    organising_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    information_shared: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    # The language flags in the record when it was kept, and why it was kept as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)
    # Strategy discussions: whether section 47 enquiries were started (starts the conference clock).
    s47_initiated: Mapped[bool | None] = mapped_column(Boolean)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class MeetingInvitee(Base):
    """An agency invited to a meeting (and the person attending for it, if known)."""

    __tablename__ = "meeting_invitee"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    attended: Mapped[bool | None] = mapped_column(Boolean)


class MeetingAction(CreatedAt, Base):
    """An action agreed at a meeting (disruption included), owned by an agency and a person,
    with a due date, tracked to done through its clock."""

    __tablename__ = "meeting_action"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    action_type: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    outcome: Mapped[str | None] = mapped_column(Text)
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("clock.id"))
    # Who agreed the action on the page (None for actions the system adds, and older ones).
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The language flags in the action's text and in its outcome when each was kept, and why
    # each was kept as written (migration 0025).
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)
    outcome_language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    outcome_language_reason: Mapped[str | None] = mapped_column(Text)


class TrainingRecord(CreatedAt, Base):
    """A member of staff's completed training, and when it needs renewing."""

    __tablename__ = "training_record"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    course: Mapped[str] = mapped_column(String(40))
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class JobRun(Base):
    """One run of a background job, queued, claimed (FOR UPDATE SKIP LOCKED) and recorded."""

    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_queue", "requested_at", postgresql_where=text("status = 'queued'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    params: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)
    requested_by: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    items_total: Mapped[int | None] = mapped_column(BigInteger)
    items_processed: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # What the run is doing now (e.g. "escalating"), shown with the counts as its progress.
    stage: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
