"""`safehub synth`: files written, nothing on stdout, exit 2 with a clear message on bad input."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safehub.cli import app

runner = CliRunner()


def test_synth_writes_extracts_and_truth_and_prints_nothing_on_stdout(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--out", str(tmp_path), "--children", "120", "--seed", "3"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote" in result.stderr
    names = {p.name for p in tmp_path.glob("*.csv")}
    assert {"POL-WY.csv", "LA-BRADFORD.csv", "NHS-BTH.csv", "LIC-ROCHDALE.csv"} <= names
    truth = {p.name for p in (tmp_path / "truth").glob("*.csv")}
    assert {"people.csv", "groups.csv", "key_people.csv", "agencies.csv"} <= truth
    header = (tmp_path / "truth" / "agencies.csv").read_text().splitlines()[0]
    assert header == "agency_code,agency_type,name,area_code,area_name"


def test_synth_area_preset_changes_the_agencies(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--out", str(tmp_path), "--children", "60", "--area", "rochdale"]
    )
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in tmp_path.glob("*.csv")}
    assert {"POL-GM.csv", "LA-ROCHDALE.csv", "NHS-NCA.csv", "LA-BRADFORD.csv"} <= names


def test_synth_rejects_rows_and_children_together(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--out", str(tmp_path), "--rows", "100", "--children", "10"]
    )
    assert result.exit_code == 2
    assert "not both" in result.stderr
    assert result.stdout == ""


def test_synth_rejects_an_unknown_area_naming_the_choices(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--out", str(tmp_path), "--area", "atlantis"])
    assert result.exit_code == 2
    assert "bradford, kirklees, rochdale" in result.stderr


def test_synth_rejects_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.csv"
    target.write_text("x")
    result = runner.invoke(app, ["synth", "--out", str(target), "--children", "10"])
    assert result.exit_code == 2
    assert "give a folder" in result.stderr
