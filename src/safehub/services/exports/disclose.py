"""Exports of a case chronology or a person's records, as CSV or PDF: each one a disclosure.

What an export holds is exactly what the user sees on the case or person page (the same services,
``view_case`` and ``view_person``: need to know, sealed envelopes and restricted people apply
unchanged), narrowed to the fields its purpose allows. The audit entry names the recipients, the
purpose and the format, never the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from safehub.access import Permission, can
from safehub.db.queries.cases import ChronologyEntry
from safehub.db.queries.people import RecordMention
from safehub.db.uow import UnitOfWork
from safehub.services.casework.cases import view_case
from safehub.services.casework.people import view_person
from safehub.services.errors import ForbiddenError
from safehub.services.exports.documents import ExportFile, ExportTable, csv_document
from safehub.services.exports.pdf import render_pdf
from safehub.services.exports.purposes import ExportPurpose, ExportRefusedError, ExportRequest
from safehub.services.exports.redact import third_party_redactor

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


def export_case_chronology(
    uow: UnitOfWork, *, case_id: int, request: ExportRequest, now: datetime | None = None
) -> ExportFile:
    """The case's chronology as the actor sees it, for one purpose and named recipients.

    Raises ``NotFoundError`` for a case the actor may not see, ``ExportRefusedError`` for an
    invalid request, ``ForbiddenError`` for a role that may not export.
    """
    chosen, named = _checked(uow, request)
    case = view_case(uow, case_id=case_id, purpose=f"export: {chosen.label}")
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
        uow.actor.label,
        now or datetime.now(UTC),
        *table,
    )
    return _disclose(uow, made, request.format, "case", case_id, redacted, slug="chronology")


def export_person_records(
    uow: UnitOfWork, *, person_id: int, request: ExportRequest, now: datetime | None = None
) -> ExportFile:
    """The agency records about a person that the actor may read, for one purpose and recipients.

    Raises as ``export_case_chronology`` does (``NotFoundError`` for a person the actor may not
    see, a person restricted by another agency included).
    """
    chosen, named = _checked(uow, request)
    person = view_person(uow, person_id=person_id, purpose=f"export: {chosen.label}")
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
        uow.actor.label,
        now or datetime.now(UTC),
        *table,
    )
    return _disclose(uow, made, request.format, "person", person_id, redacted, slug="records")


def _checked(uow: UnitOfWork, request: ExportRequest) -> tuple[ExportPurpose, list[str]]:
    if not can(uow.actor, Permission.EXPORT_RECORDS):
        raise ForbiddenError("this role may not export records")
    return request.checked()


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
        made = ExportFile(filename, "application/pdf", render_pdf(table))
    else:
        made = ExportFile(filename, "text/csv; charset=utf-8", csv_document(table))
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
