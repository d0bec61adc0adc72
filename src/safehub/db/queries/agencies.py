"""SQL for the agency registry, teams and who holds records about whom."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models import Agency, Team, User
from safehub.db.models.sharing import SharingAgreement


def get_agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.code == code)).first()


def list_agencies(session: Session, *, order_by: str = "code") -> list[Agency]:
    """Every agency of the partnership, by code (or by ``name``)."""
    column = Agency.name if order_by == "name" else Agency.code
    return list(session.scalars(select(Agency).order_by(column)))


def get_team(session: Session, agency_id: int, name: str) -> Team | None:
    query = select(Team).where(Team.agency_id == agency_id, Team.name == name)
    return session.scalars(query).first()


def list_agreement_directions(session: Session) -> set[tuple[int, int]]:
    """(provider, recipient) of every information-sharing agreement recorded."""
    rows = session.execute(
        select(SharingAgreement.provider_agency_id, SharingAgreement.recipient_agency_id)
    )
    return {(p, r) for p, r in rows}


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def list_users_with_roles(session: Session, roles: tuple[str, ...]) -> list[User]:
    query = select(User).where(User.role.in_(roles)).order_by(User.id)
    return list(session.scalars(query))


def list_agencies_holding(session: Session, people: list[int]) -> dict[int, list[int]]:
    """By person, the agencies that hold records about them."""
    rows = session.execute(
        text(
            "SELECT DISTINCT person_id, agency_id FROM agency_person "
            "WHERE person_id = ANY(:p) ORDER BY person_id, agency_id"
        ),
        {"p": people},
    ).all()
    found: dict[int, list[int]] = defaultdict(list)
    for person_id, agency_id in rows:
        found[person_id].append(agency_id)
    return found


def list_person_ids_by_ref(session: Session) -> dict[tuple[str, str], int]:
    """The person behind every (agency_code, person_ref)."""
    rows = session.execute(
        text(
            "SELECT a.code, ap.person_ref, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id"
        )
    ).all()
    return {(r[0], r[1]): r[2] for r in rows}
