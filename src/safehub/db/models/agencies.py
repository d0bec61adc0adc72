"""The agency registry, teams and staff users."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt


class Agency(CreatedAt, Base):
    """An agency of the partnership, with the area (ONS GSS code) it serves."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    agency_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    area_code: Mapped[str | None] = mapped_column(String(12))
    area_name: Mapped[str | None] = mapped_column(Text)


class Team(CreatedAt, Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(Text)


class User(CreatedAt, Base):
    """A member of staff. Access rules (role, team, agency) live in ``safehub.access``."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(40))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    email: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
