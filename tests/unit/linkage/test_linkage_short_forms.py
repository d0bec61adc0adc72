"""A short form of a boy's and of a girl's name is the girl's name on a record of a female, and
a Polish given name and its English form are one name: neither "differs outright"."""

from __future__ import annotations

import pytest

from safehub.extracts import PartialDate
from safehub.linkage.people import AgencyPerson, person_features
from safehub.linkage.rules import PairLevels
from safehub.linkage.twins import birth_sets, known_names

BORN = PartialDate(1990, 5, 2)


def _pair(a: AgencyPerson, b: AgencyPerson) -> PairLevels:
    return PairLevels.of_rows([(person_features(a), person_features(b))])


@pytest.mark.parametrize(
    ("short", "full"), [("Nicky", "Nicola"), ("Sam", "Samantha"), ("Charlie", "Charlotte")]
)
def test_a_womans_short_form_is_her_own_name(short: str, full: str) -> None:
    levels = _pair(
        AgencyPerson("POL", "1", short, "Hall", date_of_birth=BORN, sex="F"),
        AgencyPerson("LA", "2", full, "Hall", date_of_birth=BORN, sex="F"),
    )
    assert not levels.given_names_differ()[0]
    assert levels.at("given_name", "same name or known variant")[0]


def test_the_short_form_on_a_record_without_a_sex_keeps_the_boys_reading() -> None:
    levels = _pair(
        AgencyPerson("POL", "1", "Nicky", "Hall", date_of_birth=BORN),
        AgencyPerson("LA", "2", "Nicola", "Hall", date_of_birth=BORN, sex="F"),
    )
    assert levels.given_names_differ()[0]


def test_a_mans_short_form_stays_his() -> None:
    levels = _pair(
        AgencyPerson("POL", "1", "Sam", "Hall", date_of_birth=BORN, sex="M"),
        AgencyPerson("LA", "2", "Samuel", "Hall", date_of_birth=BORN, sex="M"),
    )
    assert levels.at("given_name", "same name or known variant")[0]


@pytest.mark.parametrize(
    ("polish", "english"), [("Piotr", "Peter"), ("Tomasz", "Thomas"), ("Jakub", "Jacob")]
)
def test_a_polish_name_and_its_english_form_are_one_name(polish: str, english: str) -> None:
    levels = _pair(
        AgencyPerson("NHS", "1", polish, "Nowak", date_of_birth=BORN, sex="M"),
        AgencyPerson("POL", "2", english, "Nowak", date_of_birth=BORN, sex="M"),
    )
    assert not levels.given_names_differ()[0]


def test_one_girl_recorded_by_short_and_full_name_is_not_a_multiple_birth() -> None:
    people = [
        AgencyPerson("NHS", "1", "Samantha", "Hall", date_of_birth=BORN, sex="F"),
        AgencyPerson("EDU", "2", "Sammy", "Hall", date_of_birth=BORN, sex="F"),
    ]
    assert known_names(people)[0] == known_names(people)[1]
    assert birth_sets(people, known_names(people)).tolist() == [-1, -1]


def test_two_spellings_of_nasreen_are_one_name_not_twins_names() -> None:
    levels = _pair(
        AgencyPerson("LA", "1", "Nasreen", "Ashraf", date_of_birth=BORN, sex="F"),
        AgencyPerson("POL", "2", "NASRIN", "ASHRAF", date_of_birth=BORN, sex="F"),
    )
    assert levels.at("given_name", "same name or known variant")[0]
