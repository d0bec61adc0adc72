"""The practice demo data goes in through the real services."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.practice.demo import seed_practice
from tests.practice.conftest import ChildOnCase


def test_the_demo_adds_notes_with_flags_an_amendment_and_a_suggested_level(
    app_db: Database, child_on_case: ChildOnCase, make_user: Callable[..., str]
) -> None:
    username = make_user("social_worker", "LA-BRADFORD")
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        uow.session.execute(
            text("INSERT INTO case_member SELECT :c, id FROM app_user WHERE username = :u"),
            {"c": child_on_case.case_id, "u": username},
        )
        uow.mark_changed()
        assert seed_practice(uow) == 1
        uow.commit()
    with app_db.owner_engine.connect() as conn:
        flags = (
            conn.execute(text("SELECT flag_count FROM note_language_check ORDER BY note_id"))
            .scalars()
            .all()
        )
        level = conn.execute(text("SELECT level FROM indicator_assessment")).scalar_one()
    assert flags == [2, 0, 1, 0]
    assert level == "significant"
