"""`safehub retention review [--today YYYY-MM-DD]`: find the records that reached their review
date and put them before the data protection officer (the review queue at /retention).

Prints one JSON line on stdout (run id, status, outcome); progress on stderr with rich. The run
is recorded in ``job_run`` like every job. Nothing is kept, anonymised or erased here: a person
decides each review.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Annotated

import typer

from safehub.cli.context import cli_actor, err, open_database
from safehub.cli.jobs import ProgressBar

app = typer.Typer(no_args_is_help=True, help="Retention by review: records reaching review.")

TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Review as on this day (YYYY-MM-DD); default today."),
]


def _day(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(12), tzinfo=UTC)
    except ValueError:
        err.print(f"--today must be a real date as YYYY-MM-DD, e.g. 2026-12-06 (got {value!r})")
        raise typer.Exit(2) from None


@app.command("review")
def review(today: TodayOption = None) -> None:
    """Open a review for every record whose review date has come."""
    from safehub.jobs.worker import run_now
    from safehub.services.retention import RETENTION_JOB

    when = _day(today)
    with open_database() as db, ProgressBar() as (on_progress, _):
        result = run_now(
            db, job=RETENTION_JOB, requested_by=cli_actor().label, now=when, on_progress=on_progress
        )
    if result is None:
        err.print("A worker took the run first: see `safehub jobs list`.")
        return
    typer.echo(
        json.dumps(
            {
                "run_id": result.run_id,
                "job": result.job,
                "status": result.status,
                "outcome": result.outcome,
                "error": result.error,
            }
        )
    )
    if result.status == "failed":
        raise typer.Exit(1)
