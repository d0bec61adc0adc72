"""Keyword-only factories with sensible defaults, for extracts and database rows."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from safehub.extracts.codes import ALL_COLUMNS


def extract_row(**values: str) -> dict[str, str]:
    """A format-v1 row about a child victim in a police crime report, overridable by keyword."""
    row = {
        "agency_code": "POL-WY",
        "agency_type": "police",
        "record_id": "CR-1",
        "record_type": "crime_report",
        "record_date": "2025-03-01",
        "person_ref": "P-1",
        "person_role": "victim",
        "given_names": "Aisha",
        "family_name": "Hussain",
        "date_of_birth": "2011-07-03",
    }
    row.update(values)
    return row


def parent_and_namesake_son(record_type: str) -> list[dict[str, str]]:
    """A parent named on a record of ``record_type`` in October 2025 (no date of birth), and a
    namesake born in July 2008, 17 then: a father and son of one name (SEALED10 roaming)."""
    parent = extract_row(
        agency_code="EDU-RO",
        agency_type="education",
        record_id="SC-1",
        record_type=record_type,
        record_date="2025-10-30",
        person_ref="C1",
        person_role="parent_carer",
        given_names="Kwame",
        family_name="Boateng",
        date_of_birth="",
    )
    son = extract_row(
        person_ref="N1",
        record_date="2019-07-20",
        given_names="Kwame",
        family_name="Boateng",
        date_of_birth="2008-07-14",
    )
    return [parent, son]


def write_extract(
    path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str] | None = None
) -> Path:
    """Write rows as a format-v1 CSV with the given columns (default: those the rows use, in order)."""
    if columns is None:
        used = {key for row in rows for key in row}
        columns = [c for c in ALL_COLUMNS if c in used] + sorted(used - set(ALL_COLUMNS))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
