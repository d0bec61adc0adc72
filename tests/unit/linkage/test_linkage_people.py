"""Collapsing mentions into agency people; what is too little to match on; protected columns."""

from __future__ import annotations

from datetime import date

from safehub.extracts import Identifier, Mention, PartialDate
from safehub.linkage.collapse import collapse_mentions
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import (
    PROTECTED_COLUMNS,
    AgencyPerson,
    shared_identifiers,
)
from safehub.linkage.prepare import prepare


def _mention(ref: str, row: int, **values: str) -> Mention:
    cells = {
        "agency_code": "POL",
        "record_id": f"R{row}",
        "person_ref": ref,
        "person_role": "victim",
    }
    cells.update(values)
    return Mention("f.csv", row, cells, date(2024, 1, row))


def test_rows_of_one_person_ref_become_one_person_with_all_names() -> None:
    mentions = [
        _mention("A", 1, given_names="Katie", family_name="Smith"),
        _mention("A", 2, given_names="Katie", family_name="Smith"),
        _mention("A", 3, given_names="Kate", family_name="Smyth"),
    ]
    (person,) = collapse_mentions(mentions)
    assert (person.given, person.family) == ("Katie", "Smith")
    assert person.other_names == (("Kate", "Smyth"),)


def test_a_name_alone_is_insufficient_and_so_is_no_name() -> None:
    name_only = AgencyPerson("POL", "1", given="Jack", family="Smith")
    no_name = AgencyPerson("POL", "2", date_of_birth=PartialDate(2010, 1, 1))
    enough = AgencyPerson("POL", "3", given="Jack", date_of_birth=PartialDate(2010, 1, 1))
    assert name_only.is_insufficient and no_name.is_insufficient
    assert not enough.is_insufficient


def test_a_nameless_record_with_an_nhs_number_can_still_be_matched() -> None:
    person = AgencyPerson("NHS", "1", identifiers={"nhs_number": ("9434765919",)})
    assert not person.is_insufficient


def test_suspect_adult_is_of_concern_but_child_suspect_is_not() -> None:
    adult = AgencyPerson(
        "POL",
        "1",
        roles=frozenset({"suspect"}),
        date_of_birth=PartialDate(1980),
        latest_record=date(2024, 5, 1),
    )
    child = AgencyPerson(
        "POL",
        "2",
        roles=frozenset({"suspect"}),
        date_of_birth=PartialDate(2012, 1, 1),
        latest_record=date(2024, 5, 1),
    )
    unknown_age = AgencyPerson("POL", "3", roles=frozenset({"associate"}))
    victim = AgencyPerson("POL", "4", roles=frozenset({"victim"}), date_of_birth=PartialDate(1990))
    assert adult.is_adult_of_concern and unknown_age.is_adult_of_concern
    assert not child.is_adult_of_concern and not victim.is_adult_of_concern


def test_a_phone_held_under_many_names_is_not_an_identity() -> None:
    switchboard = ("+441274000000",)
    people = [
        AgencyPerson("EDU", str(i), given=name, family="X", identifiers={"phone": switchboard})
        for i, name in enumerate(["Amy", "Ben", "Cal", "Dee", "Eve"])
    ]
    assert shared_identifiers(people, max_names=3) == {"phone": frozenset(switchboard)}


def test_protected_characteristics_never_reach_the_model_input_or_settings() -> None:
    mention = _mention(
        "A",
        1,
        given_names="Aisha",
        family_name="Khan",
        date_of_birth="2010-01-01",
        ethnicity_self_defined="A2",
        ethnicity_observed="IC4",
        nationality="GB",
    )
    mention.date_of_birth = PartialDate(2010, 1, 1)
    mention.identifiers = [Identifier("postcode", "BD1 1AA", "BD11AA")]
    table = prepare([mention]).table()
    settings = str(LinkageModel.untrained().settings_for("duckdb"))
    for column in PROTECTED_COLUMNS:
        assert column not in table.column_names
        assert column not in settings
    assert "A2" not in str(table.to_pylist()) and "IC4" not in str(table.to_pylist())
