"""Referrals, cases, notes and decisions: the shared case record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class Referral(CreatedAt, Base):
    """A concern about a child, from any agency, awaiting a decision."""

    __tablename__ = "referral"
    # A client that retries a POST after a lost answer sends the same key: one referral, not two.
    __table_args__ = (
        UniqueConstraint("referred_by_user_id", "idempotency_key", name="uq_referral_idempotency"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    child_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    child_given_names: Mapped[str] = mapped_column(Text)
    child_family_name: Mapped[str] = mapped_column(Text)
    child_date_of_birth: Mapped[date | None] = mapped_column(Date)
    referring_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    # The council whose social care decides, when the referrer said (a force covers several).
    council_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    referred_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    concern_type: Mapped[str] = mapped_column(String(40))
    concern: Mapped[str] = mapped_column(Text)
    immediate_danger: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="awaiting_decision")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    # The API's ``Idempotency-Key`` header, unique per referrer (None for the form's referrals).
    idempotency_key: Mapped[str | None] = mapped_column(String(100))


class SafeguardingCase(CreatedAt, Base):
    __tablename__ = "safeguarding_case"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    opened_on: Mapped[date] = mapped_column(Date, server_default=func.current_date())


class CaseChild(Base):
    __tablename__ = "case_child"

    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class CaseAgency(Base):
    """An agency involved in a case; its staff have a need to know."""

    __tablename__ = "case_agency"

    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)


class CaseMember(Base):
    """A member of staff on the case team."""

    __tablename__ = "case_member"

    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)


class CaseNote(CreatedAt, Base):
    """A note is a record: never rewritten. An amendment is a new version that supersedes it."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("case_note.id"))


class Decision(CreatedAt, Base):
    __tablename__ = "case_decision"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    decided_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decision: Mapped[str] = mapped_column(String(60))
    reasons: Mapped[str] = mapped_column(Text)
