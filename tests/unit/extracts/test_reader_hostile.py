"""Hostile and broken files: every one is answered with ``FILE: row N, column NAME: …`` problems
that reject the batch, never an exception; and a fuzz test of the reader finds none."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehub.extracts import read_extracts
from safehub.extracts.codes import ALL_COLUMNS, CELL_LIMIT_BYTES, MAX_CHARACTERS, REQUIRED_COLUMNS
from tests.factories import extract_row, write_extract


def _errors(path: Path) -> list[str]:
    batch = read_extracts([path])
    assert not batch.ok
    return [str(p) for p in batch.errors]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_column_named_twice_rejects_the_file_naming_the_column(tmp_path: Path) -> None:
    row = extract_row(narrative="first")
    columns = [*row, "narrative"]
    path = _write(
        tmp_path / "x.csv",
        ",".join(columns) + "\n" + ",".join([*row.values(), "second"]) + "\n",
    )
    [error] = _errors(path)
    position = len(row)
    assert error.startswith(
        f"{path}: row 1, column narrative: appears twice in the header "
        f"(columns {list(row).index('narrative') + 1} and {position + 1}); keep one of them"
    )


def test_a_blank_column_name_rejects_the_file_naming_its_position(tmp_path: Path) -> None:
    row = extract_row()
    path = _write(
        tmp_path / "x.csv", ",".join([*row, " "]) + "\n" + ",".join([*row.values(), "x"]) + "\n"
    )
    [error] = _errors(path)
    assert error.startswith(
        f"{path}: row 1, column #{len(row) + 1}: column {len(row) + 1} of the header has no name"
    )


def test_a_nul_byte_in_a_cell_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "x.csv", [extract_row(), extract_row(record_id="CR-2", narrative="a\x00b")]
    )
    [error] = _errors(path)
    assert error == (
        f"{path}: row 3, column narrative: contains a NUL character (byte 0), which text may "
        "not hold; remove it (got 'a\\0b')"
    )


def test_a_cell_over_the_limit_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(narrative="n" * (CELL_LIMIT_BYTES + 1))])
    [error] = _errors(path)
    assert error.startswith(f"{path}: row 2, column narrative: the cell holds 16,777,217 bytes")
    assert len(error) < 400  # the value is not repeated whole


def test_a_narrative_of_several_megabytes_is_read(tmp_path: Path) -> None:
    text = "She was seen getting into cars. " * (4 * 1024 * 1024 // 32)
    path = write_extract(tmp_path / "x.csv", [extract_row(narrative=text)])
    batch = read_extracts([path])
    assert batch.ok and batch.mentions[0].values["narrative"] == text.strip()


def test_a_code_too_long_for_its_column_is_an_error_not_a_database_failure(
    tmp_path: Path,
) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row(sex="Female")])
    [error] = _errors(path)
    assert error.startswith(
        f"{path}: row 2, column sex: longer than the {MAX_CHARACTERS['sex']} characters"
    )


def test_the_stored_widths_the_reader_checks_are_the_databases(tmp_path: Path) -> None:
    from safehub.db.models.agencies import Agency
    from safehub.db.models.records import AgencyRecord, PersonMention

    tables = {"agency_code": Agency.__table__.c.code}
    for column in MAX_CHARACTERS:
        for model in (AgencyRecord, PersonMention):
            if column in model.__table__.c:
                tables[column] = model.__table__.c[column]
    widths = {name: getattr(col.type, "length", None) for name, col in tables.items()}
    assert widths == MAX_CHARACTERS


def test_a_file_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [extract_row()])
    path.write_bytes(path.read_bytes() + b"POL-WY,police,CR-9,crime_report,2025-01-01,P\xff\n")
    [error] = _errors(path)
    assert "the file is not UTF-8" in error


def test_a_directory_given_as_a_file_is_an_error(tmp_path: Path) -> None:
    [error] = _errors(tmp_path)
    assert error.startswith(f"{tmp_path}: row 0, column -: the file cannot be read")


_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", '"', '""', "\x00", "\r\n", "2025-03-01", "Y", "police", "victim"]),
)


@st.composite
def _hostile_files(draw: st.DrawFn) -> bytes:
    """Header of known, unknown, repeated and blank names; rows of any text, ragged or not;
    sometimes a raw byte that is not UTF-8, or an unclosed quote."""
    header = draw(
        st.lists(st.one_of(st.sampled_from(ALL_COLUMNS), st.text(max_size=8)), max_size=12)
    )
    if draw(st.booleans()):
        header = [*REQUIRED_COLUMNS, *header]
    width = len(header)
    rows = draw(
        st.lists(st.lists(_CELL, min_size=max(0, width - 1), max_size=width + 1), max_size=6)
    )
    quote = lambda cell: '"' + cell.replace('"', '""') + '"'  # noqa: E731
    lines = [",".join(quote(c) if draw(st.booleans()) else c for c in r) for r in [header, *rows]]
    data = "\r\n".join(lines).encode("utf-8", errors="surrogatepass")
    return data + draw(st.sampled_from([b"", b"\n", b"\xff\xfe", b'"unclosed', b"\x00"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_files())
def test_the_reader_answers_any_file_with_problems_never_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        batch = read_extracts([path])
    for problem in batch.problems:
        text = str(problem)
        assert text.startswith(f"{path}: row ") and ", column " in text
    if batch.ok:
        assert all("\x00" not in v for m in batch.mentions for v in m.values.values())
