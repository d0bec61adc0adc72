"""Parsing a generated area back from its CSV text, for the synthetic-data tests."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from safehub.synthetic import SyntheticArea
from safehub.synthetic.area import PERSONS_HEADER


@dataclass(frozen=True)
class Parsed:
    """A generated area with its extract rows parsed back from the CSV text."""

    area: SyntheticArea
    header: dict[str, list[str]]  # agency code -> header row
    rows: list[dict[str, str]]
    truth: dict[tuple[str, str], str]  # (agency_code, person_ref) -> true_person_id
    persons: dict[str, dict[str, str]]  # true_person_id -> truth/persons.csv row

    def records(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for row in self.rows:
            grouped[(row["agency_code"], row["record_id"])].append(row)
        return grouped

    def true_id(self, row: dict[str, str]) -> str:
        return self.truth[(row["agency_code"], row["person_ref"])]


def parse(area: SyntheticArea) -> Parsed:
    header: dict[str, list[str]] = {}
    rows: list[dict[str, str]] = []
    for code, text in sorted(area.extracts.items()):
        reader = csv.reader(io.StringIO(text, newline=""))
        header[code] = next(reader)
        rows.extend(dict(zip(header[code], values, strict=True)) for values in reader)
    persons = {row[0]: dict(zip(PERSONS_HEADER, row, strict=True)) for row in area.persons}
    truth = {(code, ref): true_id for code, ref, true_id in area.people}
    return Parsed(area, header, rows, truth, persons)
