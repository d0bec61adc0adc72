"""The exported file: a table narrowed to its purpose, as CSV (escaped) or PDF, always marked.

>>> escape_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from safehub.services.exports.purposes import ExportPurpose

MARKING = "OFFICIAL-SENSITIVE"
# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class ExportTable:
    """What is exported, before it becomes a file (the PDF template renders it)."""

    title: str
    reference: str
    purpose: ExportPurpose
    recipients: list[str]
    exported_by: str
    exported_at: datetime
    headers: list[str]
    rows: list[list[str]]
    marking: str = MARKING


def escape_cell(value: object) -> str:
    """A cell a spreadsheet shows as text and never runs as a formula (``None`` is empty).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe, which spreadsheets hide. Quoting (RFC 4180) is the CSV writer's job, not this.

    >>> escape_cell("=1+1"), escape_cell("-5"), escape_cell("Aisha"), escape_cell(None)
    ("'=1+1", "'-5", 'Aisha', '')
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting), every cell escaped, UTF-8 with a byte order mark so
    that spreadsheets read the accents in children's names correctly.

    >>> csv_bytes([["a", "=b", "c,d"]]).decode("utf-8-sig")
    'a,\\'=b,"c,d"\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([[escape_cell(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def csv_document(table: ExportTable) -> bytes:
    """The marking, purpose and recipients first (padded to the table's width, so that every
    line has the same number of fields, as RFC 4180 asks), a blank line, then the table."""
    width = max(len(table.headers), 2)

    def line(*cells: str) -> list[str]:
        return [*cells, *[""] * (width - len(cells))]

    preamble = [
        line(table.marking, table.title),
        line("Purpose", table.purpose.label),
        line("Recipients", "; ".join(table.recipients)),
        line("Exported", f"{table.exported_at:%Y-%m-%d %H:%M} UTC by {table.exported_by}"),
        line(),
    ]
    return csv_bytes([*preamble, table.headers, *table.rows])
