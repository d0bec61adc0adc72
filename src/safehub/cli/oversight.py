"""`safehub oversight`: independent oversight's facts (issue 17).

- ``safehub oversight rebuild [--months YYYY-MM ...]``: recompute the measures' rows, the facts
  and the pseudonymous units, wholly or for the months given (after an import, the months it
  touched); progress on stderr, one JSON object with the counts on stdout; exit 2 on bad input.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, NoReturn

import typer

from safehub.cli.context import cli_actor, err, open_database

app = typer.Typer(no_args_is_help=True, help="Independent oversight: measures, facts, reports.")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@app.callback()
def oversight() -> None:
    """Independent oversight: measures, facts, reports."""


@app.command("rebuild")
def rebuild_command(
    months: Annotated[
        list[str] | None,
        typer.Option(
            "--months",
            help="Rebuild only these months (YYYY-MM; repeat the option or give several). "
            "Without it, every month is rebuilt.",
        ),
    ] = None,
) -> None:
    """Rebuild oversight's facts and units from every source, in one transaction."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from safehub.db.uow import unit_of_work
    from safehub.services.oversight.facts import rebuild_facts

    scope = parse_months(months) if months else None
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with open_database() as db, Progress(*columns, console=err, transient=True) as bar:
        what = "every month" if scope is None else ", ".join(m.strftime("%Y-%m") for m in scope)
        bar.add_task(f"Rebuilding oversight facts for {what}", total=None)
        with unit_of_work(db, actor=cli_actor()) as uow:
            counts = rebuild_facts(uow, months=scope)
            uow.commit()
    err.print(counts.summary(), markup=False, highlight=False)
    typer.echo(
        json.dumps(
            {
                "months": list(counts.months) or "all",
                "measures": counts.measures,
                "facts": counts.facts,
                "units": counts.units,
                "crime_reports": counts.crime_reports,
                "seconds": counts.seconds,
            }
        )
    )


def parse_months(values: list[str]) -> list[date]:
    """YYYY-MM values (also comma-separated) as first days; a malformed one exits 2."""
    found = []
    for value in (v.strip() for raw in values for v in raw.split(",")):
        match = _MONTH.match(value)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            _fail(f"--months: '{value}' is not a month; give it as YYYY-MM, e.g. 2025-03")
        found.append(date(int(match.group(1)), int(match.group(2)), 1))
    return sorted(set(found))


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)
