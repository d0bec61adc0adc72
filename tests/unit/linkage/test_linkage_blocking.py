"""Blocking keys: which pairs are compared at all."""

from __future__ import annotations

from typing import Any

from safehub.extracts import PartialDate
from safehub.linkage.blocking import add_blocking_keys
from safehub.linkage.people import AgencyPerson, person_features


def _rows(*people: AgencyPerson) -> list[dict[str, Any]]:
    rows = [person_features(p) for p in people]
    add_blocking_keys(rows, rare=2)
    return rows


def _share_a_key(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(set(a["block_keys"] or ()) & set(b["block_keys"] or ()))


def test_same_name_and_birth_year_are_compared() -> None:
    a = AgencyPerson("LA", "1", "Olivia", "Smith", date_of_birth=PartialDate(2010, 1, 2))
    b = AgencyPerson("POL", "9", "Olivia", "SMITH", date_of_birth=PartialDate(2010, 2, 1))
    assert _share_a_key(*_rows(a, b))


def test_a_common_name_alone_is_not_a_block_but_a_rare_one_is() -> None:
    common = [AgencyPerson("LA", str(i), "Olivia", "Smith") for i in range(3)]
    rare = [AgencyPerson("LA", f"r{i}", "Xanthe", "Quigley") for i in range(2)]
    rows = _rows(*common, *rare)
    assert not _share_a_key(rows[0], rows[1])
    assert _share_a_key(rows[3], rows[4])


def test_swapped_names_with_a_birth_year_are_compared() -> None:
    a = AgencyPerson("EDU", "1", "Samuel Daniel", "Brown", date_of_birth=PartialDate(2021, 8, 17))
    b = AgencyPerson("POL", "2", "BROWN", "Samuel Daniel", date_of_birth=PartialDate(2021))
    assert _share_a_key(*_rows(a, b))


def test_a_shared_nhs_number_is_compared_whatever_the_names() -> None:
    a = AgencyPerson("NHS", "1", "Amy", "Jones", identifiers={"nhs_number": ("9434765919",)})
    b = AgencyPerson("LA", "2", "Ayesha", "Khan", identifiers={"nhs_number": ("9434765919",)})
    assert _share_a_key(*_rows(a, b))


def test_different_people_with_nothing_in_common_are_not_compared() -> None:
    a = AgencyPerson("LA", "1", "Amy", "Jones", date_of_birth=PartialDate(2010, 1, 2))
    b = AgencyPerson("LA", "2", "Ben", "Okafor", date_of_birth=PartialDate(1990, 5, 6))
    assert not _share_a_key(*_rows(a, b))


def test_names_swapped_and_misspelt_with_the_same_date_of_birth_are_compared() -> None:
    a = AgencyPerson("LA", "1", "Gabrielle", "Langer", date_of_birth=PartialDate(1980, 8, 10))
    b = AgencyPerson("POL", "2", "Laznger", "Gabrielle", date_of_birth=PartialDate(1980, 8, 10))
    assert _share_a_key(*_rows(a, b))


def test_a_foreign_postcode_in_the_address_joins_a_misspelt_given_name() -> None:
    # No UK postcode: the long number of the address with the family name and an initial.
    a = AgencyPerson("LA", "1", "Agnieszka", "Nowak", address="ul. Dluga 12, 80-827 Gdansk")
    b = AgencyPerson("POL", "2", "Agnieska", "Nowak", address="ul Dluga 21, 80-827 Gdansk")
    assert _share_a_key(*_rows(a, b))


def test_a_short_house_number_and_a_family_name_are_not_a_block() -> None:
    a = AgencyPerson("LA", "1", "Olivia", "Smith", address="12 Albert Road, Keighley")
    b = AgencyPerson("POL", "2", "Oscar", "Smith", address="12 Moor Lane, Keighley")
    assert not _share_a_key(*_rows(a, b))
