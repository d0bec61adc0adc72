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
