"""Hand-made agency records for the network tests, written as real format-v1 files and read back."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from safehub.extracts import Mention, read_extracts

COLUMNS = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
    "given_names",
    "family_name",
    "date_of_birth",
    "phone",
    "vehicle_registration",
    "licence_number",
    "online_handle",
    "address",
    "postcode",
    "location_name",
    "location_postcode",
    "indicators",
    "group_based",
    "offence_code",
    "area_code",
    "ethnicity_self_defined",
    "nationality",
    "restricted",
)
AGENCY_TYPES = {
    "POL": "police",
    "LA": "social_care",
    "NHS": "health",
    "EDU": "education",
    "LIC": "licensing",
}
RECORD_TYPES = {
    "police": "crime_report",
    "social_care": "referral",
    "health": "health_attendance",
    "education": "school_concern",
    "licensing": "licence",
}


def row(
    record: str,
    person: str,
    role: str,
    *,
    agency: str = "POL-A",
    date: str = "2025-03-01",
    dob: str = "",
    record_type: str = "",
    **cells: str,
) -> dict[str, str]:
    """One person in one record; the agency type and a fitting record type follow the agency code.

    A crime report is a sexual offence (Home Office code 71, abuse of children through sexual
    exploitation) unless the test gives another ``offence_code``: an everyday crime against a
    child (a robbery, a fight) does not make the child a victim of exploitation.
    """
    agency_type = AGENCY_TYPES[agency.split("-")[0]]
    kind = record_type or RECORD_TYPES[agency_type]
    if kind == "crime_report":
        cells = {"offence_code": "71", **cells}
    return {
        "agency_code": agency,
        "agency_type": agency_type,
        "record_id": record,
        "record_type": kind,
        "record_date": date,
        "person_ref": person,
        "person_role": role,
        "date_of_birth": dob,
        **cells,
    }


def write_extract(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_rows(folder: Path, rows: Iterable[dict[str, str]], name: str = "x.csv") -> list[Mention]:
    batch = read_extracts([write_extract(folder / name, rows)])
    assert batch.ok, [str(p) for p in batch.errors]
    return batch.mentions


def same_person_everywhere(mentions: Iterable[Mention]) -> dict[tuple[str, str], str]:
    """A resolution where person_ref is already a global id (as in hand-made tests)."""
    return {m.person_key: m.person_ref for m in mentions}
