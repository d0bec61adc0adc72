"""The oversight portal's own record (migration 0022): audit samples of case files as
pseudonymised, redacted snapshots, the inspector's findings, and the register of queries.

- ``oversight_sample``: one random draw (seeded, so it can be shown to be random).
- ``oversight_sample_file``: one snapshot per file drawn. It holds no case id, person id or
  reference: the oversight role reads it, and must never be able to go back to the case.
- ``oversight_finding``: one answer to one checklist question about one file.
- ``oversight_query_log``: every query the oversight body runs, which it can publish.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class OversightSample(Base):
    __tablename__ = "oversight_sample"
    __table_args__ = (
        CheckConstraint("size BETWEEN 1 AND 100", name="size_range"),
        CheckConstraint("statuses IN ('open', 'closed', 'both')", name="statuses_known"),
        CheckConstraint("period_start <= period_end", name="period_order"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    drawn_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    seed: Mapped[int] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    statuses: Mapped[str] = mapped_column(String(10))  # "open", "closed" or "both"
    eligible: Mapped[int] = mapped_column(Integer)  # how many case files it was drawn from


class OversightSampleFile(Base):
    __tablename__ = "oversight_sample_file"
    __table_args__ = (
        UniqueConstraint("sample_id", "position", name="uq_oversight_sample_file_position"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("oversight_sample.id"))
    position: Mapped[int] = mapped_column(Integer)  # "File 1", "File 2", ...
    status: Mapped[str] = mapped_column(String(10))  # the case was "open" or "closed"
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)


class OversightFinding(Base):
    __tablename__ = "oversight_finding"
    __table_args__ = (
        CheckConstraint("answer IN ('yes', 'no', 'not_applicable')", name="answer_known"),
        CheckConstraint("char_length(comment) <= 2000", name="comment_size"),
        UniqueConstraint("file_id", "question", name="uq_oversight_finding_question"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("oversight_sample_file.id"))
    question: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(14))
    comment: Mapped[str | None] = mapped_column(Text)
    # The comment's language check (migration 0027): flags, and why it was kept as written.
    language_flags: Mapped[list[dict[str, object]] | None] = mapped_column(JSONB)
    language_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class OversightQueryLog(Base):
    __tablename__ = "oversight_query_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    query: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb"), default=dict
    )
    rows_returned: Mapped[int] = mapped_column(Integer)
