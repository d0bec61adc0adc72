"""The demo: a synthetic area imported, staff in two police forces and two councils, and cases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text

from safehub.db.models import Agency, User
from safehub.db.uow import UnitOfWork
from safehub.services.accounts.mfa import set_up_totp
from safehub.services.accounts.users import create_user
from safehub.services.agencies import ensure_team
from safehub.services.cases import open_case

DEMO_PASSWORD = "safehub-demo-only"  # printed by `safehub demo`; development environments only
# Every demo user's authenticator app secret (base32), printed by the demo
# so that it can be typed into an app; `safehub demo-code USERNAME` prints the current code.
DEMO_TOTP_SECRET = "SAFEHUBDEMOONLYNOTFORREALUSE2345"

_ROLES_BY_TYPE = {
    "police": (
        "police_investigator",
        "police_analyst",
        "team_manager",
        "head_of_service",
        "data_protection_officer",
        "administrator",
    ),
    "social_care": (
        "social_worker",
        "mash_triage",
        "team_manager",
        "head_of_service",
        "data_protection_officer",
        "administrator",
    ),
    "health": ("health_practitioner",),
    "education": ("school_dsl",),
    "licensing": ("licensing_officer",),
    "oversight": ("oversight_inspector",),
}


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str
    agency: str


def seed_users(uow: UnitOfWork) -> list[DemoUser]:
    """A user for each role that fits each agency, with one shared demo password."""
    made = []
    for agency in uow.session.scalars(select(Agency).order_by(Agency.code)):
        team = ensure_team(uow, agency=agency, name=f"{agency.name} safeguarding team")
        for role in _ROLES_BY_TYPE.get(agency.agency_type, ()):
            username = f"{role.replace('_', '-')}@{agency.code.lower()}"
            if uow.session.scalars(select(User).where(User.username == username)).first():
                continue
            user = create_user(
                uow,
                username=username,
                display_name=_display(role, agency.code),
                password=DEMO_PASSWORD,
                role=role,
                agency_id=agency.id,
                team_id=team.id,
            )
            # A known second factor, for the demo only.
            set_up_totp(uow, user_id=user.id, secret=DEMO_TOTP_SECRET, now=datetime.now(UTC))
            made.append(DemoUser(username, role, agency.code))
    return made


def _display(role: str, code: str) -> str:
    return f"{role.replace('_', ' ').capitalize()} ({code})"


def open_cases_for_victims(
    uow: UnitOfWork, *, victims: list[list[int]], lead_agency_code: str
) -> int:
    """A case per child victim (each given as the person ids of their agency records), with the
    agencies that hold records about the child and their staff on the case team."""
    lead = uow.session.scalars(select(Agency).where(Agency.code == lead_agency_code)).one()
    holders = _agencies_holding(uow, [p for child in victims for p in child])
    users_by_agency: dict[int, list[int]] = defaultdict(list)
    for user in uow.session.scalars(
        select(User).where(
            User.role.in_(
                ("social_worker", "police_investigator", "team_manager", "health_practitioner")
            )
        )
    ):
        users_by_agency[user.agency_id].append(user.id)
    for child in victims:
        agencies = sorted({a for p in child for a in holders.get(p, [])} | {lead.id})
        members = [u for a in agencies for u in users_by_agency.get(a, [])]
        open_case(
            uow,
            title="Child sexual exploitation concerns",
            children=child,
            agency_ids=agencies,
            member_ids=members,
        )
    return len(victims)


def _agencies_holding(uow: UnitOfWork, people: list[int]) -> dict[int, list[int]]:
    rows = uow.session.execute(
        text("SELECT DISTINCT person_id, agency_id FROM agency_person WHERE person_id = ANY(:p)"),
        {"p": people},
    ).all()
    found: dict[int, list[int]] = defaultdict(list)
    for person_id, agency_id in rows:
        found[person_id].append(agency_id)
    return found


def person_ids_for(uow: UnitOfWork, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The person id behind each (agency_code, person_ref)."""
    rows = uow.session.execute(
        text(
            "SELECT a.code, ap.person_ref, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id"
        )
    ).all()
    wanted = set(keys)
    return {(r[0], r[1]): r[2] for r in rows if (r[0], r[1]) in wanted}
