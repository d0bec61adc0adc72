"""Queries about community reports: the public app's (through the functions of migration 0019,
as ``safehub_public``) and the staff triage's (as ``safehub_app``, under row-level security)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class NewReport:
    """A report as it is inserted; every text already checked for size by the service."""

    reference: str
    phrase_key: bytes
    about: str
    what_seen: str
    signs: list[str]
    urgency: str
    seen_on: date | None
    seen_time: str | None
    place_postcode: str | None
    place_description: str | None
    vehicle_registration: str | None
    phone: str | None
    online_handle: str | None
    other_identifier: str | None
    reporter_name: str | None
    reporter_contact: str | None
    share_exact: bool
    subject_name: str | None = None
    subject_age: str | None = None


@dataclass(frozen=True, slots=True)
class MessageRow:
    sender: str  # hub | reporter
    body: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class PublicStatusRow:
    status: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A report as the staff side reads it (before blurring: the service blurs)."""

    report_id: int
    reference: str
    about: str
    what_seen: str
    signs: list[str]
    urgency: str
    status: str
    received_at: datetime
    seen_on: date | None
    seen_time: str | None
    place_postcode: str | None
    place_description: str | None
    vehicle_registration: str | None
    phone: str | None
    online_handle: str | None
    other_identifier: str | None
    reporter_name: str | None
    reporter_contact: str | None
    share_exact: bool
    messages: int
    waiting_reply: bool  # the last message is the reporter's
    subject_name: str | None
    subject_age: str | None
    assigned_to_user_id: int | None
    assigned_to: str | None  # the colleague's display name
    converted_kind: str | None
    converted_id: int | None
    converted_ref: str | None


# --- the public app (safehub_public) -------------------------------------------------------


def insert_report(session: Session, report: NewReport) -> None:
    """No RETURNING: the public role may insert but not read back."""
    values: dict[str, Any] = {
        name: getattr(report, name) for name in NewReport.__dataclass_fields__
    }
    values["signs"] = json.dumps(report.signs)
    columns = ", ".join(values)
    params = ", ".join(
        "CAST(:signs AS jsonb)" if name == "signs" else f":{name}" for name in values
    )
    session.execute(text(f"INSERT INTO community_report ({columns}) VALUES ({params})"), values)


def get_report_retention_years(session: Session) -> int:
    """The review period of community reports not converted (retention class of migration
    0028, which the public role may read: it is a setting, not anyone's data)."""
    return int(
        session.execute(
            text("SELECT years FROM retention_class WHERE code = 'community_report'")
        ).scalar_one()
    )


def upsert_draft(session: Session, key_hash: bytes, answers: dict[str, object]) -> None:
    session.execute(
        text("SELECT safehub_public_save_draft(:k, CAST(:a AS jsonb))"),
        {"k": key_hash, "a": json.dumps(answers)},
    )


def get_draft(session: Session, key_hash: bytes) -> dict[str, object] | None:
    found = session.execute(text("SELECT safehub_public_read_draft(:k)"), {"k": key_hash})
    answers: dict[str, object] | None = found.scalar_one()
    return answers


def delete_draft(session: Session, key_hash: bytes) -> None:
    session.execute(text("SELECT safehub_public_discard_draft(:k)"), {"k": key_hash})


def get_public_status(session: Session, reference: str, key: bytes) -> PublicStatusRow | None:
    row = session.execute(
        text("SELECT status, received_at FROM safehub_public_report_status(:r, :k)"),
        {"r": reference, "k": key},
    ).first()
    return PublicStatusRow(*row) if row else None


def list_public_messages(session: Session, reference: str, key: bytes) -> list[MessageRow]:
    rows = session.execute(
        text("SELECT sender, body, sent_at FROM safehub_public_report_messages(:r, :k)"),
        {"r": reference, "k": key},
    ).all()
    return [MessageRow(*r) for r in rows]


def insert_reporter_message(session: Session, reference: str, key: bytes, body: str) -> bool:
    """False when no report has this reference and key."""
    added = session.execute(
        text("SELECT safehub_public_add_message(:r, :k, :b)"),
        {"r": reference, "k": key, "b": body},
    ).scalar_one()
    return bool(added)


# --- staff triage (safehub_app, row-level security: safeguarding leads) ---------------------

_REPORTS = """
SELECT r.id, r.reference, r.about, r.what_seen, r.signs, r.urgency, r.status, r.received_at,
       r.seen_on, r.seen_time, r.place_postcode, r.place_description, r.vehicle_registration,
       r.phone, r.online_handle, r.other_identifier, r.reporter_name, r.reporter_contact,
       r.share_exact,
       (SELECT count(*) FROM community_report_message m WHERE m.report_id = r.id),
       COALESCE((SELECT m.sender = 'reporter' FROM community_report_message m
                 WHERE m.report_id = r.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1), false),
       r.subject_name, r.subject_age, r.assigned_to_user_id,
       (SELECT u.display_name FROM app_user u WHERE u.id = r.assigned_to_user_id),
       r.converted_kind, r.converted_id, r.converted_ref
FROM community_report r
"""
# Open first, urgent first, oldest first: which reports are read at all when there are more
# than the limit. The queue's own order is the priority rules' (services.community.priority).
_ORDER = (
    " ORDER BY (r.status IN ('closed', 'converted')), "
    "CASE r.urgency WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, r.received_at, r.id"
)
_WHERE = (
    " WHERE (CAST(:s AS text) IS NULL OR r.status = :s)"
    " AND (CAST(:u AS integer) IS NULL OR r.assigned_to_user_id = :u)"
)


