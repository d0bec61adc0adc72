"""`safehub oversight report --out DIR [--period]`: rebuilds the facts and the disparities from
what agencies sent, then writes the contract's files with disclosure control on every count."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from safehub.cli.oversight import app
from safehub.db.database import Database
from tests.factories import extract_row
from tests.web.helpers import import_rows

MEASURES_HEADER = ["measure", "area", "period", "value", "target", "status"]
DISPARITIES_HEADER = [
    "measure",
    "dimension",
    "group",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "p_value",
    "flagged",
]


def _crime_reports() -> list[dict[str, str]]:
    """60 crime reports of an exploitation offence in West Yorkshire in 2025: a child victim and
    a suspect each; suspects of one group are charged twice as often as the other's."""
    rows = []
    for i in range(60):
        group, charged = ("W1", i % 3 != 0) if i < 30 else ("A1", i % 3 == 0)
        record = {
            "record_id": f"CR-{i}",
            "record_date": f"2025-{3 + i % 6:02d}-{1 + i % 27:02d}",
            "offence_code": "71",
            "outcome": "charged" if charged else "nfa",
            "area_code": "E23000010",
        }
        rows.append(extract_row(**record, person_ref=f"V-{i}", given_names=f"Child{i}"))
        rows.append(
            extract_row(
                **record,
                person_ref=f"S-{i}",
                person_role="suspect",
                given_names=f"Adult{i}",
                family_name="Example",
                date_of_birth="1980-01-01",
                ethnicity_self_defined=group,
            )
        )
    return rows


def test_the_report_writes_the_contracts_files_from_imports_alone(
    app_db: Database, database_url: str, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, _crime_reports())
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--period", "2025"], env=env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["period"] == "2025"
    for name in ("report.html", "report.pdf", "measures.csv", "disparities.csv"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    with open(out / "measures.csv", newline="") as handle:
        measures = list(csv.reader(handle))
    assert measures[0] == MEASURES_HEADER
    nfa = [r for r in measures[1:] if r[0] == "nfa_rate_cse" and r[2] == "2025"]
    # 30 of 60 ended in no further action: a rate over counts of 10 or more is published.
    assert {float(r[3]) for r in nfa} == {50.0}
    with open(out / "disparities.csv", newline="") as handle:
        disparities = list(csv.reader(handle))
    assert disparities[0] == DISPARITIES_HEADER
    by_suspect = [r for r in disparities[1:] if r[:2] == ["crime_nfa", "suspect_ethnicity"]]
    assert {r[2] for r in by_suspect} >= {"Asian", "White"}
    for row in disparities[1:]:
        n = row[3]
        assert n == "c" or (int(n) >= 10 and int(n) % 5 == 0), row


def test_a_malformed_period_exits_2_naming_the_option(database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--period", "2025-13"], env=env)
    assert result.exit_code == 2
    assert "--period: '2025-13' is not a period" in result.output
    assert not out.exists()


def test_a_file_in_the_way_of_the_folder_exits_2(database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "report").write_text("not a folder")
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "report")], env=env)
    assert result.exit_code == 2
    assert "is a file; give a folder" in result.output
