"""`safehub resolve`: exit codes, header, sorting, byte-identical output, nothing on stdout."""

from __future__ import annotations

import csv
import subprocess
import sys
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


def test_run_as_the_safehub_command_it_writes_the_same_file_and_summary(
    tmp_path: Path, extract_dir: Path
) -> None:
    # The `safehub` entry point exits without tearing down (os._exit): the file must be whole,
    # the summary printed and the exit code 0, as when the command returns normally.
    files = sorted(str(p) for p in extract_dir.glob("*.csv"))
    in_process = tmp_path / "in_process.csv"
    assert runner.invoke(app, ["resolve", *files, "--out", str(in_process)]).exit_code == 0
    as_command = tmp_path / "as_command.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from safehub.cli import main; main()",
            "resolve",
            *files,
            "--out",
            str(as_command),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "agency people →" in done.stderr
    assert as_command.read_bytes() == in_process.read_bytes()


def test_the_safehub_command_resolves_without_the_database_stack(tmp_path: Path) -> None:
    # `safehub resolve` needs no database: importing every command's stack cost seconds and
    # 130 MB. A bad file still gets the command's own error and exit code.
    bad = tmp_path / "POL-XX.csv"
    bad.write_text("not,an,extract\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from safehub.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print(exc.code, sorted(m for m in ('sqlalchemy', 'alembic', 'jinja2') "
        "if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "resolve", str(bad), "--out", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "2 []", done.stderr
    assert "error:" in done.stderr


def test_review_out_writes_the_queue_in_order_with_probability_and_reason(
    tmp_path: Path, extract_dir: Path
) -> None:
    from safehub.extracts import read_extracts
    from safehub.linkage import resolve_people

    files = sorted(extract_dir.glob("*.csv"))
    out, review = tmp_path / "resolved.csv", tmp_path / "review.csv"
    args = ["resolve", *map(str, files), "--out", str(out), "--review-out", str(review)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = review.read_text().splitlines()
    assert lines[0] == (
        "agency_code_l,person_ref_l,agency_code_r,person_ref_r,match_probability,reason"
    )
    rows = list(csv.reader(lines[1:]))
    assert rows, "the small population has pairs waiting for a person"
    for row in rows:
        assert len(row) == 6 and row[5]
        assert 0.0 <= float(row[4]) <= 1.0 and len(row[4].split(".")[1]) == 6
    queue = resolve_people(read_extracts(files).mentions).review_queue
    assert [tuple(r[:4]) for r in rows] == [(*p.left, *p.right) for p in queue]
    assert f"; {len(rows)} pair(s) for review;" in result.stderr.strip().splitlines()[-1]