def list_reports(
    session: Session,
    *,
    status: str | None = None,
    assigned_to: int | None = None,
    limit: int = 200,
) -> list[ReportRow]:
    rows = session.execute(
        text(_REPORTS + _WHERE + _ORDER + " LIMIT :n"),
        {"s": status, "u": assigned_to, "n": limit},
    ).all()
    return [ReportRow(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class NamingRow:
    """What a report names and who sent it, to count independent reports naming the same."""

    report_id: int
    vehicle_registration: str | None
    phone: str | None
    online_handle: str | None
    place_postcode: str | None
    reporter_name: str | None
    reporter_contact: str | None


def list_report_namings(session: Session) -> list[NamingRow]:
    rows = session.execute(
        text(
            "SELECT id, vehicle_registration, phone, online_handle, place_postcode, "
            "reporter_name, reporter_contact FROM community_report "
            "WHERE vehicle_registration IS NOT NULL OR phone IS NOT NULL "
            "OR online_handle IS NOT NULL OR place_postcode IS NOT NULL"
        )
    ).all()
    return [NamingRow(*r) for r in rows]


def set_assignment(session: Session, report_id: int, user_id: int | None) -> None:
    session.execute(
        text(
            "UPDATE community_report SET assigned_to_user_id = :u, "
            "assigned_at = CASE WHEN CAST(:u AS integer) IS NULL THEN NULL ELSE now() END "
            "WHERE id = :id"
        ),
        {"u": user_id, "id": report_id},
    )


def set_converted(session: Session, report_id: int, kind: str, target_id: int, ref: str) -> None:
    session.execute(
        text(
            "UPDATE community_report SET status = 'converted', converted_kind = :k, "
            "converted_id = :t, converted_ref = :r, converted_at = now() WHERE id = :id"
        ),
        {"k": kind, "t": target_id, "r": ref, "id": report_id},
    )


def list_triage_colleagues(session: Session, roles: list[str]) -> list[tuple[int, str, str]]:
    """(id, name, agency) of the active staff who triage community reports."""
    rows = session.execute(
        text(
            "SELECT u.id, u.display_name, a.name FROM app_user u "
            "LEFT JOIN agency a ON a.id = u.agency_id "
            "WHERE u.active AND u.role = ANY(:roles) ORDER BY u.display_name, u.id"
        ),
        {"roles": roles},
    ).all()
    return [(int(r[0]), str(r[1]), str(r[2] or "")) for r in rows]


def get_report(session: Session, report_id: int) -> ReportRow | None:
    row = session.execute(text(_REPORTS + " WHERE r.id = :id"), {"id": report_id}).first()
    return ReportRow(*row) if row else None


def list_reports_to_match(
    session: Session, *, everything: bool, after_id: int, limit: int
) -> list[ReportRow]:
    """Reports (after ``after_id``, in id order) whose matches are not stored yet; with
    ``everything``, every open one too (not closed or converted): agency data changed."""
    rows = session.execute(
        text(
            _REPORTS + " WHERE r.id > :after AND (NOT EXISTS (SELECT 1 FROM community_report_match"
            " x WHERE x.report_id = r.id) OR (CAST(:all AS boolean)"
            " AND r.status NOT IN ('closed', 'converted'))) ORDER BY r.id LIMIT :n"
        ),
        {"after": after_id, "all": everything, "n": limit},
    ).all()
    return [ReportRow(*r) for r in rows]


def list_report_messages(session: Session, report_id: int) -> list[MessageRow]:
    rows = session.execute(
        text(
            "SELECT sender, body, sent_at FROM community_report_message WHERE report_id = :id "
            "ORDER BY sent_at, id"
        ),
        {"id": report_id},
    ).all()
    return [MessageRow(*r) for r in rows]


def insert_hub_message(
    session: Session,
    report_id: int,
    body: str,
    user_id: int | None,
    *,
    flags: list[dict[str, object]] | None = None,
    reason: str | None = None,
) -> None:
    """A question from the hub, with its language flags and the reason it was sent as written."""
    session.execute(
        text(
            "INSERT INTO community_report_message "
            "(report_id, sender, body, sent_by_user_id, language_flags, language_reason) "
            "VALUES (:id, 'hub', :b, :u, CAST(:f AS jsonb), :r)"
        ),
        {
            "id": report_id,
            "b": body,
            "u": user_id,
            "f": json.dumps(flags) if flags else None,
            "r": reason,
        },
    )


def set_report_status(session: Session, report_id: int, status: str) -> None:
    session.execute(
        text("UPDATE community_report SET status = :s WHERE id = :id"),
        {"s": status, "id": report_id},
    )


def note_attempt(session: Session, action: str, address: str) -> tuple[int, int]:
    """One more attempt: (attempts in this ten minutes, in the last hour), this one included.
    The database hashes the address with the day's salt and keeps only the hash."""
    row = session.execute(
        text("SELECT last_10_minutes, last_hour FROM safehub_public_note_attempt(:a, :ip)"),
        {"a": action, "ip": address},
    ).one()
    return int(row[0]), int(row[1])


def get_agency_code_and_type(session: Session, agency_id: int) -> tuple[str, str] | None:
    row = session.execute(
        text("SELECT code, agency_type FROM agency WHERE id = :id"), {"id": agency_id}
    ).first()
    return (row[0], row[1]) if row else None


def find_agency_record(session: Session, agency_code: str, record_ref: str) -> int | None:
    """The id of an agency's record with this reference, if it has been written."""
    found = session.execute(
        text(
            "SELECT r.id FROM agency_record r JOIN agency a ON a.id = r.agency_id "
            "WHERE a.code = :a AND r.record_ref = :r"
        ),
        {"a": agency_code, "r": record_ref},
    ).scalar()
    return int(found) if found is not None else None
