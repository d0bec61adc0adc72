"""One database per test module for the access tests: the fixture data is built once, because
the matrix asks hundreds of questions of the same people, cases and alerts."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import text

from safehub.access import ROLES
from safehub.access.actor import Actor
from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.uow import unit_of_work
from safehub.extracts import read_extracts
from safehub.services.accounts.users import create_user
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.alerts import NewAlert, raise_alerts
from safehub.services.casework.cases import open_case
from safehub.services.handlers import HANDLERS
from safehub.services.imports import import_extracts
from safehub.web.app import create_app
from tests.conftest import PASSWORD, TEMPLATE
from tests.factories import extract_row, write_extract

SYSTEM = Actor(label="system:test")
OWN, OTHER, THIRD = "LA-BRADFORD", "POL-WY", "HEALTH-BD"
# Words that appear only in another agency's record content: never on a page without a basis.
SECRET = "Zanzibar-narrative-only-police-know"
_names = itertools.count()


@dataclass
class World:
    """The fixture data: ids of every kind of object the matrix asks about, and sessions."""

    db: Database
    people: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # "role@AGENCY" -> user id
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (session, csrf)

    def session_for(self, role: str, agency: str = OWN) -> tuple[str, str]:
        return self.tokens[f"{role}@{agency}"]


@pytest.fixture(scope="module")
def module_db(pg_server_uri: str) -> Iterator[Database]:
    name = f"access{next(_names)}_{secrets.token_hex(3)}"
    ensure_database(pg_server_uri, name, template=TEMPLATE)
    folder = Path(tempfile.mkdtemp(prefix="safehub-access-"))
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(folder)})
    database = connect(settings, url=sqlalchemy_url(pg_server_uri, name), handlers=HANDLERS)
    yield database
    database.dispose()
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _rows() -> list[dict[str, str]]:
    police = {"agency_code": OTHER, "agency_type": "police", "record_type": "crime_report"}
    council = {"agency_code": OWN, "agency_type": "social_care", "record_type": "referral"}
    return [
        extract_row(
            **council,
            record_id="R-1",
            person_ref="C-OWN",
            given_names="Olivia",
            family_name="Ownby",
            narrative="Council knows Olivia.",
        ),
        extract_row(
            **police,
            record_id="CR-1",
            person_ref="P-OTHER",
            given_names="Priya",
            family_name="Otherton",
            narrative=SECRET,
        ),
        extract_row(
            **police,
            record_id="CR-2",
            person_ref="P-MEMBER",
            given_names="Mia",
            family_name="Memberley",
            narrative=SECRET,
        ),
        extract_row(
            **police,
            record_id="CR-3",
            person_ref="P-INVOLVED",
            given_names="Ivy",
            family_name="Involvedson",
            narrative=SECRET,
        ),
        extract_row(
            **council,
            record_id="R-2",
            person_ref="C-RESTRICTED",
            given_names="Rosa",
            family_name="Refugeton",
            restricted="Y",
            narrative="Refuge placement.",
        ),
        extract_row(
            **police,
            record_id="CR-4",
            person_ref="P-RESTRICTED",
            given_names="Wanda",
            family_name="Witnessby",
            restricted="Y",
            narrative=SECRET,
        ),
    ]


def _import(db: Database, folder: Path) -> None:
    path = write_extract(folder / "access.csv", _rows())
    batch = read_extracts([path])
    assert batch.ok, batch.errors
    with unit_of_work(db, actor=SYSTEM) as uow:
        import_extracts(uow, batch=batch, files=[str(path)])
        uow.commit()


def _lookup(db: Database, world: World) -> None:
    with db.owner_engine.connect() as conn:
        for code, agency_id in conn.execute(text("SELECT code, id FROM agency")).all():
            world.agencies[code] = agency_id
        for ref, pid in conn.execute(text("SELECT person_ref, person_id FROM agency_person")).all():
            world.people[ref] = pid


def _users(db: Database, world: World) -> None:
    with unit_of_work(db, actor=SYSTEM) as uow:
        for agency in (OWN, OTHER):
            for role in ROLES:
                user = create_user(
                    uow,
                    username=f"{role}@{agency.lower()}",
                    display_name=role,
                    password=PASSWORD,
                    role=role,
                    agency_id=world.agencies[agency],
                )
                world.users[f"{role}@{agency}"] = user.id
        uow.commit()
    now = datetime.now(UTC)
    with db.owner_engine.begin() as conn:
        for key, user_id in world.users.items():
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute(
                text(
                    "INSERT INTO web_session (token_hash, user_id, created_at, last_seen_at, csrf_token) "
                    "VALUES (:h, :u, :n, :n, :c)"
                ),
                {
                    "h": hashlib.sha256(token.encode()).hexdigest(),
                    "u": user_id,
                    "n": now,
                    "c": csrf,
                },
            )
            world.tokens[key] = (token, csrf)


def _cases_and_alerts(db: Database, world: World) -> None:
    own_staff = [u for k, u in world.users.items() if k.endswith(f"@{OWN}")]
    with unit_of_work(db, actor=SYSTEM) as uow:
        p, a = world.people, world.agencies
        member = open_case(
            uow,
            title="Case the user is on",
            children=[p["P-MEMBER"]],
            agency_ids=[a[OTHER]],
            member_ids=own_staff,
        )
        involved = open_case(
            uow,
            title="Case of an involved agency",
            children=[p["P-INVOLVED"]],
            agency_ids=[a[OTHER], a[OWN]],
            member_ids=[],
        )
        neither = open_case(
            uow,
            title="Case of neither",
            children=[p["P-OTHER"]],
            agency_ids=[a[OTHER]],
            member_ids=[],
        )
        world.cases.update(member=member.id, involved=involved.id, neither=neither.id)
        ids = raise_alerts(
            uow,
            alerts=[
                NewAlert(
                    kind="network",
                    title="To own agency",
                    reasons=["r"],
                    rule="t",
                    target_agency_id=a[OWN],
                    dedupe_key="own",
                    person_id=p["C-OWN"],
                ),
                NewAlert(
                    kind="network",
                    title="To other agency",
                    reasons=["r"],
                    rule="t",
                    target_agency_id=a[OTHER],
                    dedupe_key="other",
                    person_id=p["P-OTHER"],
                ),
                NewAlert(
                    kind="network",
                    title="About a restricted person",
                    reasons=["r"],
                    rule="t",
                    target_agency_id=a[OWN],
                    dedupe_key="restricted",
                    person_id=p["P-RESTRICTED"],
                ),
            ],
            purpose="test",
        )
        world.alerts.update(own=ids[0], other=ids[1], restricted=ids[2])
        uow.commit()


@pytest.fixture(scope="module")
def world(module_db: Database) -> World:
    with unit_of_work(module_db, actor=SYSTEM) as uow:
        register_agencies(
            uow,
            entries=[
                AgencyEntry(
                    OTHER, "police", "West Yorkshire Police", "E23000010", "West Yorkshire"
                ),
                AgencyEntry(
                    OWN, "social_care", "Bradford Children's Social Care", "E08000032", "Bradford"
                ),
                AgencyEntry(THIRD, "health", "Bradford Health", "E08000032", "Bradford"),
            ],
        )
        uow.commit()
    built = World(module_db)
    _import(module_db, Path(tempfile.mkdtemp(prefix="safehub-access-data-")))
    _lookup(module_db, built)
    _users(module_db, built)
    _cases_and_alerts(module_db, built)
    return built


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    """The staff app over the access world, signed in by each test as it needs."""
    with TestClient(
        create_app(world.db), base_url="https://testserver", follow_redirects=False
    ) as c:
        yield c
