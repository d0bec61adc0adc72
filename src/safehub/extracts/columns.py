"""Reading agency extracts (format v1) into columns, for the engines that read a million rows.

The row reader (``reader.py``) builds one ``Mention`` per row: right for an import, but a million
of them hold about 4 GB and take most of a minute. This reader parses each file with Arrow's CSV
reader and applies the cell rules (``cells.py``, the same rules) once per distinct value of a
column, then broadcasts the result to the rows. Warnings come out as the row reader gives them.

When anything is an error (or a file is one Arrow should not parse: blank lines shift the row
numbers, a ragged row, bad UTF-8), it hands the whole batch to the row reader, whose messages are
the contract, and converts what that reads. Either way the table is the same.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pyarrow import csv as pacsv

from safehub.bulk import cyclic_gc_paused
from safehub.extracts import codes
from safehub.extracts.cells import CELL_RULES, IDENTIFIER_COLUMNS, Finding
from safehub.extracts.model import Checked, ExtractBatch, Mention, Problem
from safehub.extracts.reader import check_header, read_extracts

KEY_COLUMNS = ("agency_code", "record_id", "person_ref")
# Parsed columns added beside the cells (the cells keep the values as given).
PARSED_COLUMNS = ("record_day", "dob_year", "dob_month", "dob_day", "alias_list", "indicator_list")
ID_LIST = {spec.kind: f"ids_{spec.kind}" for spec in IDENTIFIER_COLUMNS}
_STRINGS = pa.list_(pa.string())


class _Fallback(Exception):
    """This batch is read by the row reader (it has errors, or a file Arrow should not parse)."""


@dataclass(slots=True)
class ExtractTable(Checked):
    """Every mention kept (the latest version of each row), one row each, and the warnings.

    Columns: ``file``, ``row``, every format column as given (stripped; null when empty;
    ``outcome`` as stored), ``record_day`` (date), ``dob_year``/``dob_month``/``dob_day``,
    ``alias_list``, ``indicator_list`` and ``ids_<kind>``: the valid normalised identifiers.
    """

    table: pa.Table
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @classmethod
    def from_batch(cls, batch: ExtractBatch) -> ExtractTable:
        """The same table from what the row reader read (errors leave it empty)."""
        mentions = batch.mentions if batch.ok else []
        return cls(_table_of_mentions(mentions), list(batch.problems))


def read_extract_table(paths: Iterable[str | Path]) -> ExtractTable:
    """Read and validate format-v1 files into one table; as ``read_extracts``, in columns.

    >>> read_extract_table([]).table.num_rows
    0
    """
    names = [str(p) for p in paths]
    try:
        with cyclic_gc_paused():
            return _read_columns(names)
    except _Fallback:
        return ExtractTable.from_batch(read_extracts(names))


def _read_columns(names: Sequence[str]) -> ExtractTable:
    if not names:
        return ExtractTable(_table_of_mentions([]))
    if len(set(names)) != len(names):
        raise _Fallback  # the same file twice: rare, and the row reader says what it means
    header_problems: dict[str, list[Problem]] = {}
    tables = [_read_file(name, header_problems.setdefault(name, [])) for name in names]
    table = pa.concat_tables(tables)
    # The rules run once per distinct value of the whole batch: the same postcode or NHS number
    # recurs across agencies' files.
    found = _FindingsByFile({name: index for index, name in enumerate(names)})
    table = _with_parsed(table, found)
    _check_record_agreement(table)
    problems = [p for name in names for p in header_problems[name] + found.of(name)]
    return ExtractTable(_latest_versions(table), problems)


class _FindingsByFile:
    """Row problems, to be listed as the row reader lists them: by file, row, then rule."""

    def __init__(self, file_order: dict[str, int]) -> None:
        self.file_order = file_order
        self.found: list[tuple[int, int, int, Problem]] = []

    def add(self, order: int, problem: Problem) -> None:
        self.found.append((self.file_order[problem.file], problem.row, order, problem))

    def of(self, name: str) -> list[Problem]:
        index = self.file_order[name]
        return [f[3] for f in sorted(f for f in self.found if f[0] == index)]


def _read_file(name: str, problems: list[Problem]) -> pa.Table:
    header = _header(name)
    header_problems = ExtractBatch()
    if not check_header(name, header, header_problems) or len(set(header)) != len(header):
        raise _Fallback
    problems.extend(header_problems.problems)
    table = _cells(_parse(name, header), header)
    return table.append_column("file", pa.array([name] * table.num_rows, pa.string()))


def _header(name: str) -> list[str]:
    try:
        with open(name, encoding="utf-8-sig", newline="") as handle:
            first = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError):
        raise _Fallback from None
    if first is None:
        raise _Fallback
    return [h.strip() for h in first]


def _parse(name: str, header: list[str]) -> pa.Table:
    # A blank line is skipped by both readers, but counted in the row reader's row numbers: such
    # a file (rare: a spreadsheet's trailing lines) goes to the row reader.
    with open(name, "rb") as handle:
        data = handle.read()
    body = data.rstrip(b"\r\n")
    if b"\n\n" in body or b"\n\r\n" in body:
        raise _Fallback
    try:
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        raise _Fallback from None


def _cells(raw: pa.Table, header: list[str]) -> pa.Table:
    """Stripped cells, empty as null, known columns only; rows with no value at all dropped."""
    columns: dict[str, pa.Array] = {}
    for column in codes.ALL_COLUMNS:
        if column in header:
            stripped = pc.utf8_trim_whitespace(raw.column(column))
            columns[column] = pc.if_else(pc.equal(stripped, ""), None, stripped)
        else:
            columns[column] = pa.nulls(raw.num_rows, pa.string())
    columns["row"] = pa.array(range(2, raw.num_rows + 2), pa.int32())
    table = pa.table(columns)
    present = [c for c in header if c in columns]
    if not present:
        return table.slice(0, 0)
    nonempty = pc.is_valid(table.column(present[0]))
    for column in present[1:]:
        nonempty = pc.or_(nonempty, pc.is_valid(table.column(column)))
    return table.filter(nonempty)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A rule's results for each distinct value of a column, and where each row's value is."""

    results: list[object]
    positions: pa.Array  # index into ``results`` per row; null where the cell is empty

    def column(self, of: Callable[[object], object], kind: pa.DataType) -> pa.Array:
        return pa.array([of(r) for r in self.results], kind).take(self.positions)


