"""Writing extracts and truth files: CSV, UTF-8, RFC 4180 quoting, header row, sorted truth."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from safehub.synthetic.model import Record, World
from safehub.synthetic.variation import COLUMNS, Recorder

_RECORD_PREFIX = {
    "crime_report": "CR",
    "intelligence": "INT",
    "missing_episode": "MIS",
    "community_report": "COM",
    "referral": "REF",
    "assessment": "ASMT",
    "health_attendance": "ATT",
    "school_concern": "SC",
    "licence": "LIC",
}
Progress = Callable[[str, int, int], None]


class Sinks:
    """One CSV writer per agency, into files or (for small test areas) into memory."""

    def __init__(self, codes: Sequence[str], out_dir: Path | None) -> None:
        self.out_dir = out_dir
        self.paths: dict[str, Path] = {}
        self.buffers: dict[str, io.StringIO] = {}
        self._handles: list[io.TextIOBase] = []
        self.writers: dict[str, Any] = {}  # csv writer objects have no public type
        for code in codes:
            handle: io.TextIOBase
            if out_dir is None:
                handle = self.buffers[code] = io.StringIO(newline="")
            else:
                self.paths[code] = out_dir / f"{code}.csv"
                handle = open(self.paths[code], "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._handles.append(handle)
            self.writers[code] = csv.writer(handle)
            self.writers[code].writerow(COLUMNS)

    def close(self) -> dict[str, str]:
        for handle in self._handles:
            handle.close()
        return {code: buffer.getvalue() for code, buffer in self.buffers.items()}


def write_extracts(
    world: World, recorder: Recorder, sinks: Sinks, progress: Progress | None = None
) -> int:
    """Write every record, in agency then date order, numbering records per agency.

    Returns the number of rows written.
    """
    records = world.records
    order = sorted(range(len(records)), key=lambda i: (records[i].agency, records[i].day))
    sequence = [0] * len(world.agencies)
    written = 0
    step = max(1, len(order) // 100)
    for done, index in enumerate(order):
        record = records[index]
        sequence[record.agency] += 1
        rows = recorder.rows(record, _record_id(record, sequence[record.agency]))
        sinks.writers[world.agencies[record.agency].code].writerows(rows)
        written += len(rows)
        if progress is not None and done % step == 0:
            progress("writing extracts", done, len(order))
    if progress is not None:
        progress("writing extracts", len(order), len(order))
    return written


def _record_id(record: Record, sequence: int) -> str:
    year = date.fromordinal(record.day).year
    return f"{_RECORD_PREFIX[record.record_type]}-{year}-{sequence:07d}"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
