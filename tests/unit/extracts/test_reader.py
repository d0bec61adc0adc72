from __future__ import annotations

from pathlib import Path

import pytest

from safehub.extracts import read_extracts
from tests.factories import extract_row, write_extract


def _problems(path: Path) -> list[str]:
    return [str(p) for p in read_extracts([path]).problems]


def test_a_valid_row_is_read_with_its_identifiers_normalised(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv", [extract_row(phone="07700 900123; 07700900456", postcode="bd1 1aa")]
    )
    batch = read_extracts([path])
    assert batch.ok and batch.problems == []
    mention = batch.mentions[0]
    assert mention.valid_identifiers("phone") == ["+447700900123", "+447700900456"]
    assert mention.valid_identifiers("postcode") == ["BD11AA"]
    assert mention.date_of_birth is not None and mention.date_of_birth.iso() == "2011-07-03"


def test_a_missing_required_column_rejects_the_file_naming_the_column(tmp_path: Path) -> None:
    row = extract_row()
    del row["person_role"]
    path = write_extract(tmp_path / "x.csv", [row])
    assert _problems(path) == [
        f"{path}: row 1, column person_role: required column is missing from the header (got '')"
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("record_date", "01/03/2025", "not a date; write it as YYYY-MM-DD"),
        ("record_date", "2025-02-30", "not a date; write it as YYYY-MM-DD"),
        (
            "date_of_birth",
            "2011-13",
            "not a date; write YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
        ),
        ("agency_type", "polis", "expected one of"),
        ("record_type", "crime", "expected one of"),
        ("person_role", "perpetrator", "expected one of"),
        ("person_ref", "", "a value is required"),
    ],
)
def test_each_kind_of_invalid_row_is_an_error_naming_row_column_and_value(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(), extract_row(**{column: value})])
    batch = read_extracts([path])
    assert not batch.ok
    [error] = batch.errors
    assert str(error).startswith(f"{path}: row 3, column {column}: {message}")
    assert str(error).endswith(f"(got '{value}')")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("nhs_number", "1234567890"),
        ("postcode", "ZZ"),
        ("phone", "12"),
        ("email", "nobody"),
        ("vehicle_registration", "?!"),
        ("indicators", "missing;moonlighting"),
        ("outcome", "resolved"),
        ("ethnicity_self_defined", "X7"),
        ("ethnicity_observed", "IC8"),
    ],
)
def test_a_bad_identifier_or_unknown_code_is_a_warning_and_the_value_is_kept(
    tmp_path: Path, column: str, value: str
) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(**{column: value})])
    batch = read_extracts([path])
    assert batch.ok
    [warning] = batch.warnings
    assert warning.column == column and warning.row == 2
    assert batch.mentions[0].values[column] == value


def test_rows_of_one_record_that_disagree_on_a_record_level_column_are_rejected(
    tmp_path: Path,
) -> None:
    path = write_extract(
        tmp_path / "x.csv",
        [
            extract_row(outcome="nfa"),
            extract_row(person_ref="P-2", person_role="suspect", outcome="charged"),
        ],
    )
    [error] = read_extracts([path]).errors
    assert error.row == 3 and error.column == "outcome"


def test_a_byte_order_mark_and_unknown_columns_are_tolerated(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(favourite_colour="blue")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    batch = read_extracts([path])
    assert batch.ok
    assert [w.column for w in batch.warnings] == ["favourite_colour"]


def test_no_further_action_is_read_as_nfa(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(outcome="no_further_action")])
    assert read_extracts([path]).mentions[0].values["outcome"] == "nfa"


def test_row_numbers_count_records_not_lines_when_a_cell_spans_lines(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv",
        [
            extract_row(narrative="line one\nline two"),
            extract_row(person_ref="P-2", record_date="bad"),
        ],
    )
    [error] = read_extracts([path]).errors
    assert error.row == 3
