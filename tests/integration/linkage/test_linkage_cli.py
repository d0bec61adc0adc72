"""`safehub resolve`: exit codes, header, sorting, byte-identical output, nothing on stdout."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from safehub.cli import app

runner = CliRunner()


def test_resolve_writes_sorted_rows_and_prints_nothing(tmp_path: Path, extract_dir: Path) -> None:
    files = sorted(str(p) for p in extract_dir.glob("*.csv"))
    out = tmp_path / "resolved.csv"
    result = runner.invoke(
        app, ["resolve", *files, "--out", str(out), "--save-model", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = out.read_text().splitlines()
    assert lines[0] == "agency_code,person_ref,person_id"
    rows = [tuple(r) for r in csv.reader(lines[1:])]
    assert rows == sorted(rows) and len({r[:2] for r in rows}) == len(rows)
    again = tmp_path / "again.csv"
    assert runner.invoke(app, ["resolve", *files, "--out", str(again)]).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    with_model = tmp_path / "model.csv"
    args = ["resolve", *files, "--out", str(with_model), "--model", str(tmp_path / "m.json")]
    assert runner.invoke(app, args).exit_code == 0
    assert with_model.read_bytes() == out.read_bytes()


def test_an_extract_with_errors_exits_2_naming_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "agency_code,agency_type,record_id,record_type,record_date,person_ref,person_role\n"
        "POL-WY,police,R1,crime_report,2024-13-45,P1,victim\n"
    )
    result = runner.invoke(app, ["resolve", str(bad), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert f"{bad}: row 2, column record_date:" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "o.csv").exists()


def test_an_unknown_engine_exits_2(tmp_path: Path, extract_dir: Path) -> None:
    files = [str(p) for p in extract_dir.glob("*.csv")]
    result = runner.invoke(
        app, ["resolve", *files, "--out", str(tmp_path / "o.csv"), "--engine", "oracle"]
    )
    assert result.exit_code == 2
    assert "unknown engine" in result.stderr
