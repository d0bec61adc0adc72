"""`safehub language`: check text for language that blames children or hides abuse."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from safehub.language.audit import AuditSummary

# safehub.language (spaCy) is imported inside the commands so that the rest of the CLI starts
# without loading it.

app = typer.Typer(
    no_args_is_help=True,
    help="Victim-centred language checker: flag, explain, suggest.",
)
_err = Console(stderr=True, soft_wrap=True)
_BATCH = 512


@app.command("check")
def check() -> None:
    """Read passages from standard input, one per line, and print one JSON object per line.

    Each object is {"flags": [{"start", "end", "text", "why", "suggestion", "severity",
    "rule_id"}]}; offsets are code points into the line, end exclusive.
    """
    from safehub.language.checker import default_checker

    checker = default_checker()
    out = sys.stdout.buffer
    lines = _stdin_lines(sys.stdin.buffer)
    while batch := list(islice(lines, _BATCH)):
        for flags in checker.iter_many(batch):
            record = {"flags": [f.to_dict() for f in flags]}
            out.write(_json_line(record).encode("utf-8") + b"\n")
        out.flush()


def _json_line(record: object) -> str:
    """JSON on one line that no line splitter will break (U+2028, U+2029, U+0085 escaped)."""
    text = json.dumps(record, ensure_ascii=False)
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _stdin_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines without their newline ("\\n" or "\\r\\n"); exits 2 on bytes that are not UTF-8."""
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            _err.print(
                f"standard input, line {number}: not UTF-8 text ({exc.reason}); "
                "send the text encoded as UTF-8"
            )
            raise typer.Exit(2) from exc
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield line.removesuffix("\n").removesuffix("\r")


@app.command("audit")
def audit(
    file: Annotated[Path, typer.Argument(help="CSV file, e.g. an agency extract (format v1).")],
    column: Annotated[str, typer.Option(help="Column holding the text.")] = "narrative",
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    examples: Annotated[int, typer.Option(min=0, help="How many flagged rows to show.")] = 10,
) -> None:
    """Summarise flagged language across a CSV of notes: flag rate and counts per rule."""
    from safehub.language.audit import AuditInputError, audit_texts, read_column

    if not file.is_file():
        _err.print(f"{file}: no such file; give the path of a CSV file")
        raise typer.Exit(2)
    try:
        with _err.status("Checking notes..."):
            summary = audit_texts(read_column(file, column), max_examples=examples)
    except AuditInputError as exc:
        _err.print(str(exc))
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_summary(summary, file, column)


def _print_summary(summary: AuditSummary, file: Path, column: str) -> None:
    from safehub.language.checker import default_checker

    out = Console(soft_wrap=True)
    out.print(
        f"[bold]{file}[/bold] column {column!r}: {summary.checked} texts checked "
        f"({summary.empty} empty), {summary.flagged} flagged "
        f"({summary.flag_rate:.1%}), {summary.flags} flags"
    )
    rules = default_checker().rulebook
    table = Table("rule", "what", "flags")
    for rule_id, count in summary.rule_counts.items():
        title = next((r.title for r in rules.rules if r.id == rule_id), "")
        table.add_row(rule_id, title, str(count))
    if summary.rule_counts:
        out.print(table)
    for example in summary.examples:
        phrases = "; ".join(f"{f.text!r} ({f.rule_id}, {f.severity})" for f in example.flags)
        out.print(f"row {example.row}: {phrases}")
