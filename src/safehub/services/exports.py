"""Exports of a case chronology or a person's records, as CSV or PDF: each one a disclosure.

Issue 3: exports are allowlisted by purpose, escaped against spreadsheet formula injection, and
logged as disclosures. What an export holds is exactly what the user sees on the case or person
page (the same services, ``view_case`` and ``view_person``: need to know, sealed envelopes and
restricted people apply unchanged), narrowed to the fields its purpose allows. The audit entry
names the recipients, the purpose and the format, never the content.

>>> escape_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> sorted(PURPOSES)[:2]
['child_protection_conference', 'court_proceedings']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.access import Permission, can
from safehub.db.queries.cases import ChronologyEntry
from safehub.db.queries.people import RecordMention
from safehub.db.uow import Actor, UnitOfWork
from safehub.services.cases import view_case
from safehub.services.errors import ForbiddenError
from safehub.services.exports_redact import third_party_redactor
from safehub.services.people import view_person

MARKING = "OFFICIAL-SENSITIVE"
FORMATS = {"csv": "CSV, for a spreadsheet", "pdf": "PDF, for reading and printing"}
MAX_RECIPIENTS = 20
MAX_RECIPIENT_LENGTH = 200
# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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

# (field, heading) in the order the columns appear.
CHRONOLOGY_COLUMNS = (
    ("date", "Date"),
    ("agency", "Agency"),
    ("event", "Event"),
    ("detail", "Detail"),
    ("source", "Source"),
)
RECORD_COLUMNS = (
    ("date", "Date"),
    ("agency", "Agency"),
    ("event", "Record"),
    ("role", "Role"),
    ("name", "Name"),
    ("date_of_birth", "Date of birth"),
    ("indicators", "Indicators"),
    ("outcome", "Outcome"),
    ("location", "Place"),
    ("detail", "Narrative"),
)
# Free-text fields where other people are named (a subject access request redacts them).
_FREE_TEXT = frozenset({"detail", "location", "event"})


class ExportRefusedError(ValueError):
    """The export cannot be made as asked: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


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


def export_case_chronology(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: int,
    purpose: str,
    format: str,
    recipients: list[str],
    now: datetime | None = None,
) -> ExportFile:
    """The case's chronology as the actor sees it, for one purpose and named recipients.

    Raises ``NotFoundError`` for a case the actor may not see, ``ExportRefusedError`` for an
    invalid request, ``ForbiddenError`` for a role that may not export.
    """
    chosen, named = _checked(actor, purpose, format, recipients)
    case = view_case(uow, actor=actor, case_id=case_id, purpose=f"export: {chosen.label}")
    children = [pid for pid, _ in case.children]
    if chosen.redact_third_parties and len(children) != 1:
        raise ExportRefusedError(
            {
                "purpose": (
                    "A subject access request is about one person: export that child's records from "
                    "their page instead"
                )
            }
        )
    values = [_chronology_values(e) for e in case.chronology]
    table, redacted = _table(uow, chosen, CHRONOLOGY_COLUMNS, values, subjects=children)
    made = ExportTable(
        f"Multi-agency chronology, case {case.reference}",
        case.reference,
        chosen,
        named,
        actor.label,
        now or datetime.now(UTC),
        *table,
    )
    return _disclose(uow, made, format, "case", case_id, redacted, slug="chronology")


