"""The data protection officer sees who has looked at a child, and unusual access."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.sharing.dpo import UNUSUAL_PEOPLE_PER_DAY
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies


def test_the_dpo_sees_who_looked_at_a_child_and_why(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    child, _ = aisha_across_agencies(app_db, tmp_path)
    # What a person page view logs (tests/web covers that the view logs it).
    with unit_of_work(app_db, actor=Actor(label="user:42:nosy", user_id=42)) as uow:
        uow.audit("consultation", "person", [child], purpose="checking on a neighbour")
        uow.commit()
    page = signed_in("data_protection_officer", "LA-BRADFORD").get("/dpo", params={"person": child})
    assert page.status_code == 200
    assert "user:42:nosy" in page.text and "checking on a neighbour" in page.text


def test_many_people_viewed_in_a_day_is_flagged_as_unusual(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    with unit_of_work(app_db, actor=Actor(label="user:77:trawler", user_id=77)) as uow:
        for person in range(UNUSUAL_PEOPLE_PER_DAY):
            uow.audit("consultation", "person", [person], purpose="case work")
        uow.commit()
    with unit_of_work(app_db, actor=Actor(label="user:78:normal", user_id=78)) as uow:
        uow.audit("consultation", "person", [1], purpose="case work")
        uow.commit()
    page = signed_in("data_protection_officer", "LA-BRADFORD").get("/dpo")
    assert "user:77:trawler" in page.text and "user:78:normal" not in page.text


def test_only_the_dpo_role_sees_access_oversight(signed_in: Callable[..., PageClient]) -> None:
    assert signed_in("social_worker").get("/dpo").status_code == 404
