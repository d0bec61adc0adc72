"""`safehub resolve FILE... --out RESOLVED.csv`: link people across agency extracts, no database.

Contract (docs/contracts.md): writes ``agency_code,person_ref,person_id``, one row per distinct pair,
sorted; ``--review-out`` the pairs waiting for a person, most useful first; the same input gives
byte-identical output; nothing on stdout; the last line of stderr says agency people in, people
out and pairs for review; invalid input exits 2.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from safehub.bulk import built_once, cyclic_gc_paused
from safehub.cli.running import as_command
from safehub.extracts.columns import read_extract_table
from safehub.linkage import LinkageModel, ScoredPair, resolve_people
from safehub.linkage.collapse import collapse_table
from safehub.linkage.engine import ENGINES
from safehub.linkage.progress import step

_err = Console(stderr=True, soft_wrap=True)  # a problem stays on one line, as contracted
# What rich's print would change in a line: an emoji code (":smile:"), a control character.
_RICH_CHANGES = re.compile(r":\S*?:|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REVIEW_HEADER = (
    "agency_code_l",
    "person_ref_l",
    "agency_code_r",
    "person_ref_r",
    "match_probability",
    "reason",
)


def resolve(
    files: Annotated[list[Path], typer.Argument(help="Format-v1 agency extracts (CSV).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write RESOLVED.csv.")],
    engine: Annotated[str, typer.Option(help="Splink backend: duckdb or spark.")] = "duckdb",
    model: Annotated[
        Path | None, typer.Option("--model", help="A saved model (JSON); else train on the input.")
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option("--save-model", help="Save the model used to this JSON file.")
    ] = None,
    review_out: Annotated[
        Path | None,
        typer.Option(
            "--review-out", help="Write the pairs waiting for a person here, most useful first."
        ),
    ] = None,
) -> None:
    """Resolve the people in agency extracts into one id per real person."""
    if engine not in ENGINES:
        _fail(f"unknown engine '{engine}'; use --engine duckdb or --engine spark")
    linkage_model = _load_model(model) if model else None
    # A command that builds its people once: the collector need not walk them (bulk.built_once).
    with built_once():
        _resolve(files, out, engine, linkage_model, save_model, review_out)
    if engine == "duckdb":
        _leave_at_once()


def _resolve(
    files: list[Path],
    out: Path,
    engine: str,
    linkage_model: LinkageModel | None,
    save_model: Path | None,
    review_out: Path | None,
) -> None:
    # The columnar reader: a million rows without a million objects (same rules and messages).
    batch = read_extract_table(files)
    _say_all(str(problem) for problem in batch.warnings)
    if not batch.ok:
        _say_all(str(problem) for problem in batch.errors)
        _fail(f"{len(batch.errors)} error(s) in the input; fix them and run again")
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=_err
    ) as progress:
        with step(progress, "collapsing mentions into agency people"):
            people = collapse_table(batch)
        del batch  # a million mentions are not needed while scoring: free them first
        resolution = resolve_people(
            people=people, engine=engine, model=linkage_model, progress=progress
        )
    with cyclic_gc_paused():
        _write(out, ("agency_code", "person_ref", "person_id"), resolution.rows())
        queue = resolution.review_queue
        if review_out:
            _write(review_out, REVIEW_HEADER, [_review_row(p) for p in queue])
    if save_model:
        resolution.model.save(save_model)
    # docs/contracts.md: the last line of stderr says agency people in, people out, pairs for review.
    _err.print(
        f"{len(resolution.person_ids)} agency people → {len(set(resolution.person_ids.values()))} "
        f"people; {len(queue)} pair(s) for review; "
        f"{len(resolution.insufficient)} with too little to match on",
        highlight=False,
    )


def standalone() -> typer.Typer:
    """An app of this one command: what `safehub resolve` runs (``safehub.cli.main``)."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(resolve)
    return app


def _leave_at_once() -> None:
    """Exit now, everything written, when run as the `safehub` command.

    Returning would free half a million people one object at a time (4-5 s at a million
    mentions); the operating system frees a process's memory in one go. Not when a test calls
    the command in-process, nor with Spark (its JVM is stopped properly).
    """
    if as_command():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _load_model(path: Path) -> LinkageModel:
    try:
        return LinkageModel.load(path)
    except ValueError as exc:
        _fail(f"{exc}; pass a file written by --save-model")
        raise  # unreachable: _fail exits


def _say_all(lines: Iterable[str]) -> None:
    """Print problems as rich prints them: a plain line written as it is (rich took 0.4 s for
    the 4,700 warnings at scale), any line rich would change (an emoji code, a control
    character) through rich."""
    for line in lines:
        if _RICH_CHANGES.search(line):
            _err.print(line, markup=False, highlight=False)
        else:
            sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _review_row(pair: ScoredPair) -> tuple[str, ...]:
    return (*pair.left, *pair.right, f"{pair.match_probability:.6f}", pair.reason)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror}; choose a writable path")


def _fail(message: str) -> None:
    _err.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(2)
