"""What a format-v1 extract becomes once read: mentions of people in agency records, and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from safehub.extracts.identifiers import PartialDate

IDENTIFIER_KINDS = ("nhs_number", "phone", "email", "vehicle", "licence", "handle", "postcode")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell, printed as ``docs/extract-format.md`` says."""

    file: str
    row: int
    column: str
    message: str
    value: str
    is_error: bool

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.message} (got '{self.value}')"


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier as given and as normalised; ``normalised`` is None when it failed its check."""

    kind: str
    raw: str
    normalised: str | None


@dataclass(slots=True)
class Mention:
    """One row: a person mentioned in an agency record, with the record's own columns."""

    file: str
    row: int
    values: dict[str, str]
    record_date: date
    date_of_birth: PartialDate | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()

    @property
    def agency_code(self) -> str:
        return self.values["agency_code"]

    @property
    def record_id(self) -> str:
        return self.values["record_id"]

    @property
    def person_ref(self) -> str:
        return self.values["person_ref"]

    @property
    def person_role(self) -> str:
        return self.values["person_role"]

    @property
    def record_key(self) -> tuple[str, str]:
        return (self.values["agency_code"], self.values["record_id"])

    @property
    def person_key(self) -> tuple[str, str]:
        """Rows of one ``person_ref`` in one agency are the same person by definition."""
        return (self.values["agency_code"], self.values["person_ref"])

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.values["agency_code"], self.values["record_id"], self.values["person_ref"])

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def valid_identifiers(self, kind: str) -> list[str]:
        return [i.normalised for i in self.identifiers if i.kind == kind and i.normalised]


class Checked:
    """What was read with its ``problems``: errors reject it whole, warnings keep it."""

    __slots__ = ()
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass(slots=True)
class ExtractBatch(Checked):
    """Everything read from one or more files; imported whole or not at all."""

    mentions: list[Mention] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
