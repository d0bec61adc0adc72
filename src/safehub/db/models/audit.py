"""The audit log: append-only and hash-chained (DPA 2018 s.62)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class AuditEvent(Base):
    """Who did what to which records, when, from where and why. Never a payload."""

    __tablename__ = "audit_event"
    # The DPO's list of security events reads the newest entries of a few actions.
    __table_args__ = (Index("ix_audit_event_action_id", "action", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(40))
    object_ids: Mapped[list[str]] = mapped_column(JSONB)
    purpose: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, object]] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class WebSession(Base):
    """A signed-in browser. Only a hash of the token is stored, so a database read cannot replay it."""

    __tablename__ = "web_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    csrf_token: Mapped[str] = mapped_column(String(64))


class FormDraft(Base):
    """What a user has typed into a form so far, kept on the server so that a session timeout
    (15 minutes idle, for safety) never loses it."""

    __tablename__ = "form_draft"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[dict[str, object]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
