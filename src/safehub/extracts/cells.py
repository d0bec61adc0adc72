"""The rules for one cell of a format-v1 extract, in one place.

Each rule reads one stripped, non-empty cell and returns what it means (a date, the normalised
identifiers, the code as stored) and what is wrong with it. Two readers apply the same rules: the
row reader (``reader.py``: the import, exact messages) calls them per row; the columnar reader
(``columns.py``: the engines, a million rows) calls them once per distinct value of a column.
Which findings are errors and which are warnings: ``docs/extract-format.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.extracts import codes, identifiers
from safehub.extracts.model import Identifier

MULTI = ";"
_DOB = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something wrong with a cell; the reader adds the file, row, column and value."""

    message: str
    is_error: bool


NO_FINDINGS: tuple[Finding, ...] = ()
CellResult = tuple[Any, tuple[Finding, ...]]
CellRule = Callable[[str], CellResult]


def split(raw: str) -> tuple[str, ...]:
    """The parts of a cell that may hold several values (``a; b``), blanks dropped.

    >>> split(" 07700 900123; ;07700900456")
    ('07700 900123', '07700900456')
    """
    return tuple(part.strip() for part in raw.split(MULTI) if part.strip())


def _error_enum(allowed: frozenset[str]) -> CellRule:
    message = f"expected one of {', '.join(sorted(allowed))}"

    def rule(raw: str) -> CellResult:
        return raw, NO_FINDINGS if raw in allowed else (Finding(message, True),)

    return rule


def _warning_enum(allowed: frozenset[str]) -> CellRule:
    message = f"unknown code, kept as given; expected one of {', '.join(sorted(allowed))}"

    def rule(raw: str) -> CellResult:
        return raw, NO_FINDINGS if raw in allowed else (Finding(message, False),)

    return rule


def record_date(raw: str) -> CellResult:
    """The record's date, ``YYYY-MM-DD`` only (an error otherwise).

    >>> record_date("2025-03-01")
    (datetime.date(2025, 3, 1), ())
    """
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw), NO_FINDINGS
    except ValueError:
        return None, (Finding("not a date; write it as YYYY-MM-DD", True),)


def date_of_birth(raw: str) -> CellResult:
    """A full or partial date of birth; a future date is kept with a warning.

    >>> date_of_birth("2011-07")[0].iso()
    '2011-07'
    """
    match = _DOB.match(raw)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        # Raises for 2011-02-30 or month 13; a partial date is checked as its first day.
        found = identifiers.PartialDate(year, month, day)
        if date(year, month or 1, day or 1) > date.today():
            return found, (Finding("date of birth is in the future", False),)
        return found, NO_FINDINGS
    except ValueError:
        message = "not a date; write YYYY-MM-DD, or YYYY-MM or YYYY when only that is known"
        return None, (Finding(message, True),)


def outcome(raw: str) -> CellResult:
    """The outcome code as stored (an old alias becomes its current code)."""
    value = codes.OUTCOME_ALIASES.get(raw, raw)
    if value in codes.OUTCOMES:
        return value, NO_FINDINGS
    message = f"unknown outcome, kept as given; expected one of {', '.join(sorted(codes.OUTCOMES))}"
    return value, (Finding(message, False),)


def indicators(raw: str) -> CellResult:
    """The indicator codes, unknown ones kept as given with a warning."""
    found = split(raw)
    unknown = [i for i in found if i not in codes.INDICATORS]
    if not unknown:
        return found, NO_FINDINGS
    message = (
        f"unknown indicator {', '.join(unknown)} kept as given; see the indicator codes in "
        "the format"
    )
    return found, (Finding(message, False),)


def flag(raw: str) -> CellResult:
    if raw in ("Y", "N"):
        return raw, NO_FINDINGS
    return raw, (Finding("expected Y or N (or an empty cell); treated as N", False),)


def aliases(raw: str) -> CellResult:
    return split(raw), NO_FINDINGS


@dataclass(frozen=True, slots=True)
class IdentifierColumn:
    """A column of identifiers: its kind, how to normalise it, what a valid one looks like."""

    kind: str
    column: str
    normalise: Callable[[str], str | None]
    expected: str
    several: bool

    def __call__(self, raw: str) -> CellResult:
        found: list[Identifier] = []
        findings: list[Finding] = []
        for item in split(raw) if self.several else (raw,):
            normalised = self.normalise(item)
            if normalised is None:
                message = f"not {self.expected}; kept as given and not used for matching"
                findings.append(Finding(message, False))
            found.append(Identifier(self.kind, item, normalised))
        return tuple(found), tuple(findings)


IDENTIFIER_COLUMNS: tuple[IdentifierColumn, ...] = (
    IdentifierColumn(
        "nhs_number",
        "nhs_number",
        identifiers.normalise_nhs_number,
        "10 digits with a valid modulus-11 check digit",
        False,
    ),
    IdentifierColumn(
        "phone", "phone", identifiers.normalise_phone, "a UK or international phone number", True
    ),
    IdentifierColumn(
        "email",
        "email",
        identifiers.normalise_email,
        "an email address like name@example.org",
        True,
    ),
    IdentifierColumn(
        "vehicle",
        "vehicle_registration",
        identifiers.normalise_vehicle,
        "a UK registration mark like AB12 CDE",
        True,
    ),
    IdentifierColumn(
        "licence", "licence_number", identifiers.normalise_licence, "a licence number", False
    ),
    IdentifierColumn(
        "handle", "online_handle", identifiers.normalise_handle, "platform:handle", True
    ),
    IdentifierColumn(
        "postcode",
        "postcode",
        identifiers.normalise_postcode,
        "a UK postcode like BD1 1AA",
        False,
    ),
)

# column → rule, in the order the row reader reports findings.
CELL_RULES: dict[str, CellRule] = {
    "agency_type": _error_enum(codes.AGENCY_TYPES),
    "record_type": _error_enum(codes.RECORD_TYPES),
    "person_role": _error_enum(codes.PERSON_ROLES),
    "record_date": record_date,
    "date_of_birth": date_of_birth,
    "ethnicity_self_defined": _warning_enum(codes.ETHNICITY_SELF_DEFINED),
    "ethnicity_observed": _warning_enum(codes.ETHNICITY_OBSERVED),
    "person_outcome": _warning_enum(codes.PERSON_OUTCOMES),
    "sex": _warning_enum(codes.SEXES),
    "outcome": outcome,
    "indicators": indicators,
    "group_based": flag,
    "restricted": flag,
    **{spec.column: spec for spec in IDENTIFIER_COLUMNS},
    "aliases": aliases,
}
