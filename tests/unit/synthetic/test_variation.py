"""Names and identifiers are varied the way agencies vary them, and identifiers stay valid."""

from __future__ import annotations

import random
from collections import defaultdict

from safehub.synthetic import names
from safehub.synthetic.identifiers import Identifiers, format_phone, nhs_check_digit
from tests.unit.synthetic.synth_helpers import Parsed


def test_nhs_check_digit_matches_the_published_example() -> None:
    assert nhs_check_digit("943476591") == 9


def test_allocated_identifiers_are_unique_and_valid() -> None:
    ids = Identifiers(random.Random(1))
    numbers = [ids.nhs_number() for _ in range(5000)]
    phones = [ids.phone() for _ in range(5000)]
    assert len(set(numbers)) == 5000 and len(set(phones)) == 5000
    assert all(nhs_check_digit(n[:9]) == int(n[9]) for n in numbers)


def test_phone_numbers_are_written_in_several_uk_formats() -> None:
    rng = random.Random(2)
    forms = {format_phone(rng, "07700 900123") for _ in range(200)}
    assert {"07700 900123", "07700900123", "+44 7700 900123", "+447700900123"} <= forms


def test_transliterations_and_nicknames_are_known_forms_of_the_name() -> None:
    rng = random.Random(3)
    assert {names.spelling_variant(rng, "Chowdhury") for _ in range(50)} == {
        "Choudhury",
        "Chaudhry",
        "Chaudhary",
    }
    assert names.nickname(rng, "Elizabeth") in {"Liz", "Beth", "Lizzie"}
    assert names.spelling_variant(rng, "Zzyzx") == "Zzyzx"


def test_a_typo_changes_a_name_by_one_small_edit() -> None:
    rng = random.Random(4)
    typed = [names.typo(rng, "Ashworth") for _ in range(100)]
    assert all(abs(len(t) - len("Ashworth")) <= 1 for t in typed)
    assert all(t[0] == "A" for t in typed)  # the first letter is kept, as in most slips
    assert sum(t != "Ashworth" for t in typed) >= 90


def test_data_contains_spelling_variants_partial_and_swapped_dates(dense: Parsed) -> None:
    dobs: dict[str, set[str]] = defaultdict(set)
    given: dict[str, set[str]] = defaultdict(set)
    for row in dense.rows:
        true_id = dense.true_id(row)
        if row["date_of_birth"]:
            dobs[true_id].add(row["date_of_birth"])
        if row["given_names"]:
            given[true_id].add(row["given_names"].split()[0].lower())
    partial = sum(1 for found in dobs.values() if any(len(d) < 10 for d in found))
    swapped = 0
    for true_id, found in dobs.items():
        real = dense.persons[true_id]["date_of_birth"]
        swapped_form = f"{real[:4]}-{real[8:10]}-{real[5:7]}"
        swapped += swapped_form != real and swapped_form in found
    variants = sum(1 for found in given.values() if len(found) > 1)
    assert partial > 20 and swapped > 5 and variants > 100


def test_some_people_are_recorded_with_given_and_family_names_swapped(dense: Parsed) -> None:
    swapped = 0
    for row in dense.rows:
        person = dense.persons[dense.true_id(row)]
        if (
            row["family_name"]
            and row["family_name"].lower() == person["given_names"].split()[0].lower()
        ):
            swapped += 1
    assert swapped > 10
