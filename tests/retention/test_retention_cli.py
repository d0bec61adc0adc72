"""`safehub retention review`, run as cron would run it: a job row, a JSON line, reviews opened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from safehub.db.database import Database
from tests.retention.conftest import Records, years_on
from tests.timeliness.conftest import count

SAFEHUB = str(Path(sys.executable).with_name("safehub"))


def test_the_review_command_records_its_run_and_opens_the_reviews(
    app_db: Database, records: Records, database_url: str, cli_data_dir: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(cli_data_dir)}
    day = years_on(76).date().isoformat()
    done = subprocess.run(
        [SAFEHUB, "retention", "review", "--today", day],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["status"] == "succeeded" and line["job"] == "retention_review"
    assert line["outcome"] == "2 records looked at, 2 reached their review date"
    assert (
        count(
            app_db,
            "SELECT count(*) FROM retention_review WHERE found_by_run_id = :r",
            r=line["run_id"],
        )
        == 2
    )
    assert (
        count(
            app_db,
            "SELECT count(*) FROM job_run WHERE job = 'retention_review' AND status = 'succeeded'",
        )
        == 1
    )


def test_a_wrong_day_is_named_with_the_fix(database_url: str, cli_data_dir: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(cli_data_dir)}
    done = subprocess.run(
        [SAFEHUB, "retention", "review", "--today", "2026-02-30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr
