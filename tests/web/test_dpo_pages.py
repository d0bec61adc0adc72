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
    unusual = page.text.split('id="audit-log"')[0]  # the log below lists every entry
    assert "user:77:trawler" in unusual and "user:78:normal" not in unusual


def test_only_the_dpo_role_sees_access_oversight(signed_in: Callable[..., PageClient]) -> None:
    assert signed_in("social_worker").get("/dpo").status_code == 404


def _user_id(db: Database, username: str) -> int:
    from sqlalchemy import text

    with db.owner_engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM app_user WHERE username = :u"), {"u": username})
        return int(found.scalar_one())


def _looks(db: Database, username: str, person: int, times: int = 1, purpose: str = "x") -> None:
    """What a person page view logs, as that member of staff."""
    user = _user_id(db, username)
    with unit_of_work(db, actor=Actor(label=f"user:{user}:{username}", user_id=user)) as uow:
        for _ in range(times):
            uow.audit("consultation", "person", [person], purpose=purpose)
        uow.commit()


def test_the_lookup_with_only_a_person_number_works(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    dpo = signed_in("data_protection_officer", "LA-BRADFORD")
    page = dpo.get("/dpo?person=17&user=&agency=&action=&date_from=&date_to=")
    assert page.status_code == 200
    assert "valid integer" not in page.text


def test_a_mistyped_field_is_named_in_the_error_summary_and_the_others_are_kept(
    signed_in: Callable[..., PageClient],
) -> None:
    dpo = signed_in("data_protection_officer", "LA-BRADFORD")
    page = dpo.get("/dpo", params={"person": "abc", "date_from": "2024-02-30", "user": "12"})
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert 'href="#person"' in page.text and "Person number must be a whole number" in page.text
    assert 'href="#date_from"' in page.text and "The date from must be a real date" in page.text
    assert 'value="12"' in page.text  # the user number typed is kept


def test_the_dpo_sees_who_viewed_a_child_last_week_filtered_by_agency_and_date(
    signed_in: Callable[..., PageClient],
    make_user: Callable[..., str],
    app_db: Database,
    tmp_path: Path,
) -> None:
    from datetime import date, timedelta

    child, _ = aisha_across_agencies(app_db, tmp_path)
    officer = make_user("police_investigator", "POL-WY")
    worker = make_user("social_worker", "LA-BRADFORD")
    _looks(app_db, officer, child, purpose="strategy discussion")
    _looks(app_db, worker, child, purpose="home visit")
    dpo = signed_in("data_protection_officer", "LA-BRADFORD")
    today = date.today()
    week = {"person": child, "date_from": str(today - timedelta(days=7)), "date_to": str(today)}
    page = dpo.get("/dpo", params=week)
    assert "strategy discussion" in page.text and "home visit" in page.text
    police = dpo.get("/dpo", params={**week, "agency": "POL-WY"})
    assert "strategy discussion" in police.text and "home visit" not in police.text
    assert "West Yorkshire" in police.text or "POL-WY" in police.text
    later = dpo.get("/dpo", params={**week, "date_from": str(today + timedelta(days=1))})
    assert later.status_code == 400 or "strategy discussion" not in later.text
    looked = dpo.get("/dpo", params={"person": child, "action": "consultation"})
    assert "strategy discussion" in looked.text
    changed = dpo.get("/dpo", params={"person": child, "action": "alteration"})
    assert "strategy discussion" not in changed.text


def test_the_log_is_paged_and_its_export_is_itself_logged(
    signed_in: Callable[..., PageClient], make_user: Callable[..., str], app_db: Database
) -> None:
    from sqlalchemy import text

    from safehub.services.sharing.dpo import AUDIT_PAGE_SIZE

    viewer = make_user("social_worker", "LA-BRADFORD")
    _looks(app_db, viewer, 4242, times=AUDIT_PAGE_SIZE + 5, purpose="=HYPERLINK(1)")
    dpo = signed_in("data_protection_officer", "LA-BRADFORD")
    first = dpo.get("/dpo", params={"person": 4242})
    assert f"{AUDIT_PAGE_SIZE + 5} entries, page 1 of 2" in first.text
    assert first.text.count("=HYPERLINK(1)") == AUDIT_PAGE_SIZE
    second = dpo.get("/dpo", params={"person": 4242, "page": 2})
    assert second.text.count("=HYPERLINK(1)") == 5 and "Previous" in second.text
    csv = dpo.get("/dpo/audit.csv", params={"person": 4242})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("when,who,") and len(lines) == AUDIT_PAGE_SIZE + 6
    assert "'=HYPERLINK(1)" in lines[1]  # a formula to a spreadsheet is escaped
    with app_db.owner_engine.connect() as conn:
        logged = conn.execute(
            text(
                "SELECT detail FROM audit_event WHERE action = 'disclosure' "
                "AND object_type = 'audit_log' ORDER BY id DESC LIMIT 1"
            )
        ).scalar_one()
    assert logged["filters"] == {"person": "4242"} and logged["rows"] == AUDIT_PAGE_SIZE + 5
