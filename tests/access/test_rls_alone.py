"""Row-level security on its own: the application's checks bypassed (raw SQL in a unit of work),
as ``safehub_app`` with a user's context set the way the app sets it, a query returns nothing the
user's agency may not know.

The fixture data (``conftest.world``): the council (OWN) holds Olivia and a restricted child;
the police (OTHER) hold Priya (on a case of the police alone), Mia (on a case the council's staff
are members of), Ivy (on a case both agencies work) and a restricted witness. Identity rows,
meetings and training are added here by the owner, as the jobs and services would write them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.rls import NON_PERSONAL_TABLES
from safehub.db.uow import unit_of_work
from tests.access.conftest import OTHER, OWN, SECRET, THIRD, World

# People the council's staff may know, and those they may not (by the police's person_ref).
VISIBLE = ("C-OWN", "C-RESTRICTED", "P-MEMBER", "P-INVOLVED")
HIDDEN = ("P-OTHER", "P-RESTRICTED")
# Tables that every user of an identifiable role reads whatever their agency knows, and why.
OPEN_TO_IDENTIFIABLE_ROLES = {
    "sharing_contact": "whom to contact about an agency's records: the sealed envelope's address",
    "network_group": "group sizes and scores; members are filtered by person",
    "linkage_model": "the trained model's parameters: no person",
    "retention_class": "record classes and their review periods: no person",
}


@dataclass
class Fixture:
    world: World
    agency_people: dict[str, int]  # person_ref -> agency_person id
    pairs: dict[str, int]  # "visible" / "hidden" -> match_pair id
    meetings: dict[str, int]
    training: dict[str, int]  # agency code -> training_record id


def _as(world: World, role: str, agency: str) -> Actor:
    user_id = world.users.get(f"{role}@{agency}", 999_999)
    return Actor(
        label=f"user:{user_id}:{role}", user_id=user_id, agency_id=world.agencies[agency], role=role
    )


def _scalars(db: Database, actor: Actor, sql: str) -> set[int]:
    with unit_of_work(db, actor=actor) as uow:
        return {int(v) for v in uow.session.execute(text(sql)).scalars()}


def _identity_rows(conn: object, ap: dict[str, int]) -> dict[str, int]:
    execute = conn.execute  # type: ignore[attr-defined]
    for ref, ap_id in ap.items():
        execute(
            text(
                "INSERT INTO identity_candidate (agency_person_id, features, name_key, matchable, "
                "of_concern) VALUES (:ap, '{}', :k, true, false)"
            ),
            {"ap": ap_id, "k": ref.lower()},
        )
        execute(
            text("INSERT INTO identity_block_key (key, agency_person_id) VALUES (:k, :ap)"),
            {"k": f"n|{ref.lower()}", "ap": ap_id},
        )
    pairs = {}
    for name, left, right in (("visible", "C-OWN", "P-MEMBER"), ("hidden", "C-OWN", "P-OTHER")):
        pairs[name] = execute(
            text(
                "INSERT INTO match_pair (left_agency_person_id, right_agency_person_id, status, "
                "match_probability, match_weight, prior_weight, evidence, reason) "
                "VALUES (:l, :r, 'pending', 0.8, 2.0, -3.0, '[]', 'similar names') RETURNING id"
            ),
            {"l": ap[left], "r": ap[right]},
        ).scalar_one()
    return pairs


def _meetings(conn: object, world: World) -> dict[str, int]:
    execute = conn.execute  # type: ignore[attr-defined]
    police_user = world.users[f"police_investigator@{OTHER}"]
    meetings = {}
    for name, case in (("hidden", "neither"), ("visible", "involved")):
        meetings[name] = execute(
            text(
                "INSERT INTO meeting (case_id, kind, title, scheduled_for, status, "
                "organising_agency_id, created_by_user_id) VALUES "
                "(:c, 'strategy_discussion', 'Strategy', :at, 'planned', :a, :u) RETURNING id"
            ),
            {
                "c": world.cases[case],
                "at": datetime.now(UTC),
                "a": world.agencies[OTHER],
                "u": police_user,
            },
        ).scalar_one()
        execute(
            text("INSERT INTO meeting_invitee (meeting_id, agency_id) VALUES (:m, :a)"),
            {"m": meetings[name], "a": world.agencies[OTHER]},
        )
    return meetings


def _training(conn: object, world: World) -> dict[str, int]:
    execute = conn.execute  # type: ignore[attr-defined]
    found = {}
    for agency in (OWN, OTHER):
        found[agency] = execute(
            text(
                "INSERT INTO training_record (user_id, course, completed_on) "
                "VALUES (:u, 'cse_awareness', :d) RETURNING id"
            ),
            {"u": world.users[f"social_worker@{agency}"], "d": date(2026, 1, 5)},
        ).scalar_one()
        execute(
            text(
                "INSERT INTO sharing_contact (agency_id, name) VALUES (:a, 'Safeguarding team') "
                "ON CONFLICT DO NOTHING"
            ),
            {"a": world.agencies[agency]},
        )
    return found


@pytest.fixture(scope="module")
def fx(world: World) -> Iterator[Fixture]:
    db = world.db
    with db.owner_engine.begin() as conn:
        ap = dict(conn.execute(text("SELECT person_ref, id FROM agency_person")).all())
        pairs = _identity_rows(conn, ap)
        meetings = _meetings(conn, world)
        training = _training(conn, world)
    yield Fixture(world, ap, pairs, meetings, training)


def _ids(fx: Fixture, refs: tuple[str, ...]) -> set[int]:
    return {fx.agency_people[r] for r in refs}


@pytest.mark.parametrize("table", ["identity_candidate", "identity_block_key"])
def test_a_user_reads_the_identity_index_only_for_people_their_agency_may_know(
    fx: Fixture, table: str
) -> None:
    seen = _scalars(
        fx.world.db,
        _as(fx.world, "social_worker", OWN),
        f"SELECT agency_person_id FROM {table}",
    )
    assert seen == _ids(fx, VISIBLE)
    assert not seen & _ids(fx, HIDDEN)


def test_a_user_reads_a_match_pair_only_when_their_agency_may_know_both_sides(fx: Fixture) -> None:
    seen = _scalars(fx.world.db, _as(fx.world, "social_worker", OWN), "SELECT id FROM match_pair")
    assert seen == {fx.pairs["visible"]}


def test_the_police_see_their_own_side_but_not_a_pair_with_a_council_child_they_cannot_see(
    fx: Fixture,
) -> None:
    seen = _scalars(
        fx.world.db, _as(fx.world, "police_investigator", OTHER), "SELECT id FROM match_pair"
    )
    # Mia (police) and Olivia (council): the police have no basis to see Olivia.
    assert fx.pairs["visible"] not in seen


def test_the_system_still_reads_the_whole_identity_index(fx: Fixture) -> None:
    seen = _scalars(
        fx.world.db, Actor("system:test"), "SELECT agency_person_id FROM identity_candidate"
    )
    assert seen == set(fx.agency_people.values())


def test_a_user_sees_the_invitees_of_a_meeting_only_when_they_may_see_the_meeting(
    fx: Fixture,
) -> None:
    seen = _scalars(
        fx.world.db, _as(fx.world, "social_worker", OWN), "SELECT meeting_id FROM meeting_invitee"
    )
    assert seen == {fx.meetings["visible"]}


def test_a_user_cannot_invite_their_agency_to_a_meeting_they_may_not_see(fx: Fixture) -> None:
    actor = _as(fx.world, "social_worker", OWN)
    with (
        pytest.raises(ProgrammingError, match="row-level security"),
        unit_of_work(fx.world.db, actor=actor) as uow,
    ):
        uow.session.execute(
            text("INSERT INTO meeting_invitee (meeting_id, agency_id) VALUES (:m, :a)"),
            {"m": fx.meetings["hidden"], "a": actor.agency_id},
        )


def test_training_records_are_seen_only_by_the_trainees_agency(fx: Fixture) -> None:
    seen = _scalars(
        fx.world.db, _as(fx.world, "team_manager", OWN), "SELECT id FROM training_record"
    )
    assert seen == {fx.training[OWN]}


def test_an_agency_cannot_change_another_agencys_sharing_contact(fx: Fixture) -> None:
    with unit_of_work(fx.world.db, actor=_as(fx.world, "administrator", OWN)) as uow:
        changed = uow.session.execute(
            text("UPDATE sharing_contact SET name = 'someone else' WHERE agency_id = :a"),
            {"a": fx.world.agencies[OTHER]},
        ).rowcount
    assert changed == 0


def test_oversight_reads_no_sharing_contact(fx: Fixture) -> None:
    # An inspector works as safehub_oversight, which has no privilege on the table at all.
    with pytest.raises(ProgrammingError, match="permission denied"):
        _scalars(
            fx.world.db,
            _as(fx.world, "oversight_inspector", OWN),
            "SELECT agency_id FROM sharing_contact",
        )


def test_the_app_role_cannot_move_a_user_to_another_agency(fx: Fixture) -> None:
    actor = _as(fx.world, "social_worker", OWN)
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        unit_of_work(fx.world.db, actor=actor) as uow,
    ):
        uow.session.execute(
            text("UPDATE app_user SET agency_id = :a WHERE id = :u"),
            {"a": fx.world.agencies[OTHER], "u": actor.user_id},
        )


def test_a_user_of_an_agency_that_knows_nobody_reads_no_row_of_any_protected_table(
    fx: Fixture,
) -> None:
    """Every table under RLS, as a social worker of an agency that holds no record, is on no
    case and has no grant: nothing but the few tables every identifiable role reads."""
    db = fx.world.db
    with db.owner_engine.connect() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity "
                    "ORDER BY 1"
                )
            )
            .scalars()
            .all()
        )
        filled = {
            t
            for t in tables
            if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{t}")')).scalar_one()
        }
    stranger = _as(fx.world, "social_worker", THIRD)
    leaks = {}
    with unit_of_work(db, actor=stranger) as uow:
        for table in sorted(filled - set(OPEN_TO_IDENTIFIABLE_ROLES)):
            count = uow.session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            if count:
                leaks[table] = count
    assert leaks == {}
    # Not vacuous: the tables this fixture fills are among those asked.
    assert {
        "person",
        "agency_person",
        "person_mention",
        "identity_candidate",
        "identity_block_key",
        "match_pair",
        "meeting_invitee",
        "training_record",
        "safeguarding_case",
        "alert",
    } <= filled
    assert not set(tables) & set(NON_PERSONAL_TABLES)


# A sealed alert: the police's crime report about Mia (whom the council's staff may see through a
# case) raised to the council without an agreement.
_SEALED_REASON = f"Record POL-WY/CR-2 names an adult linked to other children ({SECRET})."


@pytest.fixture(scope="module")
def sealed_alert(world: World) -> int:
    from safehub.services.alerts import NewAlert, raise_alerts

    police, council = world.agencies[OTHER], world.agencies[OWN]
    with unit_of_work(world.db, actor=Actor("system:test")) as uow:
        [alert_id] = raise_alerts(
            uow,
            alerts=[
                NewAlert(
                    kind="network_child_linked",
                    title="A child is linked to an adult already linked to other children",
                    reasons=[_SEALED_REASON],
                    rule="network.adult_linked_to_other_children",
                    target_agency_id=council,
                    dedupe_key="sealed:mia",
                    evidence={"record": ["POL-WY", "CR-2"], "group": "G0007"},
                    person_id=world.people["P-MEMBER"],
                    owning_agency_id=police,
                    sealed=True,
                    sources=((police, "crime_report"),),
                )
            ],
            purpose="test",
        )
        uow.commit()
    return alert_id


def _content(world: World, role: str, agency: str) -> set[int]:
    return _scalars(world.db, _as(world, role, agency), "SELECT alert_id FROM alert_content")


@contextmanager
def _opened_by(world: World, sql: str) -> Iterator[None]:
    """An agreement or a disclosure written by the owner for the length of a test."""
    params = {
        "police": world.agencies[OTHER],
        "council": world.agencies[OWN],
        "person": world.people["P-MEMBER"],
        "user": world.users[f"social_worker@{OWN}"],
    }
    with world.db.owner_engine.begin() as conn:
        row_id = conn.execute(text(sql), params).scalar_one()
    table = sql.split()[2]
    try:
        yield
    finally:
        with world.db.owner_engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE id = :i"), {"i": row_id})


_AGREEMENT = (
    "INSERT INTO sharing_agreement (title, provider_agency_id, recipient_agency_id, purpose, "
    "lawful_basis, special_category_condition, power_to_share, record_types, starts_on) VALUES "
    "('Police to council', :police, :council, 'Safeguarding', 'uk_gdpr_6_1_e', "
    "'dpa_2018_sch1_para18', 'Children Act 2004 s.11', ARRAY['crime_report'], '2025-01-01') "
    "RETURNING id"
)
_DISCLOSURE = (
    "INSERT INTO disclosure_request (person_id, owning_agency_id, requesting_agency_id, "
    "requested_by_user_id, purpose, lawful_basis, status) VALUES "
    "(:person, :police, :council, :user, 'Strategy discussion', 'uk_gdpr_6_1_e', 'granted') "
    "RETURNING id"
)


def test_the_recipient_of_a_sealed_alert_reads_its_existence_but_no_content_row(
    world: World, sealed_alert: int
) -> None:
    actor = _as(world, "social_worker", OWN)
    with unit_of_work(world.db, actor=actor) as uow:
        title, reasons, evidence = uow.session.execute(
            text("SELECT title, reasons::text, evidence::text FROM alert WHERE id = :a"),
            {"a": sealed_alert},
        ).one()
        everything = uow.session.execute(
            text("SELECT row_to_json(al)::text FROM alert al WHERE id = :a"), {"a": sealed_alert}
        ).scalar_one()
    assert (title, reasons, evidence) == (
        "A child linked to an adult already linked to other children",
        "[]",
        "{}",
    )
    # Nothing of the police's record anywhere in the row, the dedupe key included.
    for word in (SECRET, "CR-2", "G0007", "sealed:mia"):
        assert word not in everything
    assert _content(world, "social_worker", OWN) == set()


def test_the_owning_agency_reads_the_content_of_a_sealed_alert_raised_to_another(
    world: World, sealed_alert: int
) -> None:
    assert _content(world, "police_investigator", OTHER) == {sealed_alert}
    with pytest.raises(ProgrammingError, match="permission denied"):
        _content(world, "oversight_inspector", OTHER)


def test_an_agreement_opens_a_sealed_alerts_content_to_its_recipient(
    world: World, sealed_alert: int
) -> None:
    with _opened_by(world, _AGREEMENT):
        assert _content(world, "social_worker", OWN) == {sealed_alert}
        with unit_of_work(world.db, actor=_as(world, "social_worker", OWN)) as uow:
            reasons = uow.session.execute(
                text("SELECT reasons::text FROM alert_content WHERE alert_id = :a"),
                {"a": sealed_alert},
            ).scalar_one()
        assert SECRET in reasons
    assert _content(world, "social_worker", OWN) == set()


def test_a_granted_disclosure_opens_a_sealed_alerts_content_to_its_recipient(
    world: World, sealed_alert: int
) -> None:
    with _opened_by(world, _DISCLOSURE):
        assert _content(world, "social_worker", OWN) == {sealed_alert}
        # An agency that is neither owner nor recipient reads nothing, disclosure or not.
        assert _content(world, "social_worker", THIRD) == set()


def test_the_app_cannot_write_a_sealed_alerts_content_itself(
    world: World, sealed_alert: int
) -> None:
    actor = _as(world, "police_investigator", OTHER)
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        unit_of_work(world.db, actor=actor) as uow,
    ):
        uow.session.execute(
            text("UPDATE alert_content SET reasons = '[]' WHERE alert_id = :a"),
            {"a": sealed_alert},
        )
