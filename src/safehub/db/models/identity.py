"""Identity resolution in the database: the saved model, the candidate index, pairs, link events.

- ``linkage_model``: the trained model (JSON), so resolution and the intake check need no file.
- ``identity_candidate`` and ``identity_block_key``: one row per agency person with the features
  the in-process scorer reads, and the blocking keys (names, dates, postcodes, strong
  identifiers) that find candidates through an index. Restricted people are never matchable:
  they have no keys, so no search can find them.
- ``match_pair``: pairs a person must decide (the review queue) and what they decided; a
  rejected pair is never proposed again.
- ``person_link_event``: every merge, split and undo, who or what decided it and on what
  evidence, so each can be reversed.
- ``intake_check_log``: when each user ran the intake check, for its rate limit (no fishing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class StoredLinkageModel(CreatedAt, Base):
    """A trained linkage model; the newest row is the one in use."""

    __tablename__ = "linkage_model"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[dict[str, object]] = mapped_column(JSONB)
    # Identifier values held under too many names to identify anyone (a family phone).
    shared: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    records: Mapped[int] = mapped_column(Integer, default=0)


class IdentityCandidate(Base):
    """An agency person as the matcher sees them (no protected characteristic ever stored)."""

    __tablename__ = "identity_candidate"

    agency_person_id: Mapped[int] = mapped_column(ForeignKey("agency_person.id"), primary_key=True)
    features: Mapped[dict[str, object]] = mapped_column(JSONB)
    name_key: Mapped[str] = mapped_column(Text, default="")
    matchable: Mapped[bool] = mapped_column(Boolean, default=True)
    of_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class IdentityBlockKey(Base):
    """One blocking key of a matchable agency person (``kind|value``)."""

    __tablename__ = "identity_block_key"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    agency_person_id: Mapped[int] = mapped_column(
        ForeignKey("agency_person.id"), primary_key=True, index=True
    )


class MatchPair(CreatedAt, Base):
    """Two agency people the model could not settle: pending, confirmed or rejected."""

    __tablename__ = "match_pair"
    __table_args__ = (
        UniqueConstraint("left_agency_person_id", "right_agency_person_id"),
        # The review queue's order (migration 0031), read backwards: most useful first.
        Index(
            "ix_match_pair_pending_queue",
            "worth_review",
            "priority",
            "match_probability",
            postgresql_where="status = 'pending'",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    left_agency_person_id: Mapped[int] = mapped_column(ForeignKey("agency_person.id"))
    right_agency_person_id: Mapped[int] = mapped_column(ForeignKey("agency_person.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    prior_weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    # Its place in the review queue (``linkage.queue.place_pairs``), set when it is queued: the
    # usefulness tier, whether it is worth a reviewer's time, and why it stands there.
    priority: Mapped[int] = mapped_column(Integer, server_default="0")
    worth_review: Mapped[bool] = mapped_column(Boolean, server_default="true")
    priority_reason: Mapped[str] = mapped_column(Text, server_default="")
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)


class PersonLinkEvent(CreatedAt, Base):
    """A merge, split or undo: what moved, who or what decided, on what evidence."""

    __tablename__ = "person_link_event"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # merge: the survivor; split: the person the record left; unmerge: the survivor.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # merge: the absorbed person; split: the new person; unmerge: the restored person.
    other_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    agency_person_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    decided_by: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(Text)
    match_pair_id: Mapped[int | None] = mapped_column(ForeignKey("match_pair.id"))
    confidence: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[dict[str, object]]] = mapped_column(JSONB, default=list)
    reason: Mapped[str] = mapped_column(Text)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("person_link_event.id"))


class IntakeCheckLog(Base):
    """When a user ran the intake check: the rate limit counts these (never what was typed)."""

    __tablename__ = "intake_check_log"
    __table_args__ = (Index("ix_intake_check_log_actor_at", "actor", "checked_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
