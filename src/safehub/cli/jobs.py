"""`safehub jobs`: the background worker over PostgreSQL (clock states, escalation, emails).

- ``safehub jobs run-once [--now ISO]``: queue a clocks run and run everything queued; prints
  one JSON line per run on stdout (run id, job, status, outcome).
- ``safehub jobs worker [--interval SECONDS]``: do that every interval until interrupted.
- ``safehub jobs list``: the latest runs with their progress, as JSON lines.

Progress is shown on stderr with rich; email is sent when SMTP or GOV.UK Notify is configured
(see ``safehub.jobs.email``).
"""

from __future__ import annotations

import json
import os
import signal
import threading
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from safehub.cli.context import cli_actor, err, open_database
from safehub.config import load_settings
from safehub.logs import configure_logging

app = typer.Typer(no_args_is_help=True, help="Background jobs: clocks, escalation, notifications.")

NowOption = Annotated[
    str | None, typer.Option("--now", help="Evaluate clocks at this ISO time (with a zone).")
]


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        err.print(
            f"--now must be an ISO time with a zone, e.g. 2026-11-26T09:00+00:00 (got {value!r})"
        )
        raise typer.Exit(2)
    return parsed


def _sender() -> Any:
    from safehub.jobs.email import EmailConfigError, sender_from_env

    try:
        return sender_from_env(os.environ)
    except EmailConfigError as problem:
        err.print(f"[red]{problem}[/red]")
        raise typer.Exit(2) from None


def _echo(result: Any) -> None:
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


@app.command("run-once")
def run_once_command(now: NowOption = None) -> None:
    """Queue a clocks run and run every queued job once."""
    from safehub.jobs.worker import run_once

    when, sender = _parse_now(now), _sender()
    with open_database() as db, ProgressBar() as (on_progress, _):
        results = run_once(
            db, requested_by=cli_actor().label, sender=sender, now=when, on_progress=on_progress
        )
    for result in results:
        _echo(result)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


@app.command("worker")
def worker_command(
    interval: Annotated[float, typer.Option(min=1, help="Seconds between clock runs.")] = 300,
) -> None:
    """Run the clocks every INTERVAL seconds until interrupted (Ctrl+C or SIGTERM)."""
    from safehub.jobs.worker import work

    sender, stop = _sender(), threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with open_database() as db:
        configure_logging(load_settings().log_format)
        err.print(f"Worker started: clocks every {interval:g} s. Ctrl+C to stop.")
        try:
            runs = work(
                db, requested_by=cli_actor().label, sender=sender, interval=interval, stop=stop
            )
        except KeyboardInterrupt:
            runs = 0
    err.print(f"Worker stopped after {runs} run(s).")


@app.command("list")
def list_command(limit: Annotated[int, typer.Option(min=1, max=500)] = 20) -> None:
    """The latest job runs, newest first, one JSON object per line."""
    from sqlalchemy import text

    with open_database() as db, db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, job, status, requested_at, started_at, finished_at, items_processed, "
                "items_total, outcome, error FROM job_run ORDER BY id DESC LIMIT :l"
            ),
            {"l": limit},
        )
        for row in rows.mappings():
            typer.echo(
                json.dumps(
                    {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
                )
            )


class ProgressBar:
    """Rich progress on stderr, fed by the worker's progress callback."""

    def __enter__(self) -> tuple[Any, Progress]:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeElapsedColumn(),
            console=err,
        )
        self.progress.start()
        self.tasks: dict[int, Any] = {}

        def on_progress(run_id: int, done: int, total: int, stage: str) -> None:
            if run_id not in self.tasks:
                self.tasks[run_id] = self.progress.add_task(f"run {run_id}", total=total or 1)
            label = f"run {run_id}: {stage}"
            self.progress.update(
                self.tasks[run_id], completed=done, total=total or 1, description=label
            )

        return on_progress, self.progress

    def __exit__(self, *_: object) -> None:
        self.progress.stop()
