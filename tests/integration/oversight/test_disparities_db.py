"""Disparity monitoring against the real database: units written and read as the system, the
period's disparities replaced in one audited transaction, and row-level security letting a
signed-in user read the aggregates but never the units."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.models import User
from safehub.db.models.oversight import OversightUnit
from safehub.db.uow import unit_of_work
from safehub.services.accounts.users import actor_for
from safehub.services.errors import ForbiddenError, RefusedError
from safehub.services.oversight.disparities import (
    DisparityRequest,
    build_disparities,
    read_disparities,
)

SYSTEM = Actor(label="system:test")


def _insert_units(db: Database) -> None:
    """80 crime reports charged or still waiting: Black suspects' charges take four times as long."""
    with unit_of_work(db, actor=SYSTEM) as uow:
        for i in range(80):
            group = ("White", "Black", None)[i % 3]
            days = float(10 + (i % 20) * (4 if group == "Black" else 1))
            uow.session.add(
                OversightUnit(
                    measure_code="crime_to_charge",
                    unit_key=f"unit-{i:03d}",
                    area_kind="local_authority",
                    area_code="E08000032",
                    period=date(2026, 1 + i % 12, 1),
                    suspect_ethnicity=group,
                    victim_sex="F",
                    days=days,
                    event=i % 7 != 0,
                )
            )
        uow.audit("collection", "oversight_unit", ["test"], purpose="test units")
        uow.commit()


def _user_actor(db: Database, username: str) -> Actor:
    with unit_of_work(db, actor=SYSTEM) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        return actor_for(user)


def test_disparities_are_rebuilt_as_the_system_and_only_aggregates_reach_a_user(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    _insert_units(app_db)
    for _ in range(2):  # a rebuild replaces the period's rows, it never adds to them
        with unit_of_work(app_db, actor=SYSTEM) as uow:
            build = build_disparities(uow, request=DisparityRequest("2026"))
            uow.commit()
    assert "differs by suspect ethnicity" in build.statement
    user = _user_actor(app_db, make_user())
    with unit_of_work(app_db, actor=user) as uow:
        stored = read_disparities(uow, period="2026")
        units_seen = uow.session.execute(text("SELECT count(*) FROM oversight_unit")).scalar_one()
    assert stored.rows == build.rows and stored.statement == build.statement
    black = next(
        r for r in stored.rows if r.dimension == "suspect_ethnicity" and r.group == "Black"
    )
    assert (black.n, black.flagged) == (27, True)
    assert black.p_value is not None and "log-rank" in black.test
    assert units_seen == 0  # row-level security: the units are the system's alone
    with app_db.owner_engine.connect() as conn:
        audit = conn.execute(
            text(
                "SELECT action, detail FROM audit_event "
                "WHERE object_type = 'oversight_disparity' ORDER BY id"
            )
        ).all()
    assert [a.action for a in audit] == ["combination", "combination"]
    assert audit[-1].detail["units_read"] == 80
    assert audit[-1].detail["rows_removed"] == audit[-1].detail["rows_written"] == len(build.rows)


def test_a_month_reads_only_that_months_units(app_db: Database) -> None:
    _insert_units(app_db)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        build = build_disparities(uow, request=DisparityRequest("2026-03"))
        uow.commit()
    counts = {r.group: r.n for r in build.rows if r.dimension == "suspect_ethnicity"}
    assert sum(counts.values()) == 7  # units 2, 14, 26, 38, 50, 62, 74


def test_a_user_cannot_build_disparities_and_a_bad_period_is_refused(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    user = _user_actor(app_db, make_user())
    with unit_of_work(app_db, actor=user) as uow, pytest.raises(ForbiddenError):
        build_disparities(uow, request=DisparityRequest("2026"))
    with unit_of_work(app_db, actor=SYSTEM) as uow, pytest.raises(RefusedError) as refused:
        build_disparities(uow, request=DisparityRequest("26-1"))
    assert refused.value.errors == {
        "period": "Enter the period as a year (2026) or a year and month (2026-03)"
    }
