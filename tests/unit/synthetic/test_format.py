"""The extracts follow agency extract format v1 (shared/docs/formats.md) exactly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import phonenumbers

from safehub.extracts import read_extracts
from tests.unit.synthetic.synth_helpers import Parsed

# The columns of format v1, copied from formats.md (order is free; names are the contract).
FORMAT_V1_COLUMNS = {
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "sex",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "email",
    "vehicle_registration",
    "licence_number",
    "online_handle",
    "ethnicity_self_defined",
    "ethnicity_observed",
    "nationality",
    "location_name",
    "location_postcode",
    "indicators",
    "outcome",
    "narrative",
    "area_code",
    "offence_code",
    "group_based",
    "intel_grading",
    "restricted",
    "person_outcome",
}
REQUIRED = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
)
RECORD_LEVEL = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "location_name",
    "location_postcode",
    "outcome",
    "narrative",
    "area_code",
    "offence_code",
    "group_based",
    "intel_grading",
)
CODES = {
    "agency_type": {
        "police",
        "social_care",
        "health",
        "education",
        "licensing",
        "housing",
        "voluntary",
        "community",
    },
    "record_type": {
        "crime_report",
        "intelligence",
        "referral",
        "assessment",
        "missing_episode",
        "health_attendance",
        "school_concern",
        "licence",
        "community_report",
    },
    "person_role": {
        "victim",
        "suspect",
        "subject",
        "witness",
        "reporter",
        "parent_carer",
        "licence_holder",
        "associate",
    },
    "sex": {"", "F", "M", "X", "U"},
    "outcome": {
        "",
        "ongoing",
        "charged",
        "summonsed",
        "cautioned",
        "nfa",
        "convicted",
        "acquitted",
        "cin_plan",
        "cp_plan",
        "looked_after",
        "early_help",
        "closed",
        "refused",
    },
    "person_outcome": {
        "",
        "arrested",
        "charged",
        "cautioned",
        "fined",
        "summonsed",
        "released",
        "nfa",
        "convicted",
    },
    "ethnicity_self_defined": {
        "",
        "W1",
        "W2",
        "W3",
        "W9",
        "M1",
        "M2",
        "M3",
        "M9",
        "A1",
        "A2",
        "A3",
        "A4",
        "A9",
        "B1",
        "B2",
        "B9",
        "O2",
        "O9",
        "NS",
    },
    "ethnicity_observed": {"", "IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC9"},
    "group_based": {"", "Y"},
    "restricted": {"", "Y"},
}
INDICATORS = {
    "missing",
    "older_boyfriend",
    "gifts",
    "unexplained_money",
    "new_phone",
    "collected_by_unknown_adults",
    "taxis_cars",
    "hotels",
    "substance_misuse",
    "school_disengagement",
    "sti",
    "pregnancy",
    "self_harm",
    "in_care",
    "online_contact",
    "peer_exploitation",
    "disclosure_withdrawn",
    "learning_disability",
    "homeless",
    "bereavement",
    "prior_abuse",
}
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
VEHICLE = re.compile(r"^[A-Z]{2}[0-9]{2} ?[A-Z]{3}$", re.IGNORECASE)
DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def nhs_valid(value: str) -> bool:
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


def test_every_extract_has_exactly_the_format_v1_columns(small: Parsed) -> None:
    assert small.header
    for header in small.header.values():
        assert len(header) == len(set(header))
        assert set(header) == FORMAT_V1_COLUMNS


def test_one_extract_per_agency_and_rows_name_their_own_agency(small: Parsed) -> None:
    codes = {agency.code for agency in small.area.agencies}
    assert set(small.header) == codes
    assert {
        "POL-WY",
        "LA-BRADFORD",
        "NHS-BTH",
        "EDU-BRADFORD",
        "LIC-BRADFORD",
        "POL-GM",
        "LA-ROCHDALE",
        "LIC-ROCHDALE",
    } == codes
    types = {agency.code: agency.agency_type for agency in small.area.agencies}
    assert all(types[row["agency_code"]] == row["agency_type"] for row in small.rows)


def test_required_columns_are_never_empty(small: Parsed) -> None:
    for row in small.rows:
        assert all(row[column] for column in REQUIRED), row


def test_coded_columns_use_only_the_listed_codes(small: Parsed) -> None:
    for row in small.rows:
        for column, allowed in CODES.items():
            assert row[column] in allowed, (column, row[column])
        codes = row["indicators"].split(";") if row["indicators"] else []
        assert set(codes) <= INDICATORS


def test_dates_are_iso_and_dates_of_birth_may_be_partial(small: Parsed) -> None:
    for row in small.rows:
        date.fromisoformat(row["record_date"])
        dob = row["date_of_birth"]
        assert dob == "" or DOB.match(dob), dob
        if len(dob) == 10:
            date.fromisoformat(dob)


def test_record_level_columns_agree_across_the_rows_of_a_record(small: Parsed) -> None:
    for key, rows in small.records().items():
        for column in RECORD_LEVEL:
            assert len({row[column] for row in rows}) == 1, (key, column)


def test_a_person_appears_once_per_record(small: Parsed) -> None:
    for rows in small.records().values():
        refs = [row["person_ref"] for row in rows]
        assert len(refs) == len(set(refs))


def test_nhs_numbers_present_have_valid_check_digits(small: Parsed) -> None:
    numbers = [row["nhs_number"] for row in small.rows if row["nhs_number"]]
    assert len(numbers) > 100
    assert all(nhs_valid(number) for number in numbers)
    # The 999 range is kept for testing, so no synthetic number is a real person's.
    assert all(number.replace(" ", "").startswith("999") for number in numbers)


def test_nhs_numbers_are_mostly_held_by_health_and_social_care(small: Parsed) -> None:
    share: dict[str, float] = {}
    for agency_type in ("health", "social_care", "police"):
        rows = [
            r
            for r in small.rows
            if r["agency_type"] == agency_type
            and r["person_role"] in ("subject", "victim", "parent_carer")
        ]
        share[agency_type] = sum(1 for r in rows if r["nhs_number"]) / len(rows)
    assert share["health"] > 0.8 > share["social_care"] > 0.4 > 0.1 > share["police"]


def test_identifiers_have_realistic_uk_formats(small: Parsed) -> None:
    for row in small.rows:
        for postcode in (row["postcode"], row["location_postcode"]):
            assert postcode == "" or POSTCODE.match(postcode), postcode
        if row["vehicle_registration"]:
            assert VEHICLE.match(row["vehicle_registration"]), row["vehicle_registration"]
        if row["phone"]:
            number = phonenumbers.parse(row["phone"], "GB")
            assert phonenumbers.is_possible_number(number), row["phone"]
            assert str(number.national_number).startswith("7700")
        if row["email"]:
            assert row["email"].lower().rsplit("@", 1)[1] in {
                "example.com",
                "example.net",
                "example.org",
            }
        if row["online_handle"]:
            assert re.match(r"^[a-z]+:[a-z0-9_.]+$", row["online_handle"]), row["online_handle"]


def test_licensing_rows_hold_licence_and_vehicle_of_the_driver(small: Parsed) -> None:
    rows = [row for row in small.rows if row["record_type"] == "licence"]
    assert rows
    for row in rows:
        assert row["person_role"] == "licence_holder"
        assert row["licence_number"] and row["vehicle_registration"]


def test_every_record_type_appears(small: Parsed) -> None:
    assert {row["record_type"] for row in small.rows} == CODES["record_type"]


def test_the_extract_reader_accepts_the_files_without_errors_or_warnings(
    tmp_path: Path, small: Parsed
) -> None:
    paths = []
    for code, text in small.area.extracts.items():
        path = tmp_path / f"{code}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    batch = read_extracts(paths)
    assert batch.errors == []
    assert batch.warnings == []
