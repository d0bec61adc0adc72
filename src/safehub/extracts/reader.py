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


# The csv module's own cap (131,072 characters) would end the read with a bare ``_csv.Error``
# and no column. The reader checks every cell against the format's limit itself, naming the
# column; the parser is given four times the limit, so that a cell over the limit is still read
# whole and named, while a file one unclosed quote turns into a single cell of gigabytes stops
# the read (reported by row) before it fills the memory.
PARSER_LIMIT = 4 * codes.CELL_LIMIT_BYTES
csv.field_size_limit(max(csv.field_size_limit(), PARSER_LIMIT))
_SHOWN = 80  # characters of a bad value repeated in a message


def _read_file(name: str, batch: ExtractBatch) -> None:
    row = 0  # the last row read whole: a decoding or quoting error is in a later one
    try:
        with open(name, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if not header:
                batch.problems.append(
                    Problem(name, 1, "-", "the file is empty; it needs a header row", "", True)
                )
                return
            if not check_header(name, header, batch):
                return
            row = 1
            for row, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue  # a blank line at the end of a spreadsheet export is not a row
                mention = _read_row(name, row, header, cells, batch)
                if mention is not None:
                    batch.mentions.append(mention)
    except FileNotFoundError:
        batch.problems.append(Problem(name, 0, "-", "file not found", name, True))
    except UnicodeDecodeError as exc:
        message = f"the file is not UTF-8 at or after this row ({exc.reason}); save it as UTF-8 CSV"
        batch.problems.append(Problem(name, row + 1, "-", message, "", True))
    except csv.Error as exc:
        message = f"the CSV cannot be read ({exc}); check for an unclosed quote in this row"
        batch.problems.append(Problem(name, row + 1, "-", message, "", True))
    except OSError as exc:
        message = f"the file cannot be read ({exc.strerror or exc}); check its name and access"
        batch.problems.append(Problem(name, 0, "-", message, name, True))


def check_header(name: str, header: list[str], batch: ExtractBatch) -> bool:
    """Unknown columns are warnings; a missing, blank or repeated column rejects the file."""
    known = set(codes.ALL_COLUMNS)
    fatal = _bad_header_cells(name, header, batch)
    for column in header:
        if column and column not in known and not _cell_problem(column):
            batch.problems.append(
                Problem(name, 1, column, "unknown column, ignored", column, False)
            )
    missing = [c for c in codes.REQUIRED_COLUMNS if c not in header]
    for column in missing:
        batch.problems.append(
            Problem(name, 1, column, "required column is missing from the header", "", True)
        )
    return not missing and not fatal


def _bad_header_cells(name: str, header: list[str], batch: ExtractBatch) -> bool:
    """Blank, repeated or unreadable header cells, each named (a repeated column would let its
    second cell silently overwrite the first)."""
    first: dict[str, int] = {}
    found = False
    for position, column in enumerate(header, start=1):
        problem = _cell_problem(column)
        if not column:
            message = f"column {position} of the header has no name; name it or remove the column"
            batch.problems.append(Problem(name, 1, f"#{position}", message, "", True))
        elif problem:
            batch.problems.append(Problem(name, 1, f"#{position}", problem, _shown(column), True))
        elif column in first:
            message = (
                f"appears twice in the header (columns {first[column]} and {position}); "
                "keep one of them"
            )
            batch.problems.append(Problem(name, 1, column, message, column, True))
        else:
            first[column] = position
            continue
        found = True
    return found


def _cell_problem(cell: str) -> str | None:
    """What makes a cell unreadable whatever its column: a NUL character, or its size."""
    if "\x00" in cell:
        return "contains a NUL character (byte 0), which text may not hold; remove it"
    if len(cell) * 4 > codes.CELL_LIMIT_BYTES and _utf8_size(cell) > codes.CELL_LIMIT_BYTES:
        return (
            f"the cell holds {_utf8_size(cell):,} bytes, over the format's limit of "
            f"{codes.CELL_LIMIT_BYTES:,} (16 MiB); check for an unclosed quote, or split the text"
        )
    return None


def _utf8_size(cell: str) -> int:
    return len(cell.encode("utf-8", errors="replace"))


def _shown(value: str) -> str:
    """A bad value as a message repeats it: printable, and short."""
    visible = value.replace("\x00", "\\0")
    return visible if len(visible) <= _SHOWN else visible[:_SHOWN] + "…"


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
                _shown(",".join(cells)),
                True,
            )
        )
        return None
    unreadable = _unreadable_cells(name, row, header, cells)
    if unreadable:
        batch.problems.extend(unreadable)
        return None
    values = {h: c.strip() for h, c in zip(header, cells, strict=True) if c.strip()}
    problems = [
        Problem(name, row, column, "a value is required", "", True)
        for column in codes.REQUIRED_COLUMNS
        if column not in values
    ]
    problems.extend(_too_wide(name, row, values))
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


def _unreadable_cells(name: str, row: int, header: list[str], cells: list[str]) -> list[Problem]:
    found = []
    for column, cell in zip(header, cells, strict=True):
        problem = _cell_problem(cell)
        if problem:
            found.append(Problem(name, row, column, problem, _shown(cell), True))
    return found


def _too_wide(name: str, row: int, values: dict[str, str]) -> list[Problem]:
    """Values longer than their column is stored (a code kept as given must still fit)."""
    return [
        Problem(
            name,
            row,
            column,
            f"longer than the {limit} characters this column holds; check the value",
            _shown(values[column]),
            True,
        )
        for column, limit in codes.MAX_CHARACTERS.items()
        if len(values.get(column, "")) > limit
    ]


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