def _with_parsed(table: pa.Table, problems: _FindingsByFile) -> pa.Table:
    """Apply every cell rule once per distinct value; an error anywhere means the row reader."""
    for column in codes.REQUIRED_COLUMNS:
        if table.column(column).null_count:
            raise _Fallback
    parsed: dict[str, _Parsed] = {}
    for order, (column, rule) in enumerate(CELL_RULES.items()):
        values = table.column(column)
        distinct = pc.unique(values).drop_null()
        results = [rule(v) for v in distinct.to_pylist()]
        if any(f.is_error for _, findings in results for f in findings):
            raise _Fallback
        parsed[column] = _Parsed([r for r, _ in results], pc.index_in(values, value_set=distinct))
        flagged = {v: r[1] for v, r in zip(distinct.to_pylist(), results, strict=True) if r[1]}
        if flagged:
            for problem in _findings(table, column, flagged):
                problems.add(order, problem)
    return _add_parsed(table, parsed)


def _findings(
    table: pa.Table, column: str, flagged: dict[str, tuple[Finding, ...]]
) -> list[Problem]:
    """The rows whose value has findings, with the file, row and value."""
    values = table.column(column)
    where = pc.indices_nonzero(pc.is_in(values, value_set=pa.array(list(flagged), pa.string())))
    picked = table.select(["file", "row", column]).take(where).to_pylist()
    return [
        Problem(r["file"], r["row"], column, f.message, r[column], f.is_error)
        for r in picked
        for f in flagged[r[column]]
    ]


