"""Fixtures for the timeliness tests: a social care agency with a team (worker, manager, head of
service), a police force, a case both are on, and the web and browser fixtures of their folders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.models import Agency, User
from safehub.db.uow import UnitOfWork, unit_of_work
from safehub.services.accounts.users import actor_for, create_user
from safehub.services.agencies import ensure_team
from safehub.services.casework.cases import open_case
from tests.conftest import PASSWORD
from tests.web.conftest import client, signed_in

__all__ = ["client", "signed_in"]

SYSTEM = Actor(label="system:test")


@dataclass(frozen=True)
class World:
    """Ids of the people and places the timeliness tests work with."""

    social_care: int
    police: int
    team: int
    worker: int
    manager: int
    head: int
    police_officer: int
    police_head: int
    case_id: int

    def actor(self, db: Database, user_id: int) -> Actor:
        with unit_of_work(db, actor=SYSTEM) as uow:
            user = uow.session.get(User, user_id)
            assert user is not None
            return actor_for(user)


def _user(uow: UnitOfWork, name: str, role: str, agency: Agency, team_id: int | None) -> int:
    user = create_user(
        uow,
        username=name,
        display_name=name.split("@")[0].replace("-", " ").title(),
        password=PASSWORD,
        role=role,
        agency_id=agency.id,
        team_id=team_id,
        email=f"{name.split('@')[0]}@example.org",
    )
    return user.id


@pytest.fixture
def world(app_db: Database) -> World:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        agencies = {a.code: a for a in uow.session.scalars(select(Agency))}
        la, police = agencies["LA-BRADFORD"], agencies["POL-WY"]
        team = ensure_team(uow, agency=la, name="Exploitation team")
        police_team = ensure_team(uow, agency=police, name="Child exploitation unit")
        ids = {
            "worker": _user(uow, "sam-worker@la", "social_worker", la, team.id),
            "manager": _user(uow, "tara-manager@la", "team_manager", la, team.id),
            "head": _user(uow, "hana-head@la", "head_of_service", la, team.id),
            "police_officer": _user(
                uow, "pat-officer@pol", "police_investigator", police, police_team.id
            ),
            "police_head": _user(uow, "priya-head@pol", "head_of_service", police, police_team.id),
        }
        case = open_case(
            uow,
            title="Child sexual exploitation concerns",
            children=[],
            agency_ids=[la.id, police.id],
            member_ids=[ids["worker"], ids["police_officer"]],
        )
        uow.commit()
        return World(la.id, police.id, team.id, case_id=case.id, **ids)


@pytest.fixture
def uow_of(app_db: Database) -> Iterator[object]:
    """``with uow_of(actor) as uow:`` a unit of work as that actor."""
    yield lambda actor: unit_of_work(app_db, actor=actor)


def at(text_time: str) -> datetime:
    """An aware UTC time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text_time).replace(tzinfo=UTC)


def count(db: Database, sql: str, **params: object) -> int:
    with db.owner_engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())
