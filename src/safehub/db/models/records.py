"""Agency records (format v1), the people in them, their identifiers, and resolved people."""

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
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class Person(CreatedAt, Base):
    """One real person, as resolved across agencies. Ids are stable: never renumbered."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # Too little to match on (no name, or a name alone): kept as a person of its own, marked.
    insufficient: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # A merge keeps the absorbed person's row, pointing at the survivor, so it can be undone.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)


class AgencyPerson(CreatedAt, Base):
    """A person as one agency knows them (``person_ref``), linked to the resolved person."""

    __tablename__ = "agency_person"
    __table_args__ = (UniqueConstraint("agency_id", "person_ref"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    person_ref: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    link_confidence: Mapped[float | None] = mapped_column()
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class AgencyRecord(CreatedAt, Base):
    """A crime report, referral, missing episode…: the unit of an agency extract."""

    __tablename__ = "agency_record"
    __table_args__ = (UniqueConstraint("agency_id", "record_ref"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    record_ref: Mapped[str] = mapped_column(Text)
    record_type: Mapped[str] = mapped_column(String(30), index=True)
    record_date: Mapped[date] = mapped_column(Date, index=True)
    location_name: Mapped[str | None] = mapped_column(Text)
    # Indexed: a community report's place is matched against the places of records (0023).
    location_postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    narrative: Mapped[str | None] = mapped_column(Text)
    area_code: Mapped[str | None] = mapped_column(String(12))
    offence_code: Mapped[str | None] = mapped_column(Text)
    group_based: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    intel_grading: Mapped[str | None] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RecordVersion(Base):
    """The record-level values a later extract replaced: records are amended, never rewritten."""

    __tablename__ = "agency_record_version"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("agency_record.id"), index=True)
    values: Mapped[dict[str, object]] = mapped_column(JSONB)
    replaced_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class PersonMention(CreatedAt, Base):
    """A person in a record, as that row of the extract described them. A changed row is a new
    version; the old one is kept with ``current`` false."""

    __tablename__ = "person_mention"
    __table_args__ = (
        Index(
            "ux_person_mention_current",
            "record_id",
            "agency_person_id",
            unique=True,
            postgresql_where="current",
        ),
        # The people search's trigram index (migration 0029): its function and operator class
        # exist only in the database, so the expression is written as the migration wrote it.
        Index(
            "ix_person_mention_name_trgm",
            text("safehub_mention_name(given_names, family_name, aliases) gin_trgm_ops"),
            postgresql_using="gin",
            postgresql_where="current",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("agency_record.id"), index=True)
    agency_person_id: Mapped[int] = mapped_column(ForeignKey("agency_person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    person_role: Mapped[str] = mapped_column(String(20))
    given_names: Mapped[str | None] = mapped_column(Text)
    family_name: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    dob_year: Mapped[int | None] = mapped_column(SmallInteger)
    dob_month: Mapped[int | None] = mapped_column(SmallInteger)
    dob_day: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[str | None] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(Text)
    # Recorded for oversight and disparity monitoring only: never an input to matching or risk.
    ethnicity_self_defined: Mapped[str | None] = mapped_column(String(4))
    ethnicity_observed: Mapped[str | None] = mapped_column(String(4))
    nationality: Mapped[str | None] = mapped_column(String(4))
    indicators: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    person_outcome: Mapped[str | None] = mapped_column(String(20))
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None] = mapped_column(Integer)


class PersonIdentifier(Base):
    """An identifier as given, with its normalised form (NULL when it failed its check)."""

    __tablename__ = "person_identifier"
    __table_args__ = (Index("ix_person_identifier_kind_norm", "kind", "normalised"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("person_mention.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str | None] = mapped_column(Text)
