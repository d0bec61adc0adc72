"""Victim-centred practice: language checks kept with each note version, local language rules,
exploitation indicators and their suggested levels, the child's voice, support, and who has
already heard the child's account."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class NoteLanguageCheck(CreatedAt, Base):
    """The language flags found when a note version was saved, kept with it (never rewritten):
    what the checker said, and whether the author saved it anyway."""

    __tablename__ = "note_language_check"

    note_id: Mapped[int] = mapped_column(ForeignKey("case_note.id"), primary_key=True)
    flags: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    flag_count: Mapped[int] = mapped_column(Integer)
    saved_despite_flags: Mapped[bool] = mapped_column(Boolean)
    # A digest of the rules in force, so a later audit can tell old flags from new rules.
    rules_digest: Mapped[str] = mapped_column(String(64))
    # Why the author saved the note with its flags (required then; None for a clean note).
    reason: Mapped[str | None] = mapped_column(Text)


class ReferralLanguageCheck(CreatedAt, Base):
    """The language flags in a referral's concern text when it was sent, and the referrer's
    reason for sending it as written (written once, never changed)."""

    __tablename__ = "referral_language_check"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), primary_key=True)
    flags: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    flag_count: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    rules_digest: Mapped[str] = mapped_column(String(64))


class LanguageRule(CreatedAt, Base):
    """A rule a safeguarding lead added in the UI, merged with the shipped ones."""

    __tablename__ = "language_rule"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(Text)
    patterns: Mapped[list[str]] = mapped_column(ARRAY(Text))
    why: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))
    # Words that can replace the flagged phrase as they stand (the editor's "use this" button).
    replacement: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChildIndicator(CreatedAt, Base):
    """An exploitation indicator or an item of evidence of abuse, recorded for a child by a
    professional. Withdrawn, never deleted."""

    __tablename__ = "child_indicator"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # "indicator" (a sign of risk) or "evidence" (abuse is happening): kept apart on purpose.
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    details: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_by_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class IndicatorAssessment(CreatedAt, Base):
    """A suggested level as it stood after a change: its reasons, the rule and what it rested on.
    Each change adds a row, so the history is kept."""

    __tablename__ = "indicator_assessment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    level: Mapped[str | None] = mapped_column(String(30))
    reasons: Mapped[list[str]] = mapped_column(JSONB)
    rule: Mapped[str] = mapped_column(String(60))
    inputs: Mapped[dict[str, object]] = mapped_column(JSONB)
    assessed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The language flags in what the checklist said was known (the details kept with the items
    # this change recorded or withdrew), and why its author kept it as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)


class ChildVoice(CreatedAt, Base):
    """The child's own words or wishes, recorded as such and attributed."""

    __tablename__ = "child_voice"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "words" or "wishes"
    content: Mapped[str] = mapped_column(Text)
    said_on: Mapped[date] = mapped_column(Date)
    said_to: Mapped[str] = mapped_column(Text)
    setting: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class SupportPlan(CreatedAt, Base):
    """A child's support plan. A new plan supersedes the last; none is rewritten."""

    __tablename__ = "support_plan"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    plan: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("support_plan.id"))
    # The language flags found when the plan was saved, and why it was saved as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)


class SupportReferral(CreatedAt, Base):
    """A referral to a support service (an advocate, sexual health, mental health…), tracked to
    its outcome."""

    __tablename__ = "support_referral"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    service: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str | None] = mapped_column(Text)
    referred_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language flags in the outcome when it was written, and why it was kept as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)


class AccountHeard(CreatedAt, Base):
    """Someone who has already heard the child's account, so the child is not asked again."""

    __tablename__ = "account_heard"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    heard_by: Mapped[str] = mapped_column(Text)
    heard_by_role: Mapped[str | None] = mapped_column(Text)
    heard_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40))
    details: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    # The language flags in the details when they were written, and why they were kept as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)
