"""Information sharing: agreements between agencies, disclosure requests, break-glass grants.

Row-level security reads these tables (``0004_need_to_know``): an agreement or a granted request
opens another agency's records to a partner; a break-glass grant opens a record to one user for a
short time, with a stated reason that the data protection officer is alerted to.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class SharingAgreement(CreatedAt, Base):
    """One direction of an information-sharing agreement: what the provider shares with the
    recipient, for which purpose, on which lawful basis. A two-way agreement is two rows."""

    __tablename__ = "sharing_agreement"
    __table_args__ = (
        Index(
            "ix_sharing_agreement_provider_recipient", "provider_agency_id", "recipient_agency_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    provider_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    recipient_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    purpose: Mapped[str] = mapped_column(Text)
    # UK GDPR Art. 6(1)(e) public task, or DPA 2018 Part 3 (law enforcement) for police.
    lawful_basis: Mapped[str] = mapped_column(String(40))
    # DPA 2018 Sch. 1 para 18 (UK GDPR) or Sch. 8 para 4 (Part 3): safeguarding of children.
    special_category_condition: Mapped[str] = mapped_column(String(40))
    power_to_share: Mapped[str] = mapped_column(Text)
    record_types: Mapped[list[str]] = mapped_column(ARRAY(Text))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SharingContact(Base):
    """Whom to contact at an agency about its records (shown on a sealed envelope)."""

    __tablename__ = "sharing_contact"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)


class DisclosureRequest(CreatedAt, Base):
    """A request to open another agency's records about a person, decided by that agency."""

    __tablename__ = "disclosure_request"
    __table_args__ = (
        Index(
            "ix_disclosure_request_lookup",
            "person_id",
            "owning_agency_id",
            "requesting_agency_id",
            "status",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    owning_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    requesting_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    requested_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    purpose: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class BreakGlassGrant(CreatedAt, Base):
    """A user opened a record they could not otherwise see, saying why; it lapses by itself."""

    __tablename__ = "break_glass_grant"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (case_id IS NULL)", name="one_subject"),
        Index("ix_break_glass_grant_user_expiry", "user_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_case.id"))
    reason: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Indexed lookups the row-level security helpers make on the shared record's tables; declared
# here, with the policies that need them, so that the owners of those tables need not know.
def _rls_indexes() -> None:
    from safehub.db.models.casework import CaseAgency, SafeguardingCase
    from safehub.db.models.records import AgencyPerson, AgencyRecord

    Index("ix_rls_agency_person_agency", AgencyPerson.agency_id, AgencyPerson.person_id)
    Index("ix_rls_agency_record_agency", AgencyRecord.agency_id)
    Index("ix_rls_case_agency_agency", CaseAgency.agency_id, CaseAgency.case_id)
    Index("ix_rls_safeguarding_case_lead", SafeguardingCase.lead_user_id)


_rls_indexes()
