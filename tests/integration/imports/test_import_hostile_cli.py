"""`safehub import` on broken files: exit 2 with `FILE: row N, column NAME: …`, never a
traceback, nothing written; and a narrative far over the csv module's default cap is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import extract_row, write_extract
from tests.integration.cli.test_import_cli import run, stats


def _duplicate_header(folder: Path) -> tuple[Path, str]:
    row = extract_row(narrative="first")
    path = folder / "dup.csv"
    path.write_text(
        ",".join([*row, "narrative"]) + "\n" + ",".join([*row.values(), "second"]) + "\n",
        encoding="utf-8",
    )
    return path, "row 1, column narrative: appears twice in the header"


def _nul(folder: Path) -> tuple[Path, str]:
    path = write_extract(folder / "nul.csv", [extract_row(given_names="Ai\x00sha")])
    return path, "row 2, column given_names: contains a NUL character"


def _blank_header(folder: Path) -> tuple[Path, str]:
    row = extract_row()
    path = folder / "blank.csv"
    path.write_text(
        ",".join([*row, ""]) + "\n" + ",".join([*row.values(), "x"]) + "\n", encoding="utf-8"
    )
    return path, f"row 1, column #{len(row) + 1}: column {len(row) + 1} of the header has no name"


@pytest.mark.parametrize("make", [_duplicate_header, _nul, _blank_header])
def test_a_broken_extract_exits_2_naming_row_and_column_and_writes_nothing(
    cli_data_dir: Path, tmp_path: Path, make: object
) -> None:
    path, expected = make(tmp_path)  # type: ignore[operator]
    result = run(["import", str(path)], cli_data_dir)
    assert result.returncode == 2, result.stderr
    assert f"{path}: {expected}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_narrative_over_the_old_128_kib_cap_is_imported_whole(
    cli_data_dir: Path, tmp_path: Path
) -> None:
    narrative = "Seen with older men at the taxi rank. " * 8000  # about 300 KiB
    path = write_extract(tmp_path / "long.csv", [extract_row(narrative=narrative)])
    result = run(["import", str(path)], cli_data_dir)
    assert result.returncode == 0, result.stderr
    assert stats(cli_data_dir)["records"] == 1
