"""`safehub synth`: write a seeded synthetic area (format-v1 extracts plus ground truth).

`safehub synth --out DIR [--rows N | --children N] [--seed S] [--area bradford]` writes
`DIR/<AGENCY>.csv` per agency and `DIR/truth/` (people, groups, key_people, links, agencies, persons).
Nothing is printed on stdout; progress and the summary go to stderr. The same arguments always
give byte-identical files. Invalid input exits 2 with the problem and the fix on stderr.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from safehub.synthetic import AREA_NAMES, DEFAULT_END, generate_area

DEFAULT_CHILDREN = 2000
_err = Console(stderr=True)


def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the extracts and truth/ to.")],
    rows: Annotated[
        int | None, typer.Option("--rows", help="About this many extract rows (person mentions).")
    ] = None,
    children: Annotated[
        int | None,
        typer.Option(
            "--children", help=f"Children known to agencies (default {DEFAULT_CHILDREN})."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed: same seed, same bytes.")] = 1,
    area: Annotated[
        str, typer.Option("--area", help=f"Area preset: {', '.join(AREA_NAMES)}.")
    ] = "bradford",
    groups: Annotated[
        int | None,
        typer.Option(
            "--groups",
            help="Planted exploitation groups (default: about 1 per 2,000 children).",
        ),
    ] = None,
    end_date: Annotated[
        str, typer.Option("--end-date", help="Last day of the 3-year window, YYYY-MM-DD.")
    ] = DEFAULT_END.isoformat(),
) -> None:
    """Write synthetic agency extracts (format v1) with the truth beside them."""
    end = _check(out=out, rows=rows, children=children, area=area, groups=groups, end_date=end_date)
    if rows is None and children is None:
        children = DEFAULT_CHILDREN
    out.mkdir(parents=True, exist_ok=True)
    with _progress() as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        result = generate_area(
            seed=seed,
            children=children,
            rows=rows,
            area=area,
            out_dir=out,
            groups=groups,
            end=end,
            progress=report,
        )
    _err.print(
        f"Wrote {result.rows:,} rows in {result.records:,} records for "
        f"{len(result.files)} agencies, {len({g for g, _, _ in result.groups})} planted "
        f"groups, to {out} (truth in {out / 'truth'})."
    )


def _check(
    *,
    out: Path,
    rows: int | None,
    children: int | None,
    area: str,
    groups: int | None,
    end_date: str,
) -> date:
    if rows is not None and children is not None:
        _fail("give --rows or --children, not both")
    if rows is not None and rows < 1:
        _fail(f"--rows must be at least 1 (got {rows})")
    if children is not None and children < 1:
        _fail(f"--children must be at least 1 (got {children})")
    if groups is not None and groups < 0:
        _fail(f"--groups must be 0 or more (got {groups})")
    if area not in AREA_NAMES:
        _fail(f"unknown --area {area!r}: use one of {', '.join(AREA_NAMES)}")
    if out.exists() and not out.is_dir():
        _fail(f"--out {out} is a file: give a folder")
    try:
        return date.fromisoformat(end_date)
    except ValueError:
        _fail(f"--end-date must be YYYY-MM-DD (got {end_date!r})")


def _fail(message: str) -> NoReturn:
    _err.print(f"safehub synth: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )
