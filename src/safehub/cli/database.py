"""`safehub migrate` and `safehub stats`."""

from __future__ import annotations

import json

import typer

from safehub.cli.context import cli_actor, err, open_database


def migrate() -> None:
    """Create or upgrade the database schema and the roles the application works as."""
    with open_database():
        err.print("Database is at the latest migration.")


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Counts of agencies, records, person mentions and people in the database."""
    from safehub.db.uow import unit_of_work
    from safehub.services.statistics import count_everything

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        counts = count_everything(uow)
        uow.commit()
    if as_json:
        typer.echo(json.dumps(counts, sort_keys=True))
        return
    for key, value in counts.items():
        typer.echo(f"{key}: {value}")
