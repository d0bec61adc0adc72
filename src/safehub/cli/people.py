"""`safehub people resolve`: identity resolution of everyone held in the database.

Incremental by default (new and changed records placed among the people already held; the first
run trains the model and resolves everyone); ``--full`` re-runs the bulk resolution.
``safehub people place-queue`` gives the pending pairs stored before the review queue had places
their place. Each prints a JSON summary on stdout; progress goes to stderr.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from safehub.cli.context import cli_actor, err, open_database

app = typer.Typer(
    help="People held in the database: identity resolution and its review queue.",
    no_args_is_help=True,
)


@app.command("resolve")
def resolve_people_command(
    full: Annotated[bool, typer.Option("--full", help="Resolve everyone again (bulk).")] = False,
) -> None:
    """Link agency records of the same person into one person with a stable id."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from safehub.db.uow import unit_of_work
    from safehub.services.identity import resolve_all_people, resolve_new_people

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=err) as progress:
            if full:
                summary = resolve_all_people(
                    uow, purpose="bulk identity resolution", progress=progress
                )
            else:
                summary = resolve_new_people(
                    uow, purpose="incremental identity resolution", progress=progress
                )
        uow.commit()
    typer.echo(json.dumps(asdict(summary), sort_keys=True))


@app.command("place-queue")
def place_queue_command(
    batch: Annotated[
        int | None,
        typer.Option("--batch", min=1, help="Two people per batch (each batch commits)."),
    ] = None,
) -> None:
    """Place every pending pair that has no place in the review queue yet (stored before the
    queue had places), by the rules resolution uses; placed pairs are left as they are."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from safehub.db.uow import unit_of_work
    from safehub.services.identity.places import (
        PLACING_BATCH,
        PLACING_PURPOSE,
        place_unplaced_pairs,
    )

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeElapsedColumn(), console=err) as progress:
            placing = place_unplaced_pairs(
                uow,
                purpose=PLACING_PURPOSE,
                batch=batch or PLACING_BATCH,
                progress=progress,
            )
        uow.commit()
    typer.echo(json.dumps(asdict(placing), sort_keys=True))
