"""`safehub import FILE...`: validated, all-or-nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from safehub.cli.context import cli_actor, err, open_database
from safehub.extracts import read_extracts


def import_files(
    files: list[Path] = typer.Argument(..., help="Agency extracts in format v1 (CSV)."),
    purpose: str = typer.Option("agency extract import", help="Why the data is collected."),
) -> None:
    """Import agency extracts. Any invalid row rejects the whole import: nothing is written."""
    from safehub.db.uow import unit_of_work
    from safehub.services.imports import import_extracts

    names = [str(f) for f in files]
    with err.status("Reading and checking the files…"):
        batch = read_extracts(names)
    for problem in batch.problems:
        err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if not batch.ok:
        err.print(
            f"{len(batch.errors)} error(s): nothing was imported. Fix the rows above and "
            "run the import again.",
            markup=False,
        )
        raise typer.Exit(2)
    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow, _progress() as bar:
        task = bar.add_task("Importing", total=5)

        def step(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        result = import_extracts(uow, batch=batch, files=names, purpose=purpose, progress=step)
        uow.commit()
    err.print(
        f"Imported {result.rows} rows from {result.files} file(s): {result.records_new} new "
        f"records, {result.records_changed} changed, {result.mentions_new} new person mentions, "
        f"{result.mentions_changed} changed, {result.people_new} new people; "
        f"{result.warnings} warning(s).",
        markup=False,
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
