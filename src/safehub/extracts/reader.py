"""Reading agency extracts (format v1), validated row by row.

Errors reject the whole batch (nothing is written); warnings keep the value as given, flag it and
keep it out of matching. Which is which: ``shared/docs/contracts.md``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from safehub.extracts import codes, identifiers
from safehub.extracts.model import ExtractBatch, Identifier, Mention, Problem

_MULTI = ";"
_DOB = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# kind → (column, normaliser, what a valid value looks like, several values allowed)
_IDENTIFIER_COLUMNS: tuple[tuple[str, str, Callable[[str], str | None], str, bool], ...] = (
    (
        "nhs_number",
        "nhs_number",
        identifiers.normalise_nhs_number,
        "10 digits with a valid modulus-11 check digit",
        False,
    ),
    ("phone", "phone", identifiers.normalise_phone, "a UK or international phone number", True),
    ("email", "email", identifiers.normalise_email, "an email address like name@example.org", True),
    (
        "vehicle",
        "vehicle_registration",
        identifiers.normalise_vehicle,
        "a UK registration mark like AB12 CDE",
        True,
    ),
    ("licence", "licence_number", identifiers.normalise_licence, "a licence number", False),
    ("handle", "online_handle", identifiers.normalise_handle, "platform:handle", True),
    ("postcode", "postcode", identifiers.normalise_postcode, "a UK postcode like BD1 1AA", False),
)
_ENUMS_ERROR = (
    ("agency_type", codes.AGENCY_TYPES),
    ("record_type", codes.RECORD_TYPES),
    ("person_role", codes.PERSON_ROLES),
)
_ENUMS_WARNING = (
    ("ethnicity_self_defined", codes.ETHNICITY_SELF_DEFINED),
    ("ethnicity_observed", codes.ETHNICITY_OBSERVED),
    ("person_outcome", codes.PERSON_OUTCOMES),
    ("sex", codes.SEXES),
)
_FLAGS = ("group_based", "restricted")


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
    if not _check_header(name, header, batch):
        return
    for index, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line at the end of a spreadsheet export is not a row
        mention = _read_row(name, index, header, cells, batch)
        if mention is not None:
            batch.mentions.append(mention)


def _check_header(name: str, header: list[str], batch: ExtractBatch) -> bool:
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
    problems: list[Problem] = []

    def fail(column: str, message: str, error: bool = True) -> None:
        problems.append(Problem(name, row, column, message, values.get(column, ""), error))

    for column in codes.REQUIRED_COLUMNS:
        if column not in values:
            fail(column, "a value is required")
    for column, allowed in _ENUMS_ERROR:
        if column in values and values[column] not in allowed:
            fail(column, f"expected one of {', '.join(sorted(allowed))}")
    record_date = _read_record_date(values, fail)
    mention = Mention(name, row, values, record_date or date.min)
    mention.date_of_birth = _read_dob(values, fail)
    _read_codes(mention, fail)
    mention.identifiers = _read_identifiers(values, fail)
    mention.aliases = _split(values.get("aliases", ""))
    batch.problems.extend(problems)
    return None if any(p.is_error for p in problems) else mention


def _read_record_date(values: dict[str, str], fail: Callable[..., None]) -> date | None:
    raw = values.get("record_date")
    if raw is None:
        return None
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        fail("record_date", "not a date; write it as YYYY-MM-DD")
        return None


def _read_dob(values: dict[str, str], fail: Callable[..., None]) -> identifiers.PartialDate | None:
    raw = values.get("date_of_birth")
    if raw is None:
        return None
    match = _DOB.match(raw)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        # Raises for 2011-02-30 or month 13; a partial date is checked as its first day.
        if date(year, month or 1, day or 1) > date.today():
            fail("date_of_birth", "date of birth is in the future", False)
        return identifiers.PartialDate(year, month, day)
    except ValueError:
        fail(
            "date_of_birth",
            "not a date; write YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
        )
        return None


def _read_codes(mention: Mention, fail: Callable[..., None]) -> None:
    values = mention.values
    for column, allowed in _ENUMS_WARNING:
        if column in values and values[column] not in allowed:
            fail(
                column,
                f"unknown code, kept as given; expected one of {', '.join(sorted(allowed))}",
                False,
            )
    outcome = values.get("outcome")
    if outcome is not None:
        values["outcome"] = codes.OUTCOME_ALIASES.get(outcome, outcome)
        if values["outcome"] not in codes.OUTCOMES:
            fail(
                "outcome",
                "unknown outcome, kept as given; expected one of "
                f"{', '.join(sorted(codes.OUTCOMES))}",
                False,
            )
    indicators = _split(values.get("indicators", ""))
    unknown = [i for i in indicators if i not in codes.INDICATORS]
    if unknown:
        fail(
            "indicators",
            f"unknown indicator {', '.join(unknown)} kept as given; see the "
            "indicator codes in the format",
            False,
        )
    mention.indicators = indicators
    for column in _FLAGS:
        if column in values and values[column] not in ("Y", "N"):
            fail(column, "expected Y or N (or an empty cell); treated as N", False)


def _read_identifiers(values: dict[str, str], fail: Callable[..., None]) -> list[Identifier]:
    found: list[Identifier] = []
    for kind, column, normalise, expected, several in _IDENTIFIER_COLUMNS:
        raw = values.get(column)
        if raw is None:
            continue
        for item in _split(raw) if several else (raw,):
            normalised = normalise(item)
            if normalised is None:
                fail(column, f"not {expected}; kept as given and not used for matching", False)
            found.append(Identifier(kind, item, normalised))
    return found


def _split(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(_MULTI) if part.strip())


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
