"""Reading agency extracts (format v1), validated row by row.

Errors reject the whole batch (nothing is written); warnings keep the value as given, flag it and
keep it out of matching. Which is which: ``docs/extract-format.md``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from safehub.extracts import codes
from safehub.extracts.cells import CELL_RULES, IDENTIFIER_COLUMNS
from safehub.extracts.model import ExtractBatch, Identifier, Mention, Problem


def read_extracts(paths: Iterable[str | Path]) -> ExtractBatch:
    """Read and validate format-v1 files; record-level columns must agree across the whole batch.

    >>> batch = read_extracts([])
    >>> batch.ok, batch.mentions
    (True, [])
    """
    batch = ExtractBatch()
    for path in paths:
        _read_file(str(path), batch)
    _check_record_agreement(batch)
    batch.mentions = _latest_versions(batch.mentions)
    return batch


def _read_file(name: str, batch: ExtractBatch) -> None:
    try:
        with open(name, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        batch.problems.append(Problem(name, 0, "-", "file not found", name, True))
        return
    except UnicodeDecodeError as exc:
        batch.problems.append(
            Problem(
                name,
                0,
                "-",
                f"the file is not UTF-8 (byte {exc.start}); save it as UTF-8 CSV",
                "",
                True,
            )
        )
        return
    if not rows:
        batch.problems.append(
            Problem(name, 1, "-", "the file is empty; it needs a header row", "", True)
        )
        return
    header = [h.strip() for h in rows[0]]
    if not check_header(name, header, batch):
        return
    for index, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line at the end of a spreadsheet export is not a row
        mention = _read_row(name, index, header, cells, batch)
        if mention is not None:
            batch.mentions.append(mention)


def check_header(name: str, header: list[str], batch: ExtractBatch) -> bool:
    known = set(codes.ALL_COLUMNS)
    for column in header:
        if column not in known:
            batch.problems.append(
                Problem(name, 1, column, "unknown column, ignored", column, False)
            )
    missing = [c for c in codes.REQUIRED_COLUMNS if c not in header]
    for column in missing:
        batch.problems.append(
            Problem(name, 1, column, "required column is missing from the header", "", True)
        )
    return not missing


def _read_row(
    name: str, row: int, header: list[str], cells: list[str], batch: ExtractBatch
) -> Mention | None:
    if len(cells) != len(header):
        batch.problems.append(
            Problem(
                name,
                row,
                "-",
                f"expected {len(header)} cells as in the header, found {len(cells)}",
                ",".join(cells)[:80],
                True,
            )
        )
        return None
    values = {h: c.strip() for h, c in zip(header, cells, strict=True) if c.strip()}
    problems = [
        Problem(name, row, column, "a value is required", "", True)
        for column in codes.REQUIRED_COLUMNS
        if column not in values
    ]
    parsed: dict[str, object] = {}
    for column, rule in CELL_RULES.items():
        raw = values.get(column)
        if raw is None:
            continue
        parsed[column], findings = rule(raw)
        problems.extend(Problem(name, row, column, f.message, raw, f.is_error) for f in findings)
    batch.problems.extend(problems)
    if any(p.is_error for p in problems):
        return None
    return _mention(name, row, values, parsed)


def _mention(name: str, row: int, values: dict[str, str], parsed: dict[str, object]) -> Mention:
    if "outcome" in parsed:
        values["outcome"] = str(parsed["outcome"])  # an old alias is stored as its current code
    found: list[Identifier] = []
    for spec in IDENTIFIER_COLUMNS:
        found.extend(parsed.get(spec.column, ()))  # type: ignore[arg-type]
    record_date = parsed["record_date"]
    assert isinstance(record_date, date)
    return Mention(
        name,
        row,
        values,
        record_date,
        date_of_birth=parsed.get("date_of_birth"),  # type: ignore[arg-type]
        identifiers=found,
        aliases=parsed.get("aliases", ()),  # type: ignore[arg-type]
        indicators=parsed.get("indicators", ()),  # type: ignore[arg-type]
    )


def _check_record_agreement(batch: ExtractBatch) -> None:
    """Rows of one record must agree on its record-level columns (an empty cell is unknown)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for mention in batch.mentions:
        first = seen.setdefault(mention.record_key, {})
        for column in codes.RECORD_LEVEL_COLUMNS:
            value = mention.values.get(column)
            if value is None:
                continue
            if column not in first:
                first[column] = value
            elif first[column] != value:
                batch.problems.append(
                    Problem(
                        mention.file,
                        mention.row,
                        column,
                        f"disagrees with an earlier row of record {mention.record_id}, which "
                        f"has '{first[column]}'; a record's rows must agree",
                        value,
                        True,
                    )
                )


def _latest_versions(mentions: list[Mention]) -> list[Mention]:
    """One mention per key: a repeated key is a newer version of that row, the later one wins."""
    latest: dict[tuple[str, str, str], Mention] = {}
    for mention in mentions:
        latest[mention.key] = mention
    return list(latest.values())
