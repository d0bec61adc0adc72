"""The people search through the trigram index and ``safehub_mention_ids_named`` (migration 0033)
finds what the name filter over every row found, for each user, and row-level security still
decides what a user sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.queries import people as q
from safehub.db.uow import unit_of_work
from safehub.services.casework.people import find_people
from tests.factories import extract_row
from tests.web.helpers import (
    aisha_across_agencies,
    case_for,
    import_rows,
    person_id,
    share_between_demo_agencies,
)

# The query as it was before 0033: the name filter on every row, beneath the policy.
_BEFORE = """
SELECT ap.person_id, ap.agency_id, a.code, r.record_type, ap.restricted,
  trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')), m.date_of_birth
FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id
JOIN agency_record r ON r.id = m.record_id JOIN agency a ON a.id = ap.agency_id
WHERE m.current AND {clauses} ORDER BY ap.person_id, a.code LIMIT 2000
"""


def _before(session: Session, name: str) -> list[q.MentionFact]:
    words = name.lower().split()
    clauses = " AND ".join(
        "lower(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'') || ' ' || "
        f"coalesce(array_to_string(m.aliases, ' '),'')) LIKE :w{i}"
        for i in range(len(words))
    )
    rows = session.execute(
        text(_BEFORE.format(clauses=clauses)), {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    ).all()
    return [q.MentionFact(*r) for r in rows]


def _actor(db: Database, username: str) -> Actor:
    with db.owner_engine.connect() as conn:
        uid, agency, role = conn.execute(
            text("SELECT id, agency_id, role FROM app_user WHERE username = :u"), {"u": username}
        ).one()
    return Actor(label=f"user:{uid}:{username}", user_id=uid, agency_id=agency, role=role)


@pytest.fixture
def people(app_db: Database, tmp_path: Path, make_user: Callable[..., str]) -> dict[str, int]:
    """Ayesha known to police and social care (on a case with the social worker, the agencies
    sharing), a suspect, a witness the police keep restricted, and names with LIKE's signs."""
    police_child, council_child = aisha_across_agencies(app_db, tmp_path)
    (tmp_path / "more").mkdir()
    import_rows(
        app_db,
        tmp_path / "more",
        [
            extract_row(
                record_id="CR-8",
                person_ref="P-8",
                person_role="witness",
                given_names="Wanda",
                family_name="Hussainby",
                restricted="Y",
            ),
            extract_row(
                record_id="CR-9", person_ref="P-9", given_names="Sean", family_name="O_Neil"
            ),
            extract_row(
                record_id="CR-10", person_ref="P-10", given_names="Sean", family_name="OXNeil"
            ),
        ],
    )
    share_between_demo_agencies(app_db)
    social_worker = make_user("social_worker", "LA-BRADFORD")
    make_user("police_investigator", "POL-WY")
    case_for(app_db, [police_child, council_child], [social_worker])
    return {
        "police_child": police_child,
        "council_child": council_child,
        "witness": person_id(app_db, "POL-WY", "P-8"),
        "o_neil": person_id(app_db, "POL-WY", "P-9"),
        "oxneil": person_id(app_db, "POL-WY", "P-10"),
    }


@pytest.mark.parametrize("username", ["social_worker@la-bradford", "police_investigator@pol-wy"])
def test_a_search_finds_the_same_mentions_as_the_name_filter_did_for_each_user(
    app_db: Database, people: dict[str, int], username: str
) -> None:
    actor = _actor(app_db, username)
    found_any = False
    with unit_of_work(app_db, actor=actor) as uow:
        for name in ("hussain", "aisha", "AISHA hus", "khan", "ay", "hussein ayesha", "zzz"):
            after = q.matching_mentions(uow.session, name=name, date_of_birth=None)
            assert after == _before(uow.session, name), (username, name)
            found_any = found_any or bool(after)
    assert found_any
    # Across agencies: the social worker finds Ayesha both as the police and the council know her.
    if username.startswith("social_worker"):
        with unit_of_work(app_db, actor=actor) as uow:
            found = {
                m.person_id for m in q.matching_mentions(uow.session, name="a", date_of_birth=None)
            }
        assert {people["police_child"], people["council_child"]} <= found