def _add_parsed(table: pa.Table, parsed: dict[str, _Parsed]) -> pa.Table:
    outcome = parsed["outcome"].column(lambda v: v, pa.string())
    table = table.set_column(table.schema.get_field_index("outcome"), "outcome", outcome)
    dob = parsed["date_of_birth"]
    extra: dict[str, pa.Array] = {
        "record_day": parsed["record_date"].column(lambda d: d, pa.date32()),
        "dob_year": dob.column(lambda d: d.year, pa.int16()),  # type: ignore[attr-defined]
        "dob_month": dob.column(lambda d: d.month, pa.int8()),  # type: ignore[attr-defined]
        "dob_day": dob.column(lambda d: d.day, pa.int8()),  # type: ignore[attr-defined]
        "alias_list": _lists(parsed["aliases"].column(list, _STRINGS)),  # type: ignore[arg-type]
        "indicator_list": _lists(parsed["indicators"].column(list, _STRINGS)),  # type: ignore[arg-type]
    }
    for spec in IDENTIFIER_COLUMNS:
        ids = parsed[spec.column].column(
            lambda found: [i.normalised for i in found if i.normalised],  # type: ignore[attr-defined]
            _STRINGS,
        )
        extra[ID_LIST[spec.kind]] = _lists(ids)
    for name, array in extra.items():
        table = table.append_column(name, array)
    return table


def _lists(array: pa.Array) -> pa.Array:
    """An empty cell is an empty list, as a mention with no such values has."""
    return pc.if_else(pc.is_null(array), pa.scalar([], _STRINGS), array)


def _check_record_agreement(table: pa.Table) -> None:
    """Rows of one record must agree on its record-level columns; the row reader names which."""
    columns = [c for c in codes.RECORD_LEVEL_COLUMNS if c not in KEY_COLUMNS]
    # min and max ignore empty cells (unknown) and differ only when two values do.
    disagree = " OR ".join(f'min("{c}") <> max("{c}")' for c in columns)
    found = _query(
        table.select(["agency_code", "record_id", *columns]),
        f"SELECT 1 FROM t GROUP BY agency_code, record_id HAVING {disagree} LIMIT 1",
    )
    if found.num_rows:
        raise _Fallback


def _latest_versions(table: pa.Table) -> pa.Table:
    """One row per key: a repeated key is a newer version of that row, the later one wins."""
    keys = table.select(list(KEY_COLUMNS)).append_column(
        "seq", pa.array(range(table.num_rows), pa.int64())
    )
    stale = _query(
        keys,
        "SELECT seq FROM t QUALIFY row_number() OVER "
        "(PARTITION BY agency_code, record_id, person_ref ORDER BY seq DESC) > 1",
    )
    if stale.num_rows == 0:
        return table
    return table.filter(pc.invert(pc.is_in(keys.column("seq"), value_set=stale.column("seq"))))


def _query(table: pa.Table, sql: str) -> pa.Table:
    """``sql`` over ``table`` (as ``t``) in DuckDB: grouping a million rows on two cores."""
    con = duckdb.connect()
    try:
        con.register("t", table)
        return con.sql(sql).to_arrow_table()
    finally:
        con.close()


def _table_of_mentions(mentions: Sequence[Mention]) -> pa.Table:
    """The table as the columnar reader builds it, from mentions the row reader read."""
    columns: dict[str, pa.Array] = {
        c: pa.array([m.values.get(c) for m in mentions], pa.string()) for c in codes.ALL_COLUMNS
    }
    columns["row"] = pa.array([m.row for m in mentions], pa.int32())
    columns["file"] = pa.array([m.file for m in mentions], pa.string())
    dobs = [m.date_of_birth for m in mentions]
    columns["record_day"] = pa.array([m.record_date for m in mentions], pa.date32())
    columns["dob_year"] = pa.array([d.year if d else None for d in dobs], pa.int16())
    columns["dob_month"] = pa.array([d.month if d else None for d in dobs], pa.int8())
    columns["dob_day"] = pa.array([d.day if d else None for d in dobs], pa.int8())
    columns["alias_list"] = pa.array([list(m.aliases) for m in mentions], _STRINGS)
    columns["indicator_list"] = pa.array([list(m.indicators) for m in mentions], _STRINGS)
    for spec in IDENTIFIER_COLUMNS:
        columns[ID_LIST[spec.kind]] = pa.array(
            [m.valid_identifiers(spec.kind) for m in mentions], _STRINGS
        )
    return pa.table(columns)
