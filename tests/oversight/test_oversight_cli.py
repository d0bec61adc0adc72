"""`safehub oversight rebuild`: counts as JSON on stdout, exit 2 naming a malformed month."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safehub.cli.oversight import app
from safehub.db.database import Database
from tests.factories import extract_row
from tests.networks_db.helpers import owner_rows
from tests.web.helpers import import_rows


def test_rebuild_all_then_one_month(app_db: Database, database_url: str, tmp_path: Path) -> None:
    import_rows(app_db, tmp_path, [extract_row(offence_code="71", outcome="nfa")])
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    full = runner.invoke(app, ["rebuild"], env=env)
    assert full.exit_code == 0, full.output
    outcome = json.loads(full.stdout)
    assert outcome["months"] == "all" and outcome["units"] == 2  # to charge, and NFA
    month = runner.invoke(app, ["rebuild", "--months", "2025-03", "--months", "2025-04"], env=env)
    assert month.exit_code == 0, month.output
    assert json.loads(month.stdout)["months"] == ["2025-03", "2025-04"]
    nfa = owner_rows(
        app_db,
        "SELECT numerator, denominator FROM oversight_fact WHERE measure_code = 'nfa_rate_cse'",
    )
    assert nfa == [(1.0, 1.0)]


def test_a_malformed_month_exits_2_naming_the_option(database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["rebuild", "--months", "2025-13"], env=env)
    assert result.exit_code == 2
    assert "--months: '2025-13' is not a month; give it as YYYY-MM" in result.output
    assert result.stdout == ""
