"""The columnar reader gives what the row reader gives: the same table, the same problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.extracts import read_extracts
from safehub.extracts.columns import ExtractTable, read_extract_table
from tests.factories import extract_row, write_extract


def _same_as_row_reader(paths: list[Path]) -> ExtractTable:
    fast = read_extract_table(paths)
    slow = ExtractTable.from_batch(read_extracts(paths))
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    order = [("file", "ascending"), ("row", "ascending")]
    assert fast.table.sort_by(order).equals(slow.table.sort_by(order))
    return fast


def _rows_with_warnings() -> list[dict[str, str]]:
    return [
        extract_row(phone="07700 900123; 12", postcode=" bd1 1aa ", aliases="Ayesha; A Husain"),
        extract_row(person_ref="P-2", person_role="suspect", nhs_number="1234567890"),
        extract_row(person_ref="P-3", sex="Q", indicators="missing;moonlighting"),
        extract_row(person_ref="P-4", date_of_birth="2099-01-01", email="nobody"),
        extract_row(person_ref="P-5", ethnicity_observed="IC8", vehicle_registration="?!"),
        extract_row(person_ref="P-6", restricted="maybe", online_handle="snap:@kid_1"),
        extract_row(person_ref="P-7", date_of_birth="2011-07", licence_number="TX-12"),
    ]


def test_warnings_values_and_parsed_columns_match_the_row_reader(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", _rows_with_warnings())
    read = _same_as_row_reader([path])
    assert read.ok and len(read) == 7
    assert {p.column for p in read.warnings} >= {"phone", "nhs_number", "sex", "indicators"}
    phones = read.table.column("ids_phone").to_pylist()
    assert phones[0] == ["+447700900123"]  # the malformed second phone is kept out of matching


def test_warnings_come_by_file_then_row_then_column(tmp_path: Path) -> None:
    first = write_extract(
        tmp_path / "a.csv",
        [extract_row(phone="12", sex="Q"), extract_row(person_ref="P-2", sex="Q", phone="1")],
    )
    second = write_extract(
        tmp_path / "b.csv", [extract_row(record_id="CR-2", sex="Q", favourite_colour="blue")]
    )
    read = _same_as_row_reader([second, first])
    assert [(Path(p.file).name, p.row, p.column) for p in read.warnings] == [
        ("b.csv", 1, "favourite_colour"),
        ("b.csv", 2, "sex"),
        ("a.csv", 2, "sex"),
        ("a.csv", 2, "phone"),
        ("a.csv", 3, "sex"),
        ("a.csv", 3, "phone"),
    ]


def test_a_repeated_row_is_a_newer_version_across_files(tmp_path: Path) -> None:
    first = write_extract(tmp_path / "a.csv", [extract_row(address="1 Old Street")])
    second = write_extract(tmp_path / "b.csv", [extract_row(address="2 New Street")])
    read = _same_as_row_reader([first, second])
    assert read.table.column("address").to_pylist() == ["2 New Street"]


def test_an_old_outcome_code_is_stored_as_its_current_code(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(outcome="no_further_action")])
    assert _same_as_row_reader([path]).table.column("outcome").to_pylist() == ["nfa"]


def test_cells_spanning_lines_a_byte_order_mark_and_unknown_columns(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv",
        [
            extract_row(narrative="line one\nline two", favourite_colour="blue"),
            extract_row(person_ref="P-2", given_names="  Bob  "),
        ],
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    read = _same_as_row_reader([path])
    assert [w.column for w in read.warnings] == ["favourite_colour"]
    assert read.table.column("given_names").to_pylist() == ["Aisha", "Bob"]


def test_blank_lines_keep_the_row_numbers_of_the_row_reader(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv", [extract_row(), extract_row(person_ref="P-2", sex="Q")]
    )
    header, first, second = path.read_text("utf-8").splitlines()
    empty_cells = "," * header.count(",")
    path.write_text("\n".join([header, first, "", empty_cells, second]) + "\n", "utf-8")
    read = _same_as_row_reader([path])
    assert len(read) == 2
    assert [w.row for w in read.warnings] == [5]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("record_date", "01/03/2025"),
        ("date_of_birth", "2011-13"),
        ("person_role", "perpetrator"),
        ("person_ref", ""),
    ],
)
def test_an_error_anywhere_gives_the_row_readers_errors_and_no_rows(
    tmp_path: Path, column: str, value: str
) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(), extract_row(**{column: value})])
    read = _same_as_row_reader([path])
    assert not read.ok and len(read) == 0
    [error] = read.errors
    assert (error.row, error.column) == (3, column)


def test_rows_of_one_record_that_disagree_are_the_row_readers_error(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv",
        [
            extract_row(outcome="nfa"),
            extract_row(person_ref="P-2", person_role="suspect", outcome="charged"),
        ],
    )
    [error] = _same_as_row_reader([path]).errors
    assert (error.row, error.column) == (3, "outcome")


def test_a_ragged_row_a_missing_file_and_a_missing_column(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row()])
    path.write_text(path.read_text("utf-8") + "POL-WY,police\n", "utf-8")
    row = extract_row()
    del row["person_role"]
    missing = write_extract(tmp_path / "m.csv", [row])
    read = _same_as_row_reader([path, tmp_path / "nowhere.csv", missing])
    assert {e.message.split(";")[0] for e in read.errors} == {
        "expected 10 cells as in the header, found 2",
        "file not found",
        "required column is missing from the header",
    }
