"""`safehub network-analysis`: the outcome as JSON on stdout, progress on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safehub.cli.networks_db import app
from safehub.db.database import Database
from tests.networks_db.data import group_rows
from tests.networks_db.helpers import resolve_people, run_jobs
from tests.web.helpers import import_rows


def test_run_prints_the_outcome_as_json_and_status_shows_queued_runs(
    app_db: Database, database_url: str, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    resolve_people(app_db)  # resolution queues a network run for the worker
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    status = runner.invoke(app, ["status"], env=env)
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout.splitlines()[0])["status"] == "queued"
    result = runner.invoke(app, ["run"], env=env)
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert (outcome["mode"], outcome["groups"], outcome["key_people"]) == ("full", 1, 2)


def test_status_shows_each_run_the_worker_made_with_its_mode(
    app_db: Database, database_url: str, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    run_jobs(app_db)  # the worker links the stored run to the job run it claimed
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    status = CliRunner().invoke(app, ["status"], env=env)
    assert status.exit_code == 0, status.output
    runs = [json.loads(line) for line in status.stdout.splitlines()]
    assert [(r["status"], r["mode"]) for r in runs] == [("succeeded", "full")]
