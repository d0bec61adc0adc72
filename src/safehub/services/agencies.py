"""The agency registry: every agency with its type and area, for cross-area alerts and oversight."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safehub.db.models import Agency, Team
from safehub.db.queries import agencies as q
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
        agency = q.get_agency_by_code(uow.session, entry.code)
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
    """The agency's team of this name, created if it does not exist yet."""
    team = q.get_team(uow.session, agency.id, name)
    if team is None:
        team = Team(agency_id=agency.id, name=name)
        uow.session.add(team)
        uow.session.flush()
        uow.audit("collection", "team", [team.id], purpose="agency registry")
    return team
