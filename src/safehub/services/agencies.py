"""The agency registry: every agency with its type and area, for cross-area alerts and oversight."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from safehub.db.models import Agency, Team
from safehub.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    code: str
    agency_type: str
    name: str
    area_code: str | None
    area_name: str | None


def register_agencies(uow: UnitOfWork, *, entries: Iterable[AgencyEntry]) -> list[Agency]:
    """Create or update agencies by code (an import may already have created them by code only)."""
    saved = []
    for entry in entries:
        agency = uow.session.scalars(select(Agency).where(Agency.code == entry.code)).first()
        if agency is None:
            agency = Agency(code=entry.code)
            uow.session.add(agency)
        agency.agency_type = entry.agency_type
        agency.name = entry.name
        agency.area_code = entry.area_code
        agency.area_name = entry.area_name
        saved.append(agency)
    uow.session.flush()
    uow.audit("alteration", "agency", [a.code for a in saved], purpose="agency registry")
    return saved


def ensure_team(uow: UnitOfWork, *, agency: Agency, name: str) -> Team:
    team = uow.session.scalars(
        select(Team).where(Team.agency_id == agency.id, Team.name == name)
    ).first()
    if team is None:
        team = Team(agency_id=agency.id, name=name)
        uow.session.add(team)
        uow.session.flush()
        uow.audit("collection", "team", [team.id], purpose="agency registry")
    return team
