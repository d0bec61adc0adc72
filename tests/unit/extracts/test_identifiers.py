from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.extracts.identifiers import (
    normalise_email,
    normalise_handle,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    normalise_vehicle,
    postcode_parts,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700-900123", "+447700900123"),
        ("0113 496 0000", "+441134960000"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_phones_are_stored_in_e164_whatever_the_spacing(given: str, expected: str) -> None:
    assert normalise_phone(given) == expected


def test_a_phone_that_is_too_short_is_not_a_phone() -> None:
    assert normalise_phone("0770") is None


def test_postcodes_are_upper_case_without_spaces_and_split_into_district_and_sector() -> None:
    assert normalise_postcode(" bd1  1aa") == "BD11AA"
    assert postcode_parts("BD11AA") == ("BD1", "BD1 1")
    assert normalise_postcode("BD1") is None


def test_nhs_number_needs_its_modulus_11_check_digit() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("9434765918") is None
    assert normalise_nhs_number("94347659") is None


def test_vehicle_registrations_and_emails_and_handles_normalise() -> None:
    assert normalise_vehicle("yx19 abc") == "YX19ABC"
    assert normalise_vehicle("not a car") is None
    assert normalise_email(" Jo@Example.ORG ") == "jo@example.org"
    assert normalise_email("jo at example") is None
    assert normalise_handle("Snapchat:@Bad_Man") == "snapchat:bad_man"


@given(
    st.sampled_from("7123"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["0{}", "+44{}", "0044{}", "+44 (0){}", "0{} ", " 0{}"]),
    st.booleans(),
)
def test_the_fast_uk_path_agrees_with_the_full_phone_parser(
    first: str, rest: str, shape: str, spaced: bool
) -> None:
    national = first + rest
    typed = shape.format(f"{national[:4]} {national[4:]}" if spaced else national)
    parsed = phonenumbers.parse(typed, "GB")
    expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    assert normalise_phone(typed) == expected
