"""Alerts: something a team should look at, with its reasons, confirmed or dismissed by a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class Alert(CreatedAt, Base):
    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(Text)
    # Each reason is a sentence a practitioner can check: which records, identifiers, rule.
    reasons: Mapped[list[str]] = mapped_column(JSONB)
    evidence: Mapped[dict[str, object]] = mapped_column(JSONB)
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10), default="high")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_case.id"), index=True)
    target_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    target_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    # The agency whose information the alert rests on. Without an information-sharing agreement
    # the alert is sealed: the recipient learns that something exists and whom to contact.
    owning_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The language checker's flags on the decision's reason, and why its author kept it as
    # written (docs/language.md): a dismissal reason is free text about a child.
    decision_language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    decision_language_reason: Mapped[str | None] = mapped_column(Text)
    # The person in the agency working the alert (none: the team's to pick up).
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    # The same finding raised twice is one alert (re-running a job must not flood a team).
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