def export_person_records(
    uow: UnitOfWork,
    *,
    actor: Actor,
    person_id: int,
    purpose: str,
    format: str,
    recipients: list[str],
    now: datetime | None = None,
) -> ExportFile:
    """The agency records about a person that the actor may read, for one purpose and recipients.

    Raises as ``export_case_chronology`` does (``NotFoundError`` for a person the actor may not
    see, a person restricted by another agency included).
    """
    chosen, named = _checked(actor, purpose, format, recipients)
    person = view_person(uow, actor=actor, person_id=person_id, purpose=f"export: {chosen.label}")
    records = [
        r for agency in sorted(person.records_by_agency) for r in person.records_by_agency[agency]
    ]
    values = [_record_values(r) for r in records]
    table, redacted = _table(uow, chosen, RECORD_COLUMNS, values, subjects=[person_id])
    # A purpose without names (an audit) does not name the person in the title either.
    who = person.display_name if "name" in chosen.fields else f"person {person_id}"
    made = ExportTable(
        f"Agency records: {who}",
        f"person-{person_id}",
        chosen,
        named,
        actor.label,
        now or datetime.now(UTC),
        *table,
    )
    return _disclose(uow, made, format, "person", person_id, redacted, slug="records")


def _checked(
    actor: Actor, purpose: str, format: str, recipients: list[str]
) -> tuple[ExportPurpose, list[str]]:
    if not can(actor, Permission.EXPORT_RECORDS):
        raise ForbiddenError("this role may not export records")
    errors = validate_export(purpose=purpose, format=format, recipients=recipients)
    if errors:
        raise ExportRefusedError(errors)
    return PURPOSES[purpose], [r.strip() for r in recipients if r.strip()]


def _chronology_values(e: ChronologyEntry) -> dict[str, str]:
    return {
        "date": e.on.isoformat(),
        "agency": e.agency_name,
        "event": e.title.replace("_", " "),
        "detail": e.detail or "",
        "source": e.source,
    }


def _record_values(r: RecordMention) -> dict[str, str]:
    return {
        "date": r.record_date.isoformat(),
        "agency": r.agency_name,
        "event": f"{r.record_type.replace('_', ' ')} {r.record_ref}",
        "role": r.person_role.replace("_", " "),
        "name": r.name,
        "date_of_birth": r.date_of_birth or "",
        "indicators": ", ".join(i.replace("_", " ") for i in r.indicators),
        "outcome": (r.person_outcome or r.outcome or "").replace("_", " "),
        "location": r.location_name or "",
        "detail": r.narrative or "",
    }


def _table(
    uow: UnitOfWork,
    purpose: ExportPurpose,
    columns: Sequence[tuple[str, str]],
    values: list[dict[str, str]],
    *,
    subjects: list[int],
) -> tuple[tuple[list[str], list[list[str]]], int]:
    """Headers and rows narrowed to the purpose's fields, third parties redacted if it says so;
    and how many third parties' names were redacted."""
    kept = [(key, heading) for key, heading in columns if key in purpose.fields]
    redactor = (
        third_party_redactor(uow, subjects=subjects) if purpose.redact_third_parties else None
    )

    def clean(key: str, text: str) -> str:
        return redactor(text) if redactor is not None and key in _FREE_TEXT else text

    rows = [[clean(key, row.get(key, "")) for key, _ in kept] for row in values]
    return ([heading for _, heading in kept], rows), redactor.count if redactor else 0


def _disclose(
    uow: UnitOfWork,
    table: ExportTable,
    format: str,
    object_type: str,
    object_id: int,
    redacted: int,
    *,
    slug: str,
) -> ExportFile:
    """Make the file and log the disclosure: recipients, purpose, format, never the content."""
    filename = f"{table.reference}-{slug}-{table.purpose.key}.{format}"
    if format == "pdf":
        from safehub.services.exports_pdf import render_pdf

        made = ExportFile(filename, "application/pdf", render_pdf(table))
    else:
        made = ExportFile(filename, "text/csv; charset=utf-8", _csv_document(table))
    uow.audit(
        "disclosure",
        object_type,
        [object_id],
        purpose=f"export: {table.purpose.label}",
        detail={
            "recipients": table.recipients,
            "purpose": table.purpose.key,
            "format": format,
            "rows": len(table.rows),
            "fields": table.headers,
            "third_parties_redacted": redacted,
        },
    )
    return made


def _csv_document(table: ExportTable) -> bytes:
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
