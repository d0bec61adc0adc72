"""`safehub network-analysis`: the stored network analysis, brought up to date in the database.

- ``safehub network-analysis run [--full]``: run the network job now (incremental, or a full
  rebuild); progress on stderr, one JSON object with the outcome on stdout.
- ``safehub network-analysis queue [--full]``: queue a run for the worker (``safehub jobs worker``).
- ``safehub network-analysis status``: the latest runs with their progress, one JSON line each.

(``safehub networks FILE...`` is the contract command that analyses extracts without a database.)
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer

from safehub.cli.context import cli_actor, err, open_database

app = typer.Typer(
    no_args_is_help=True, help="Network intelligence in the database: groups, key people, alerts."
)
FullOption = Annotated[
    bool, typer.Option("--full", help="Rebuild from every stored record instead of adding the new.")
]


@app.command("run")
def run_command(full: FullOption = False) -> None:
    """Bring the stored network analysis up to date now, and raise its alerts."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from safehub.jobs.networks_job import run_network_update

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with open_database() as db, Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Reading new records", total=None)

        def progress(done: int, total: int, stage: str) -> None:
            bar.update(task, description=stage.capitalize(), completed=done, total=total or None)

        result = run_network_update(db, full=full, progress=progress)
    err.print(result.summary(), markup=False, highlight=False)
    typer.echo(
        json.dumps(
            {
                "run_id": result.run_id,
                "mode": result.mode,
                "rows_read": result.rows_read,
                "records_checked": result.records_checked,
                "nodes": result.nodes,
                "edges": result.edges,
                "groups": result.groups,
                "key_people": result.key_people,
                "alerts": result.alerts,
                "children_at_heightened_risk": result.children_at_risk,
                "possible_matches": result.possible,
            }
        )
    )


@app.command("queue")
def queue_command(full: FullOption = False) -> None:
    """Queue a run for the background worker; prints the queued job's id (or null)."""
    from safehub.db.uow import unit_of_work
    from safehub.services.networks import request_network_analysis

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        queued = request_network_analysis(uow, full=full)
        uow.commit()
    if queued is None:
        err.print("A run is already waiting: it will read everything stored before it starts.")
    typer.echo(json.dumps({"job_run_id": queued}))


@app.command("status")
def status_command(
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many runs.")] = 10,
) -> None:
    """The latest network job runs with their progress, newest first, one JSON object per line."""
    from safehub.db.uow import unit_of_work
    from safehub.services.networks import list_network_runs

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        runs = list_network_runs(uow, limit=limit)
    for run in runs:
        typer.echo(json.dumps({k: _plain(v) for k, v in asdict(run).items()}))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