def test_another_agencys_restricted_mention_is_not_found_though_its_id_matches(
    app_db: Database, people: dict[str, int]
) -> None:
    police = _actor(app_db, "police_investigator@pol-wy")
    social_worker = _actor(app_db, "social_worker@la-bradford")
    with unit_of_work(app_db, actor=social_worker) as uow:
        ids = list(
            uow.session.execute(
                text("SELECT safehub_mention_ids_named(:w, NULL)"), {"w": ["hussainby"]}
            ).scalars()
        )
        facts = q.matching_mentions(uow.session, name="hussainby", date_of_birth=None)
        page = find_people(uow, name="wanda hussainby")
    # The function gives the app an id; row-level security keeps the mention from this user.
    assert len(ids) == 1 and facts == [] and page.total == 0
    with unit_of_work(app_db, actor=police) as uow:
        facts = q.matching_mentions(uow.session, name="hussainby", date_of_birth=None)
    assert [f.person_id for f in facts] == [people["witness"]]


def test_the_function_is_the_staff_apps_alone_and_answers_only_who_may_read_mentions(
    app_db: Database, people: dict[str, int], make_user: Callable[..., str]
) -> None:
    ask = text("SELECT safehub_mention_ids_named(:w, NULL)")
    inspector = _actor(app_db, make_user("oversight_inspector", "LA-BRADFORD"))
    with unit_of_work(app_db, actor=inspector) as uow, pytest.raises(ProgrammingError) as refused:
        uow.session.execute(ask, {"w": ["hussain"]}).all()
    assert "permission denied for function safehub_mention_ids_named" in str(refused.value)
    # A staff session without an agency is not an identifiable context: no id at all.
    social_worker = _actor(app_db, "social_worker@la-bradford")
    agencyless = Actor(social_worker.label, social_worker.user_id, None, social_worker.role)
    with unit_of_work(app_db, actor=agencyless) as uow:
        assert uow.session.execute(ask, {"w": ["hussain"]}).all() == []
    with unit_of_work(app_db, actor=social_worker) as uow:
        assert uow.session.execute(ask, {"w": ["hussain"]}).all() != []


def test_likes_signs_in_a_name_typed_are_matched_literally(
    app_db: Database, people: dict[str, int]
) -> None:
    police = _actor(app_db, "police_investigator@pol-wy")
    with unit_of_work(app_db, actor=police) as uow:
        people_for = {
            name: {
                m.person_id for m in q.matching_mentions(uow.session, name=name, date_of_birth=None)
            }
            for name in ("o_neil", "oxneil", "o%neil", "%", "_", "\\", "sean o_")
        }
    assert people_for["o_neil"] == {people["o_neil"]}
    assert people_for["oxneil"] == {people["oxneil"]}
    assert people_for["sean o_"] == {people["o_neil"]}
    for name in ("o%neil", "%", "\\"):
        assert people_for[name] == set(), name
    assert people_for["_"] == {people["o_neil"]}


def test_an_empty_name_still_searches_by_exact_date_of_birth(
    app_db: Database, people: dict[str, int]
) -> None:
    social_worker = _actor(app_db, "social_worker@la-bradford")
    with unit_of_work(app_db, actor=social_worker) as uow:
        by_date = q.matching_mentions(uow.session, name="", date_of_birth="2011-07")
        by_name_and_date = q.matching_mentions(uow.session, name="ayesha", date_of_birth="2011-07")
        nobody = q.matching_mentions(uow.session, name="ayesha", date_of_birth="2012")
    assert people["council_child"] in {m.person_id for m in by_date}
    assert {m.person_id for m in by_name_and_date} == {people["council_child"]}
    assert nobody == []
