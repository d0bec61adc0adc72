"""The demo: a synthetic area imported, staff in two police forces and two councils, and cases.

Police and children's social care of the same area share by agreement; a force and the council
of the *other* area work together on children who cross the border with no agreement, and
health and schools share by none: what they hold reaches their partners as sealed alerts, so
that the sealed envelope can be seen (and its opening by a disclosure tried) in the demo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from safehub.db.queries import agencies as q
from safehub.db.uow import UnitOfWork
from safehub.services.accounts.mfa import set_up_totp
from safehub.services.accounts.users import create_user
from safehub.services.agencies import ensure_team
from safehub.services.casework.cases import open_case

DEMO_PASSWORD = "safehub-demo-only"  # printed by `safehub demo`; development environments only
# Every demo user's authenticator app secret (base32), printed by the demo so that it can be
# typed into an app; `safehub demo-code USERNAME` prints the current code.
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


_CASE_TEAM_ROLES = ("social_worker", "police_investigator", "team_manager", "health_practitioner")


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str
    agency: str


def seed_users(uow: UnitOfWork) -> list[DemoUser]:
    """A user for each role that fits each agency, with one shared demo password."""
    made = []
    for agency in q.list_agencies(uow.session):
        team = ensure_team(uow, agency=agency, name=f"{agency.name} safeguarding team")
        for role in _ROLES_BY_TYPE.get(agency.agency_type, ()):
            username = f"{role.replace('_', '-')}@{agency.code.lower()}"
            if q.get_user_by_username(uow.session, username) is not None:
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


class AreaAgency(Protocol):
    """An agency of the synthetic area (``synthetic.geography.Agency``): its code, type and the
    local area whose people it mostly sees."""

    @property
    def code(self) -> str: ...
    @property
    def agency_type(self) -> str: ...
    @property
    def local(self) -> str: ...


def partnerships_without_agreement(agencies: Iterable[AreaAgency]) -> set[tuple[str, str]]:
    """(police, social care) codes of a force and a council of different local areas: they
    share children who cross the border but, in the demo, no information-sharing agreement.

    >>> from collections import namedtuple
    >>> A = namedtuple("A", "code agency_type local")
    >>> sorted(partnerships_without_agreement([A("POL-WY", "police", "bradford"),
    ...     A("LA-BRADFORD", "social_care", "bradford"), A("POL-GM", "police", "rochdale"),
    ...     A("LA-ROCHDALE", "social_care", "rochdale")]))
    [('POL-GM', 'LA-BRADFORD'), ('POL-WY', 'LA-ROCHDALE')]
    """
    listed = list(agencies)
    police = [a for a in listed if a.agency_type == "police"]
    councils = [a for a in listed if a.agency_type == "social_care"]
    return {(p.code, c.code) for p in police for c in councils if p.local != c.local}


def _display(role: str, code: str) -> str:
    return f"{role.replace('_', ' ').capitalize()} ({code})"


def open_cases_for_victims(
    uow: UnitOfWork, *, victims: list[list[int]], lead_agency_code: str
) -> int:
    """A case per child victim (each given as the person ids of their agency records), with the
    agencies that hold records about the child and their staff on the case team."""
    lead = q.get_agency_by_code(uow.session, lead_agency_code)
    if lead is None:
        raise ValueError(f"no agency {lead_agency_code} in the registry")
    holders = q.list_agencies_holding(uow.session, [p for child in victims for p in child])
    users_by_agency: dict[int, list[int]] = defaultdict(list)
    for user in q.list_users_with_roles(uow.session, _CASE_TEAM_ROLES):
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


def person_ids_for(uow: UnitOfWork, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The person id behind each (agency_code, person_ref)."""
    wanted = set(keys)
    return {k: p for k, p in q.list_person_ids_by_ref(uow.session).items() if k in wanted}


@dataclass(frozen=True, slots=True)
class StartingAccount:
    """One of the demo accounts to start with, and what to try with it."""

    username: str
    who: str
    try_this: str


# The three journeys that show what Safehub is for, in the order a newcomer might take them.
_STARTERS = (
    (
        "social_worker",
        "a social worker in children's services",
        "Home shows your overdue and due work; open a child's case and its merged chronology.",
    ),
    (
        "police_analyst",
        "a police intelligence analyst",
        "Networks: candidate groups, key people and the link chart, each with its reasons.",
    ),
    (
        "data_protection_officer",
        "a data protection officer",
        "Access oversight: who looked at a child, when and why; unusual access; export the log.",
    ),
)


def starting_accounts(uow: UnitOfWork) -> list[StartingAccount]:
    """The first demo account of each starting role (by username), with what to try."""
    found = []
    for role, who, try_this in _STARTERS:
        users = sorted(q.list_users_with_roles(uow.session, (role,)), key=lambda u: u.username)
        if users:
            found.append(StartingAccount(users[0].username, who, try_this))
    return found
