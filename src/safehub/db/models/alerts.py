"""Alerts: something a team should look at, with its reasons, confirmed or dismissed by a person.

A sealed alert is two rows. ``alert`` holds what the recipient may know: that something exists,
its kind, a title that says only the kind, whom to contact (``owning_agency_id``) and the
decision. ``alert_content`` holds what rests on another agency's records (the full title, the
reasons, the evidence), under its own row-level security: the owning agency reads it, and the
recipient once an agreement or a granted disclosure covers every record it rests on
(``sources``). An alert that is not sealed keeps its content in its own row: its recipient is
entitled to it from the start.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, String, Text
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


class AlertContent(Base):
    """What a sealed alert says: readable by the owning agency, and by the recipient once every
    record it rests on is shared with them (row-level security, migration 0017)."""

    __tablename__ = "alert_content"
    # An empty list would open the content to the recipient with nothing shared.
    __table_args__ = (
        CheckConstraint(
            "jsonb_typeof(sources) = 'array' AND jsonb_array_length(sources) > 0",
            name="rests_on_records",
        ),
    )

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alert.id", ondelete="CASCADE"), primary_key=True
    )
    owning_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    # Copied from the alert (which never changes its recipient or subject), so that the policy
    # reads this row alone.
    target_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # [{"agency_id": …, "record_type": …}, …]: the records the content rests on. A null record
    # type opens only by a disclosure.
    sources: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    title: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(JSONB)
    evidence: Mapped[dict[str, object]] = mapped_column(JSONB)
