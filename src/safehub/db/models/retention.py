"""Retention by review: record classes with their review periods, the reviews a person decides,
and the tombstones that erasures leave.

- ``retention_class``: one row per class of record (a case, a referral without a case, a referral
  closed with no further action): its review period in years, what the period counts from, and
  where the period comes from (IICSA for allegations of child sexual abuse; a partnership setting
  where no national rule exists, which the data protection officer may change).
- ``retention_review``: a record that reached its review date, found by the review job; a person
  decides to keep it (with a new review date), anonymise it or erase it (with a reason). Nothing
  is deleted without such a decision: the erasing function refuses a review that is not due.
- ``retention_tombstone``: what an erasure removed (counts by kind, never content), when, by
  whom and why.

Reviews and tombstones name records by id and reference, never a person's details.
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
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class RetentionClass(Base):
    """A class of record and how long before a person reviews it."""

    __tablename__ = "retention_class"
    __table_args__ = (
        CheckConstraint("record_kind IN ('case', 'referral', 'community')", name="kind_known"),
        CheckConstraint("years BETWEEN 1 AND 150", name="years_sensible"),
    )

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    record_kind: Mapped[str] = mapped_column(String(10))
    years: Mapped[int] = mapped_column(Integer)
    counted_from: Mapped[str] = mapped_column(Text)  # in words: "the last entry on the case"
    source: Mapped[str] = mapped_column(Text)  # where the period comes from
    # A partnership setting the data protection officer may change; a national one is not.
    editable: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(Text)


class RetentionReview(Base):
    """A record that reached its review date, and what a person decided about it."""

    __tablename__ = "retention_review"
    __table_args__ = (
        CheckConstraint("record_kind IN ('case', 'referral', 'community')", name="kind_known"),
        CheckConstraint("status IN ('due', 'kept', 'anonymised', 'erased')", name="status_known"),
        CheckConstraint("status <> 'kept' OR next_review_on IS NOT NULL", name="kept_has_date"),
        CheckConstraint(
            "status NOT IN ('anonymised', 'erased') OR length(trim(reason)) > 0",
            name="removal_has_reason",
        ),
        CheckConstraint("(status = 'due') = (decided_at IS NULL)", name="decided_unless_due"),
        # One open review per record, whatever the job finds twice.
        Index(
            "ux_retention_review_open",
            "record_kind",
            "record_id",
            unique=True,
            postgresql_where=text("status = 'due'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(10))
    # No foreign key: an erased record is gone, its review and tombstone stay.
    record_id: Mapped[int] = mapped_column(BigInteger)
    record_ref: Mapped[str] = mapped_column(String(40))
    class_code: Mapped[str] = mapped_column(ForeignKey("retention_class.code"), index=True)
    last_entry_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    found_by_run_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12), default="due")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_by: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)


class RetentionTombstone(Base):
    """What an erasure removed, when, by whom and why: the record is gone, the fact is not."""

    __tablename__ = "retention_tombstone"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("retention_review.id"), unique=True)
    record_kind: Mapped[str] = mapped_column(String(10))
    record_id: Mapped[int] = mapped_column(BigInteger)
    record_ref: Mapped[str] = mapped_column(String(40))
    class_code: Mapped[str] = mapped_column(ForeignKey("retention_class.code"))
    # Counts by kind of entry ("case_note": 4, "referral": 1 …), never their content.
    erased: Mapped[dict[str, int]] = mapped_column(JSONB)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    erased_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    erased_by: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
