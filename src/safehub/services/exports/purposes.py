"""What an export may be for, which fields each purpose carries, and the request a user makes.

Exports are allowlisted by purpose: a purpose names the fields it may carry, so that (say) a
multi-agency audit never carries names. The form and the API both build an ``ExportRequest``;
``ExportRequest.problems`` is the one validation.

>>> sorted(PURPOSES)[:2]
['child_protection_conference', 'court_proceedings']
>>> ExportRequest("court_proceedings", "csv", ("DS Patel",)).problems()
{}
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.services.errors import RefusedError

FORMATS = {"csv": "CSV, for a spreadsheet", "pdf": "PDF, for reading and printing"}
MAX_RECIPIENTS = 20
MAX_RECIPIENT_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ExportPurpose:
    """One allowlisted purpose: what it is for and which fields it may carry."""

    key: str
    label: str
    hint: str
    fields: frozenset[str]
    redact_third_parties: bool = False


_EVERYTHING = frozenset(
    {
        "date",
        "agency",
        "event",
        "role",
        "name",
        "date_of_birth",
        "indicators",
        "outcome",
        "location",
        "detail",
        "source",
    }
)
PURPOSES: dict[str, ExportPurpose] = {
    p.key: p
    for p in (
        ExportPurpose(
            "strategy_discussion",
            "Strategy discussion",
            "Everything open to you, for the agencies deciding together whether a child is "
            "suffering, or likely to suffer, significant harm.",
            _EVERYTHING,
        ),
        # Conference reports are shared with the family: where a child is seen or placed can put
        # the child at risk from the adults exploiting them.
        ExportPurpose(
            "child_protection_conference",
            "Child protection conference",
            "Everything but places, because conference reports are shared with the family.",
            _EVERYTHING - {"location"},
        ),
        ExportPurpose(
            "court_proceedings",
            "Court proceedings",
            "Everything open to you, for the court and the parties' legal representatives.",
            _EVERYTHING,
        ),
        ExportPurpose(
            "subject_access_request",
            "Subject access request",
            "The person's own information: other people's names are replaced with [third party].",
            _EVERYTHING,
            redact_third_parties=True,
        ),
        # An audit of practice needs timeliness and outcomes, not who the children are.
        ExportPurpose(
            "multi_agency_audit",
            "Multi-agency audit",
            "Dates, agencies, events, roles, indicators and outcomes only: no names, dates "
            "of birth, places or narrative.",
            frozenset({"date", "agency", "event", "role", "indicators", "outcome", "source"}),
        ),
    )
}


class ExportRefusedError(RefusedError):
    """The export cannot be made as asked: ``errors`` says what to fix, by field."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What a user asks for: a purpose, a format and who will receive the file."""

    purpose: str
    format: str
    recipients: tuple[str, ...]

    @classmethod
    def from_text(cls, *, purpose: str, format: str, recipients: str) -> ExportRequest:
        """From a form: one recipient per line."""
        return cls(purpose, format, tuple(parse_recipients(recipients)))

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when the request is valid)."""
        return validate_export(
            purpose=self.purpose, format=self.format, recipients=list(self.recipients)
        )

    def checked(self) -> tuple[ExportPurpose, list[str]]:
        """The purpose and the cleaned recipients; ``ExportRefusedError`` naming each problem."""
        errors = self.problems()
        if errors:
            raise ExportRefusedError(errors)
        return PURPOSES[self.purpose], [r.strip() for r in self.recipients if r.strip()]


def parse_recipients(text: str) -> list[str]:
    """One recipient per line (name, role, organisation); blank lines ignored.

    >>> parse_recipients("DS Patel, West Yorkshire Police\\n\\n  Conference chair ")
    ['DS Patel, West Yorkshire Police', 'Conference chair']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_export(*, purpose: str, format: str, recipients: list[str]) -> dict[str, str]:
    """Problems by field, each saying how to put it right (empty when the request is valid)."""
    errors: dict[str, str] = {}
    if purpose not in PURPOSES:
        given = f" (got '{purpose}')" if purpose else ""
        errors["purpose"] = f"Select the purpose of the export: one of {', '.join(PURPOSES)}{given}"
    if format not in FORMATS:
        errors["format"] = "Select the format of the export: csv or pdf"
    cleaned = [r.strip() for r in recipients if r.strip()]
    if not cleaned:
        errors["recipients"] = "Name who will receive the export, one recipient per line"
    elif len(cleaned) > MAX_RECIPIENTS:
        errors["recipients"] = f"Name at most {MAX_RECIPIENTS} recipients"
    elif any(len(r) > MAX_RECIPIENT_LENGTH for r in cleaned):
        errors["recipients"] = f"Keep each recipient to {MAX_RECIPIENT_LENGTH} characters or fewer"
    return errors
