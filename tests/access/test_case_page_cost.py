"""The case page asks the database a bounded number of questions (issue 15: under load its cost
was the number of statements, not the data) and still shows and audits exactly what it did:
each child's sealed envelopes with that child's own request status, one audit entry per view in
the view's transaction, and the signed head anchor on that entry."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from safehub.access.actor import Actor
from safehub.db.uow import unit_of_work
from safehub.http.context import SESSION_COOKIE
from safehub.services.casework.cases import open_case, view_case
from safehub.services.sharing.disclosures import DisclosureInput, request_disclosure
from tests.access.conftest import OTHER, OWN, SECRET, SYSTEM, World

# The case page's statements after this change: sign-in session and user (1), its last-seen
# time (1), the role and the user's context (3), the case with its team, agencies and children
# (1), the access facts (1), the chronology (1), sealed holders, contacts and request statuses
# (3), the children's names (1), the audit entry (3). It was 37 for a case of one child, and
# three more for each further child.
CASE_PAGE_STATEMENTS = 15


def _actor(world: World, role: str = "social_worker") -> Actor:
    user_id = world.users[f"{role}@{OWN}"]
    return Actor(
        f"user:{user_id}:{role}", user_id=user_id, agency_id=world.agencies[OWN], role=role
    )


@pytest.fixture(scope="module")
def two_children(world: World) -> int:
    """A case of the own agency's social worker about two children the police hold records on
    (no agreement: sealed), with a disclosure asked for about the second child only."""
    with unit_of_work(world.db, actor=SYSTEM) as uow:
        case = open_case(
            uow,
            title="Two children",
            children=[world.people["P-MEMBER"], world.people["P-INVOLVED"]],
            agency_ids=[world.agencies[OTHER]],
            member_ids=[world.users[f"social_worker@{OWN}"]],
        )
        uow.commit()
    with unit_of_work(world.db, actor=_actor(world)) as uow:
        request_disclosure(
            uow,
            request=DisclosureInput(
                person_id=world.people["P-INVOLVED"],
                owning_agency_id=world.agencies[OTHER],
                purpose="Planning the strategy meeting",
                lawful_basis="dpa_2018_sch1_para18",
            ),
        )
        uow.commit()
    return case.id


def test_each_childs_sealed_envelope_carries_that_childs_own_request_status(
    world: World, two_children: int
) -> None:
    with unit_of_work(world.db, actor=_actor(world)) as uow:
        case = view_case(uow, case_id=two_children)
    member, involved = world.people["P-MEMBER"], world.people["P-INVOLVED"]
    police = world.agencies[OTHER]
    # The children in id order, each with their own envelope and request status.
    assert [(s.person_id, s.agency_id, s.request_status) for s in case.sealed] == sorted(
        [(member, police, None), (involved, police, "requested")]
    )
    assert all(s.agency_name == "West Yorkshire Police" for s in case.sealed)
    assert [pid for pid, _ in case.children] == sorted([member, involved])


def test_the_case_page_sends_a_bounded_number_of_statements_and_audits_the_view(
    client: TestClient, world: World, two_children: int
) -> None:
    sent: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    token = world.session_for("social_worker")[0]
    event.listen(world.db.app_engine, "before_cursor_execute", count)
    try:
        page = client.get(f"/cases/{two_children}", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
    finally:
        event.remove(world.db.app_engine, "before_cursor_execute", count)
    assert page.status_code == 200
    assert len(sent) <= CASE_PAGE_STATEMENTS, "\n".join(sent)
    # What the page shows is what it showed before: both children's envelopes, the request.
    assert len(re.findall(r"West Yorkshire Police holds records about", page.text)) == 2
    assert "(your request: requested)" in page.text and SECRET not in page.text
    with world.db.owner_engine.connect() as conn:
        newest = conn.execute(
            text(
                "SELECT id, entry_hash, actor, object_type, object_ids, detail "
                "FROM audit_event ORDER BY id DESC LIMIT 1"
            )
        ).one()
    user_id = world.users[f"social_worker@{OWN}"]
    assert newest.actor == f"user:{user_id}:social_worker@{OWN.lower()}"
    assert newest.object_type == "case"
    assert newest.object_ids == [str(two_children)]
    assert newest.detail["children"] == sorted(
        [world.people["P-MEMBER"], world.people["P-INVOLVED"]]
    )
    assert newest.detail["sealed_agencies"] == [world.agencies[OTHER]]
    # The signed head anchor names the entry this view appended, with no query after commit.
    assert world.db.anchors is not None
    head = json.loads((world.db.anchors.folder / "head.json").read_text())
    assert (head["entry_id"], head["entry_hash"]) == (newest.id, newest.entry_hash)


def test_a_case_closed_to_the_user_is_still_refused_like_a_missing_one(
    client: TestClient, world: World
) -> None:
    token = world.session_for("social_worker")[0]
    cookie = {"Cookie": f"{SESSION_COOKIE}={token}"}
    shut = client.get(f"/cases/{world.cases['neither']}", headers=cookie)
    missing = client.get("/cases/987654", headers=cookie)
    assert shut.status_code == missing.status_code == 404
