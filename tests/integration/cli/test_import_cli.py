"""The `safehub import` and `safehub stats --json` contracts, run as other tools run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import extract_row, write_extract

SAFEHUB = str(Path(sys.executable).with_name("safehub"))


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAFEHUB_DATA_DIR"] = str(data_dir)
    return subprocess.run([SAFEHUB, *args], capture_output=True, text=True, env=env, timeout=120)


def stats(data_dir: Path) -> dict[str, int]:
    result = run(["stats", "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    parsed: dict[str, int] = json.loads(result.stdout)
    return parsed


def test_stats_of_a_fresh_folder_is_a_fresh_migrated_database(cli_data_dir: Path) -> None:
    assert stats(cli_data_dir) == {"agencies": 0, "records": 0, "person_mentions": 0, "people": 0}


def test_an_invalid_row_exits_non_zero_prints_the_problem_and_writes_nothing(
    cli_data_dir: Path, tmp_path: Path
) -> None:
    good = write_extract(tmp_path / "good.csv", [extract_row()])
    bad = write_extract(
        tmp_path / "bad.csv", [extract_row(), extract_row(record_date="2025-02-30")]
    )
    result = run(["import", str(good), str(bad)], cli_data_dir)
    assert result.returncode != 0
    assert (
        f"{bad}: row 3, column record_date: not a date; write it as YYYY-MM-DD (got '2025-02-30')"
        in result.stderr
    )
    assert result.stdout == ""
    assert stats(cli_data_dir)["records"] == 0


def test_import_then_reimport_changes_nothing(cli_data_dir: Path, tmp_path: Path) -> None:
    path = write_extract(
        tmp_path / "p.csv",
        [
            extract_row(),
            extract_row(person_ref="P-2", person_role="suspect", date_of_birth="1990"),
        ],
    )
    first = run(["import", str(path)], cli_data_dir)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    after_first = stats(cli_data_dir)
    assert after_first == {"agencies": 1, "records": 1, "person_mentions": 2, "people": 2}
    assert run(["import", str(path)], cli_data_dir).returncode == 0
    assert stats(cli_data_dir) == after_first
