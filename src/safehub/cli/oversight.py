"""`safehub oversight`: independent oversight's facts (issue 17).

- ``safehub oversight rebuild [--months YYYY-MM ...]``: recompute the measures' rows, the facts
  and the pseudonymous units, wholly or for the months given (after an import, the months it
  touched); progress on stderr, one JSON object with the counts on stdout; exit 2 on bad input.
- ``safehub oversight report --out DIR [--period YYYY or YYYY-MM]``: rebuild the facts and the
  disparities, then write ``report.html``, ``report.pdf``, ``measures.csv``, ``disparities.csv``
  and the area pages to DIR, disclosure control applied to every count (the contract of issue
  17); exit 2 on a bad period or an unusable folder.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
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


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="The folder to write the report into.")],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="A year (YYYY) or a month (YYYY-MM); without it, the calendar year of the "
            "most recent data.",
        ),
    ] = None,
) -> None:
    """Rebuild the facts and the disparities, then write report.html, report.pdf, measures.csv
    and disparities.csv (and area pages) to OUT, with disclosure control on every count."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from safehub.db.uow import unit_of_work
    from safehub.services.oversight.disparities import DisparityRequest, build_disparities
    from safehub.services.oversight.facts import rebuild_facts
    from safehub.services.oversight.report import build_report_data, write_report
    from safehub.services.oversight.results import latest_year

    if period is not None and DisparityRequest(period).problems():
        _fail(f"--period: '{period}' is not a period; give a year (2026) or a month (2026-03)")
    _usable_folder(out)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with open_database() as db, Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Rebuilding the facts", total=None)
        with unit_of_work(db, actor=cli_actor()) as uow:
            counts = rebuild_facts(uow)
            chosen = period or latest_year(uow, today=date.today())
            bar.update(task, description=f"Comparing groups for {chosen} (disparities)")
            build = build_disparities(uow, request=DisparityRequest(chosen))
            uow.commit()
        with unit_of_work(db, actor=cli_actor()) as uow:
            data = build_report_data(uow, period=chosen)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(
                task, description=f"Writing the report: {stage}", completed=done, total=total
            )

        files = write_report(data, out, progress=progress)
    err.print(counts.summary(), markup=False, highlight=False)
    written = [files.html, files.pdf, files.measures_csv, files.disparities_csv, *files.area_pages]
    typer.echo(
        json.dumps(
            {
                "period": chosen,
                "out": str(out),
                "files": sorted(str(p.relative_to(out)) for p in written),
                "comparisons": build.comparisons,
                "flagged": len(build.flagged()),
                "charts": files.charts,
            }
        )
    )


def _usable_folder(out: Path) -> None:
    """The report's folder exists or can be made, and is a folder; else exit 2 naming it."""
    if out.exists() and not out.is_dir():
        _fail(f"--out: '{out}' is a file; give a folder (it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        _fail(f"--out: cannot create the folder '{out}': {problem.strerror}")
