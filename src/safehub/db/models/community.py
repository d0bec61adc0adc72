"""Community reports: what a member of the public tells the partnership through the public app,
the messages between the hub and the reporter, and the answers of a report still being written.

The public app works as the database role ``safehub_public``, which may insert a report and
nothing else directly; it reaches drafts, a report's status and its messages only through the
``SECURITY DEFINER`` functions of migration ``0019``, given the report's reference and the key
derived from its secret phrase. Staff read reports under row-level security (safeguarding
leads only).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class CommunityReport(Base):
    """One report. No IP address or other trace of the reporter is kept beyond what they typed."""

    __tablename__ = "community_report"
    __table_args__ = (
        CheckConstraint(
            "about IN ('child', 'place', 'vehicle', 'person', 'online')", name="about_known"
        ),
        CheckConstraint(
            "status IN ('received', 'in_review', 'closed', 'converted')", name="status_known"
        ),
        CheckConstraint(
            "converted_kind IN ('record', 'referral', 'case_note')", name="converted_kind_known"
        ),
        # A converted report says what it became (migration 0023).
        CheckConstraint(
            "(status = 'converted') = (converted_kind IS NOT NULL AND converted_ref IS NOT NULL)",
            name="converted_whole",
        ),
        CheckConstraint("urgency IN ('urgent', 'high', 'routine')", name="urgency_known"),
        # The limits the forms state, held by the database too (abuse resistance).
        CheckConstraint("char_length(what_seen) BETWEEN 1 AND 3000", name="what_seen_size"),
        CheckConstraint("char_length(place_description) <= 500", name="place_size"),
        CheckConstraint("char_length(other_identifier) <= 300", name="other_identifier_size"),
        CheckConstraint("char_length(reporter_contact) <= 200", name="contact_size"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # What the reporter quotes to come back: never a database id.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # Argon2id of the secret phrase, salted by the reference (services.community.phrases).
    phrase_key: Mapped[bytes] = mapped_column(LargeBinary)
    about: Mapped[str] = mapped_column(String(20))
    what_seen: Mapped[str] = mapped_column(Text)
    # Signs of urgency the reporter ticked (danger_now, missing, regular, gifts).
    signs: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    urgency: Mapped[str] = mapped_column(String(10))
    seen_on: Mapped[date | None] = mapped_column(Date)
    seen_time: Mapped[str | None] = mapped_column(String(20))
    place_postcode: Mapped[str | None] = mapped_column(String(10))
    place_description: Mapped[str | None] = mapped_column(Text)
    vehicle_registration: Mapped[str | None] = mapped_column(String(12))
    phone: Mapped[str | None] = mapped_column(String(24))
    online_handle: Mapped[str | None] = mapped_column(String(100))
    other_identifier: Mapped[str | None] = mapped_column(Text)
    # The person the reporter is worried about, if they know: a name with an age or a date of
    # birth can be matched against what agencies hold (services.community.matching).
    subject_name: Mapped[str | None] = mapped_column(String(100))
    subject_age: Mapped[str | None] = mapped_column(String(20))
    reporter_name: Mapped[str | None] = mapped_column(String(100))
    reporter_contact: Mapped[str | None] = mapped_column(Text)
    # The reporter agreed that staff may see the exact place and day (else: district and week).
    share_exact: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'received'"))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # The colleague a safeguarding lead gave the report to.
    assigned_to_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("app_user.id"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the report became: a shared record entry, a referral or a case note.
    converted_kind: Mapped[str | None] = mapped_column(String(12))
    converted_id: Mapped[int | None] = mapped_column(BigInteger)
    converted_ref: Mapped[str | None] = mapped_column(String(40))
    converted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CommunityReportMessage(Base):
    """A question or update from the hub, or more information or an answer from the reporter."""

    __tablename__ = "community_report_message"
    __table_args__ = (
        CheckConstraint("sender IN ('hub', 'reporter')", name="sender_known"),
        CheckConstraint("char_length(body) BETWEEN 1 AND 2000", name="body_size"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("community_report.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    sent_by_user_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("app_user.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # A hub question's language check (migration 0027): the flags, and the reason it was sent
    # as written; a member of the public reads it, so blaming words are held before it goes.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)


class CommunityReportMatch(Base):
    """What a report's identifiers matched among agency holdings when the match job last looked
    (migration 0028): evidence only, never a record's content. Written by the system only."""

    __tablename__ = "community_report_match"

    report_id: Mapped[int] = mapped_column(ForeignKey("community_report.id"), primary_key=True)
    matched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # A list of evidence: identifier, holding, agencies, people, of_concern, groups, held
    # ((person, agency) pairs), blurred (services.community.stored_matches).
    evidence: Mapped[list[dict[str, object]]] = mapped_column(JSONB)


class CommunityReportDraft(Base):
    """The answers of a report being written, kept at most two hours, found by the SHA-256 of
    a random token that only the reporter's browser holds (a cookie)."""

    __tablename__ = "community_report_draft"

    key_hash: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    answers: Mapped[dict[str, object]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


class CommunityRateCount(Base):
    """Attempts from one address in one ten-minute bucket, by the SHA-256 of the address and the
    day's random salt: never the address. Deleted after 24 hours, the salts after a day."""

    __tablename__ = "community_rate_count"

    bucket_hash: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    action: Mapped[str] = mapped_column(String(10), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), primary_key=True, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer)


class CommunityRateSalt(Base):
    """Today's salt: once it is deleted, yesterday's hashes cannot be tied to an address."""

    __tablename__ = "community_rate_salt"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
