"""The intake check: likely matches with reasons; restricted people never shown; no fishing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.identity import (
    IntakeCheckRefusedError,
    IntakeQuery,
    IntakeResult,
    RateLimitedError,
    check_intake,
)
from safehub.services.identity.intake import RATE_LIMIT
from tests.factories import extract_row
from tests.identity.conftest import SYSTEM
from tests.identity.helpers import aisha_rows, person_of

Importer = Callable[[list[dict[str, str]]], None]
PURPOSE = "referral about a child seen getting into cars"


def _check(
    db: Database, query: IntakeQuery, purpose: str = PURPOSE, actor: Actor = SYSTEM
) -> IntakeResult:
    with unit_of_work(db, actor=actor) as uow:
        result = check_intake(uow, query=replace(query, purpose=purpose))
        uow.commit()
    return result


@pytest.fixture
def resolved(app_db: Database, importer: Importer, resolve: Callable[..., object]) -> Database:
    importer(
        [
            *aisha_rows(),
            extract_row(
                record_id="CR-7",
                person_ref="P-9",
                given_names="Zofia",
                family_name="Nowak",
                date_of_birth="2012-01-02",
                postcode="BD5 0AA",
                restricted="Y",
            ),
        ]
    )
    resolve("bulk")
    return app_db


def test_a_known_child_is_found_under_another_spelling_with_its_agencies_and_reasons(
    resolved: Database,
) -> None:
    result = _check(
        resolved, IntakeQuery(given_names="Aysha", family_name="Husain", date_of_birth="2011-07-03")
    )
    assert [c.person_id for c in result.candidates] == [person_of(resolved, "POL-WY", "P-1")]
    found = result.candidates[0]
    assert {code for code, _ in found.agencies} == {"POL-WY", "LA-BRADFORD"}
    assert any(r.startswith("Date of birth: same date (counts for") for r in found.reasons)
    assert found.match_probability >= 0.5


def test_a_restricted_child_is_never_shown_not_even_as_existence(resolved: Database) -> None:
    result = _check(
        resolved,
        IntakeQuery(
            given_names="Zofia", family_name="Nowak", date_of_birth="2012-01-02", postcode="BD5 0AA"
        ),
    )
    assert result.candidates == []


def test_an_adult_of_concern_is_not_offered_as_a_match_for_a_child(resolved: Database) -> None:
    result = _check(
        resolved,
        IntakeQuery(given_names="Mohammed", family_name="Khan", date_of_birth="1990-05-01"),
    )
    assert result.candidates == []


@pytest.mark.parametrize(
    ("query", "purpose", "fields"),
    [
        (IntakeQuery(given_names="Aisha", family_name="Hussain"), PURPOSE, ["date_of_birth"]),
        (
            IntakeQuery(family_name="Hussain", date_of_birth="2011-07-03"),
            PURPOSE,
            ["date_of_birth"],
        ),
        (
            IntakeQuery(given_names="Aisha", family_name="Hussain", date_of_birth="2011"),
            PURPOSE,
            ["date_of_birth"],
        ),
        (
            IntakeQuery(given_names="Aisha", family_name="Hussain", date_of_birth="2011-07-03"),
            "",
            ["purpose"],
        ),
        # A number that fails its check is no identifier: nothing else was typed either.
        (IntakeQuery(nhs_number="123"), PURPOSE, ["nhs_number", "date_of_birth"]),
    ],
)
def test_no_fishing_a_check_needs_a_name_with_a_date_of_birth_or_a_strong_identifier_and_a_purpose(
    resolved: Database, query: IntakeQuery, purpose: str, fields: list[str]
) -> None:
    with pytest.raises(IntakeCheckRefusedError) as refused:
        _check(resolved, query, purpose)
    assert sorted(refused.value.errors) == sorted(fields)


def test_a_phone_number_alone_is_enough_to_check(resolved: Database) -> None:
    result = _check(resolved, IntakeQuery(phone="07700 900123"))
    assert [c.person_id for c in result.candidates] == [person_of(resolved, "POL-WY", "P-1")]


def test_checks_are_rate_limited_per_user_and_audited(resolved: Database) -> None:
    user = Actor(label="system:intake-test")
    query = IntakeQuery(given_names="Aisha", family_name="Hussain", date_of_birth="2011-07-03")
    for _ in range(RATE_LIMIT):
        _check(resolved, query, actor=user)
    with pytest.raises(RateLimitedError):
        _check(resolved, query, actor=user)
    _check(resolved, query)  # another user is not held back
    from sqlalchemy import text

    with resolved.owner_engine.connect() as conn:
        audited = conn.execute(
            text(
                "SELECT count(*), min(action), min(purpose) FROM audit_event "
                "WHERE object_type = 'intake_check'"
            )
        ).one()
    assert tuple(audited) == (RATE_LIMIT + 1, "consultation", PURPOSE)
