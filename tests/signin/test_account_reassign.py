"""Moving a user to another agency or role: only an administrator (or the system) may, through
the one database function that may write those columns; every session of the user ends."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.queries.accounts import set_user_agency_and_role
from safehub.db.uow import unit_of_work
from safehub.services.accounts import AccountChange, actor_for, create_user, reassign_user
from safehub.services.errors import ForbiddenError, RefusedError
from tests.conftest import PASSWORD

SYSTEM = Actor(label="system:test")


def _agencies(db: Database) -> dict[str, int]:
    with db.owner_engine.connect() as conn:
        return dict(conn.execute(text("SELECT code, id FROM agency")).all())


def _user(db: Database, name: str, role: str, agency_id: int) -> Actor:
    with unit_of_work(db, actor=SYSTEM) as uow:
        user = create_user(
            uow, username=name, display_name=name, password=PASSWORD, role=role, agency_id=agency_id
        )
        actor = actor_for(user)
        uow.commit()
    return actor


def _row(db: Database, user_id: int) -> tuple[int, str]:
    with db.owner_engine.connect() as conn:
        agency, role = conn.execute(
            text("SELECT agency_id, role FROM app_user WHERE id = :u"), {"u": user_id}
        ).one()
    return agency, role


def test_an_administrator_moves_a_user_to_another_agency_and_role(app_db: Database) -> None:
    agencies = _agencies(app_db)
    admin = _user(app_db, "admin", "administrator", agencies["LA-BRADFORD"])
    worker = _user(app_db, "worker", "social_worker", agencies["LA-BRADFORD"])
    with unit_of_work(app_db, actor=admin) as uow:
        reassign_user(
            uow,
            change=AccountChange(
                worker.user_id or 0, agencies["POL-WY"], "police_analyst", "moved to the police"
            ),
        )
        uow.commit()
    assert _row(app_db, worker.user_id or 0) == (agencies["POL-WY"], "police_analyst")


def test_a_social_worker_may_not_move_anyone(app_db: Database) -> None:
    agencies = _agencies(app_db)
    worker = _user(app_db, "worker", "social_worker", agencies["LA-BRADFORD"])
    change = AccountChange(worker.user_id or 0, agencies["POL-WY"], "social_worker", "wants in")
    with pytest.raises(ForbiddenError), unit_of_work(app_db, actor=worker) as uow:
        reassign_user(uow, change=change)
    assert _row(app_db, worker.user_id or 0) == (agencies["LA-BRADFORD"], "social_worker")


def test_the_database_refuses_the_function_to_a_non_administrator_with_the_checks_bypassed(
    app_db: Database,
) -> None:
    agencies = _agencies(app_db)
    worker = _user(app_db, "worker", "social_worker", agencies["LA-BRADFORD"])
    with (
        pytest.raises(DBAPIError, match="only an administrator"),
        unit_of_work(app_db, actor=worker) as uow,
    ):
        set_user_agency_and_role(
            uow.session, worker.user_id or 0, agency_id=agencies["POL-WY"], role="administrator"
        )


def test_an_unknown_role_is_refused_by_name(app_db: Database) -> None:
    agencies = _agencies(app_db)
    admin = _user(app_db, "admin", "administrator", agencies["LA-BRADFORD"])
    with pytest.raises(RefusedError) as refused, unit_of_work(app_db, actor=admin) as uow:
        reassign_user(
            uow, change=AccountChange(admin.user_id or 0, agencies["POL-WY"], "root", "testing")
        )
    assert set(refused.value.errors) == {"role"}
