"""What a community report becomes: a ``community_report`` record in the shared record, a
referral, or a case note on an existing case. Once converted, the report's status is
``converted`` and it says what it became (migration 0023); it is converted once only.

The shared record: a record of the safeguarding lead's agency, so that identity resolution,
networks and alerts see it like any other.

It goes through the agency extract import itself (a one-row-per-identifier format-v1 file,
read and validated by ``read_extracts`` and written by ``import_extracts``): the same checks,
the same audit entry and the same ``ExtractImported`` that queues resolution and the network
update. Nothing is written by hand. The place is blurred as the reporter chose: the postcode
district only, unless they agreed staff may see the exact place. The reporter is never named in
the record.

>>> record_ref(42)
'CR-COMMUNITY-42'
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safehub.db.queries import community as q
from safehub.db.queries.community import ReportRow
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.extracts import read_extracts
from safehub.services.casework.referrals import (
    ReferralDraft,
    record_referral,
    referral_reference,
)
from safehub.services.community.triage import (
    CONVERTED_INTO,
    _identifiers,
    _require,
    _seen,
    postcode_district,
    view_community_report,
)
from safehub.services.errors import NotFoundError, RefusedError
from safehub.services.imports import import_extracts
from safehub.services.practice.notes import NoteRequest, write_note

# The report's identifiers as format-v1 columns: each is a person the report names by it.
_IDENTIFIERS = {
    "vehicle": ("vehicle_registration", "vehicle_registration"),
    "phone": ("phone", "phone"),
    "handle": ("online_handle", "online_handle"),
}
_HEADER = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
    "location_name",
    "location_postcode",
    "narrative",
    "vehicle_registration",
    "phone",
    "online_handle",
)


@dataclass(frozen=True, slots=True)
class Converted:
    record_ref: str
    record_id: int
    people: int


def record_ref(report_id: int) -> str:
    return f"CR-COMMUNITY-{report_id}"


def convert_to_record(uow: UnitOfWork, *, report_id: int) -> Converted:
    """Write the report into the shared record; refused if it is already there or names no one."""
    row = _convertible(uow, report_id, "convert")
    agency = _agency(uow)
    ref = record_ref(report_id)
    with system_step(uow):
        if q.find_agency_record(uow.session, agency[0], ref) is not None:
            raise RefusedError({"convert": f"This report is already in the shared record as {ref}"})
        rows = _rows(row, agency, ref)
        if not rows:
            raise RefusedError(
                {
                    "convert": "The report names no vehicle, phone number or username, so there "
                    "is no one to add to the shared record; ask the reporter or add a case note"
                }
            )
        _import(uow, report_id, rows)
        record_id = q.find_agency_record(uow.session, agency[0], ref)
    assert record_id is not None  # the import wrote it in this transaction
    q.set_converted(uow.session, report_id, "record", record_id, ref)
    uow.audit(
        "alteration",
        "community_report",
        [report_id],
        purpose="community report added to the shared record",
        detail={"record_ref": ref, "agency_record_id": record_id},
    )
    return Converted(ref, record_id, len(rows))


def _convertible(uow: UnitOfWork, report_id: int, field: str) -> ReportRow:
    """The report, unless it has already become something (then refused, saying what)."""
    _require(uow)
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    if row.converted_kind is not None:
        if row.converted_kind == "record":
            said = f"This report is already in the shared record as {row.converted_ref}"
        else:
            became = CONVERTED_INTO[row.converted_kind]
            said = f"This report is already converted into {became}: {row.converted_ref}"
        raise RefusedError({field: said})
    return row


def report_content(uow: UnitOfWork, *, report_id: int) -> str:
    """The report as a referral's concern or a case note: what the lead sees of it (place and
    time as blurred as the reporter chose), never the reporter's name."""
    view = view_community_report(uow, report_id=report_id)
    row = q.get_report(uow.session, report_id)
    assert row is not None  # the view found it
    lines = [
        f"From community report {view.summary.reference} (a member of the public), received "
        f"{view.summary.received_on.day} {view.summary.received_on.strftime('%B %Y')}.",
        f"About: {view.summary.about}.",
        f"What they saw or heard: {view.what_seen}",
    ]
    if view.signs:
        lines.append(f"What applies: {', '.join(view.signs)}.")
    seen = _seen(row)
    if seen:
        lines.append(f"When: {seen}.")
    where = [w for w in (view.summary.area, view.place_description) if w]
    if where:
        lines.append(f"Where: {'; '.join(where)}.")
    for label, value in _identifiers(row).items():
        lines.append(f"{label}: {value}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ReferralFromReport:
    """What the lead adds to a report to refer the child it is about."""

    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    concern_type: str = "sexual_exploitation"
    immediate_danger: bool | None = None
    council_agency_id: int | None = None
    language_reason: str = ""


def convert_to_referral(
    uow: UnitOfWork, *, report_id: int, referral: ReferralFromReport
) -> Converted:
    """A referral about the child the report is about, through the referral service itself
    (the same checks, clocks and language check), with the report's content as the concern."""
    _convertible(uow, report_id, "given_names")
    draft = ReferralDraft(
        given_names=referral.given_names,
        family_name=referral.family_name,
        date_of_birth=referral.date_of_birth,
        concern_type=referral.concern_type,
        concern=report_content(uow, report_id=report_id),
        immediate_danger=referral.immediate_danger,
        council_agency_id=referral.council_agency_id,
        language_reason=referral.language_reason,
    )
    made = record_referral(uow, referral=draft, clear_draft=False)
    ref = referral_reference(made)
    q.set_converted(uow.session, report_id, "referral", made.id, ref)
    uow.audit(
        "alteration",
        "community_report",
        [report_id],
        purpose="community report converted into a referral",
        detail={"referral_id": made.id},
    )
    return Converted(ref, made.id, 1)


def convert_to_case_note(
    uow: UnitOfWork, *, report_id: int, case_id: int, language_reason: str = ""
) -> Converted:
    """A case note on an existing case the lead works on, through the notes service (its
    need-to-know and language check): flagged words in the reporter's account are kept only
    with the lead's reason, as any note's."""
    _convertible(uow, report_id, "case_id")
    note = NoteRequest(
        body=report_content(uow, report_id=report_id),
        save_anyway=bool(language_reason.strip()),
        reason=language_reason,
    )
    try:
        outcome = write_note(uow, case_id=case_id, note=note)
    except NotFoundError:
        # Not "forbidden": a case the lead may not see is not shown to exist.
        raise RefusedError(
            {
                "case_id": f"There is no case {case_id} that you work on: enter a case of your "
                "team or agency"
            }
        ) from None
    if not outcome.saved or outcome.note_id is None:
        words = ", ".join(sorted({f"'{f.get('text', '')}'" for f in outcome.flags}))
        raise RefusedError(
            {
                "language_reason": f"The language check flagged {words} in the report: say why "
                "the note keeps the reporter's words, or write a note of your own"
            }
        )
    ref = f"NOTE-{outcome.note_id}"
    q.set_converted(uow.session, report_id, "case_note", outcome.note_id, ref)
    uow.audit(
        "alteration",
        "community_report",
        [report_id],
        purpose="community report converted into a case note",
        detail={"case_id": case_id, "note_id": outcome.note_id},
    )
    return Converted(ref, outcome.note_id, 0)


def _agency(uow: UnitOfWork) -> tuple[str, str]:
    agency_id = uow.actor.agency_id
    found = q.get_agency_code_and_type(uow.session, agency_id) if agency_id else None
    if found is None:
        raise RefusedError({"convert": "Your account has no agency to hold the record"})
    return found


def _rows(row: ReportRow, agency: tuple[str, str], ref: str) -> list[dict[str, str]]:
    shared = {
        "agency_code": agency[0],
        "agency_type": agency[1],
        "record_id": ref,
        "record_type": "community_report",
        "record_date": row.received_at.date().isoformat(),
        "person_role": "subject",
        "narrative": row.what_seen,
        **_place(row),
    }
    rows = []
    for kind, (field, column) in _IDENTIFIERS.items():
        value = getattr(row, field)
        if value:
            rows.append({**shared, "person_ref": f"{ref}-{kind}", column: value})
    return rows


def _place(row: ReportRow) -> dict[str, str]:
    """The exact postcode only when the reporter agreed; otherwise its district, in words."""
    words = [row.place_description] if row.place_description else []
    if row.place_postcode and row.share_exact:
        return {"location_name": "; ".join(words), "location_postcode": row.place_postcode}
    if row.place_postcode:
        words.append(f"postcode district {postcode_district(row.place_postcode)}")
    return {"location_name": "; ".join(words), "location_postcode": ""}


def _import(uow: UnitOfWork, report_id: int, rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="safehub-community-") as folder:
        path = Path(folder) / f"community-report-{report_id}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_HEADER, restval="")
            writer.writeheader()
            writer.writerows(rows)
        batch = read_extracts([path])
        if not batch.ok:
            problems = "; ".join(str(p).replace(str(path), "the report", 1) for p in batch.errors)
            raise RefusedError({"convert": f"The report cannot be added as it is: {problems}"})
        import_extracts(
            uow, batch=batch, files=[path], purpose="community report added to the shared record"
        )
