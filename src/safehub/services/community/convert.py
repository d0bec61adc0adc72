"""Adding a community report to the shared record, as a ``community_report`` record of the
safeguarding lead's agency, so that identity resolution, networks and alerts see it like any other.

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
from pathlib import Path

from safehub.db.queries import community as q
from safehub.db.queries.community import ReportRow
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.extracts import read_extracts
from safehub.services.community.triage import _require, postcode_district
from safehub.services.errors import NotFoundError, RefusedError
from safehub.services.imports import import_extracts

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
    _require(uow)
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
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
    if row.status == "received":
        q.set_report_status(uow.session, report_id, "in_review")
    uow.audit(
        "alteration",
        "community_report",
        [report_id],
        purpose="community report added to the shared record",
        detail={"record_ref": ref, "agency_record_id": record_id},
    )
    return Converted(ref, record_id, len(rows))


def converted_record(uow: UnitOfWork, *, report_id: int) -> str | None:
    """The shared record's reference if this report was added to it by the lead's agency."""
    _require(uow)
    agency = _agency(uow)
    ref = record_ref(report_id)
    with system_step(uow):
        found = q.find_agency_record(uow.session, agency[0], ref)
    return ref if found is not None else None


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
