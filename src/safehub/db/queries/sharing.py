"""Queries about information sharing: agreements, disclosure requests, break-glass grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class AgreementRow:
    agreement_id: int
    title: str
    provider: str
    recipient: str
    purpose: str
    lawful_basis: str
    special_category_condition: str
    power_to_share: str
    record_types: list[str]
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True, slots=True)
class RequestRow:
    request_id: int
    person_id: int
    owning_agency_id: int
    owning_agency: str
    requesting_agency_id: int
    requesting_agency: str
    requested_by: str
    purpose: str
    lawful_basis: str
    status: str
    requested_at: datetime
    decision_reason: str | None


def list_agreements_of(session: Session, agency_id: int | None) -> list[AgreementRow]:
    """Agreements the agency provides or receives under (all of them for ``None``)."""
    rows = session.execute(
        text(
            "SELECT s.id, s.title, p.name, r.name, s.purpose, s.lawful_basis, "
            "s.special_category_condition, s.power_to_share, s.record_types, s.starts_on, "
            "s.ends_on FROM sharing_agreement s JOIN agency p ON p.id = s.provider_agency_id "
            "JOIN agency r ON r.id = s.recipient_agency_id "
            "WHERE CAST(:a AS integer) IS NULL OR :a IN (s.provider_agency_id, s.recipient_agency_id) "
            "ORDER BY s.starts_on DESC, s.id"
        ),
        {"a": agency_id},
    ).all()
    return [AgreementRow(*r) for r in rows]


_REQUESTS = """
SELECT d.id, d.person_id, d.owning_agency_id, o.name, d.requesting_agency_id, q.name,
  u.display_name, d.purpose, d.lawful_basis, d.status, d.created_at, d.decision_reason
FROM disclosure_request d
JOIN agency o ON o.id = d.owning_agency_id
JOIN agency q ON q.id = d.requesting_agency_id
JOIN app_user u ON u.id = d.requested_by_user_id
"""


def _list_requests_where(
    session: Session, *, clause: str, params: dict[str, object]
) -> list[RequestRow]:
    rows = session.execute(
        text(f"{_REQUESTS} WHERE {clause} ORDER BY d.created_at DESC, d.id DESC"), params
    ).all()
    return [RequestRow(*r) for r in rows]


def list_incoming_requests(session: Session, agency_id: int) -> list[RequestRow]:
    return _list_requests_where(session, clause="d.owning_agency_id = :a", params={"a": agency_id})


def list_outgoing_requests(session: Session, agency_id: int) -> list[RequestRow]:
    return _list_requests_where(
        session, clause="d.requesting_agency_id = :a", params={"a": agency_id}
    )


def get_request(session: Session, request_id: int) -> RequestRow | None:
    found = _list_requests_where(session, clause="d.id = :r", params={"r": request_id})
    return found[0] if found else None


def list_latest_request_status(
    session: Session, *, person_id: int, requesting_agency_id: int | None
) -> dict[int, str]:
    """The status of the newest request for this person, by owning agency."""
    rows = session.execute(
        text(
            "SELECT DISTINCT ON (owning_agency_id) owning_agency_id, status "
            "FROM disclosure_request WHERE person_id = :p AND requesting_agency_id = :a "
            "ORDER BY owning_agency_id, created_at DESC, id DESC"
        ),
        {"p": person_id, "a": requesting_agency_id},
    ).all()
    return {r[0]: r[1] for r in rows}


def list_latest_request_statuses(
    session: Session, *, person_ids: list[int], requesting_agency_id: int | None
) -> dict[tuple[int, int], str]:
    """``list_latest_request_status`` of several people in one statement, by (person, owning
    agency)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT ON (person_id, owning_agency_id) person_id, owning_agency_id, status "
            "FROM disclosure_request WHERE person_id = ANY(:p) AND requesting_agency_id = :a "
            "ORDER BY person_id, owning_agency_id, created_at DESC, id DESC"
        ),
        {"p": person_ids, "a": requesting_agency_id},
    ).all()
    return {(int(r[0]), int(r[1])): str(r[2]) for r in rows}


def has_person_row(session: Session, person_id: int) -> bool:
    """The person's row, as row-level security lets the user see it (merged-away people excluded)."""
    return bool(
        session.execute(
            text("SELECT 1 FROM person WHERE id = :p AND merged_into_id IS NULL"), {"p": person_id}
        ).first()
    )


def get_dpo_agency(session: Session, agency_id: int | None) -> int | None:
    """The agency whose data protection officer hears of a break-glass: the user's own, if it
    has one; else any agency that has one (the partnership's)."""
    row = session.execute(
        text(
            "SELECT agency_id FROM app_user WHERE role = 'data_protection_officer' AND active "
            "ORDER BY (agency_id = :a) DESC, agency_id LIMIT 1"
        ),
        {"a": agency_id},
    ).first()
    return int(row[0]) if row else None
