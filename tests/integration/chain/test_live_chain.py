"""The live chain from an import to an alert, in the order of the main job's data flow:
import, then identity resolution, then the network update and its alerts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safehub.cli.main import app as cli
from safehub.db.database import Database
from safehub.jobs.networks_job import run_network_update
from tests.factories import extract_row
from tests.networks_db.data import group_rows
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows


def _queued(db: Database) -> list[str]:
    return [
        r[0] for r in owner_rows(db, "SELECT job FROM job_run WHERE status = 'queued' ORDER BY id")
    ]


def test_an_import_queues_resolution_and_not_the_network(app_db: Database, tmp_path: Path) -> None:
    import_rows(app_db, tmp_path, group_rows())
    assert _queued(app_db) == ["resolve"]


def test_the_network_reads_nobody_that_resolution_has_not_seen(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    early = run_network_update(app_db)  # as if the network job ran before resolution
    assert (early.rows_read, early.groups, early.alerts) == (0, 0, 0)
    assert early.waiting == len(group_rows())
    assert "wait for identity resolution" in early.summary()
    results = run_jobs(app_db)
    assert [r.job for r in results] == ["resolve", "networks"]
    [(rows_read, groups)] = owner_rows(
        app_db, "SELECT rows_read, groups FROM network_run ORDER BY id DESC LIMIT 1"
    )
    assert (rows_read, groups) == (len(group_rows()), 1)


def test_a_second_import_waits_for_its_resolution_before_the_network_reads_it(
    app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows()[:3])
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", group_rows()[3:])
    assert run_network_update(app_db).rows_read == 0
    run_jobs(app_db)
    [(rows_read,)] = owner_rows(app_db, "SELECT sum(rows_read) FROM network_run")
    assert rows_read == len(group_rows())


def test_jobs_run_once_runs_the_chain_to_the_end(
    app_db: Database, database_url: str, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(cli, ["jobs", "run-once"], env=env)
    assert result.exit_code == 0, result.output
    runs = owner_rows(app_db, "SELECT job, status FROM job_run ORDER BY id")
    assert [r for r in runs if r[0] != "clocks"] == [
        ("resolve", "succeeded"),
        ("networks", "succeeded"),
    ]
    assert owner_rows(app_db, "SELECT count(*) FROM network_group")[0][0] >= 1
    assert _queued(app_db) == []


def test_the_chain_runs_on_records_without_dates_of_birth_or_identifiers(
    app_db: Database, tmp_path: Path
) -> None:
    # Intelligence about who spoke to whom, nothing else (the shape of a wiretap network).
    rows = [
        extract_row(
            record_id=f"INT-{n}",
            record_type="intelligence",
            person_ref=ref,
            person_role="associate",
            given_names=given,
            family_name=family,
            date_of_birth="",
        )
        for n, pair in enumerate([("Ann Ash", "Ben Birch"), ("Ben Birch", "Cy Cole")])
        for ref, (given, family) in ((p.replace(" ", "-"), p.split(" ")) for p in pair)
    ]
    import_rows(app_db, tmp_path, rows)
    results = run_jobs(app_db)  # fails the test on any failed job
    assert [r.job for r in results] == ["resolve", "networks"]
