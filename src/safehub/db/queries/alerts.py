"""SQL for alerts: storing one once, an agency's alerts, and whom an alert's records are held by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from safehub.db.models.alerts import Alert


@dataclass(frozen=True, slots=True)
class AgencyContact:
    """An agency and its contact for information sharing (any part may be missing)."""

    agency: str
    name: str | None
    email: str | None
    phone: str | None


def insert_alert(session: Session, values: dict[str, Any]) -> int | None:
    """A new alert's id; None when one with the same ``dedupe_key`` was already raised."""
    inserted = session.execute(
        insert(Alert)
        .values(**values, status="new")
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Alert.id)
    ).scalar()
    return None if inserted is None else int(inserted)


def list_alerts_for_agency(
    session: Session, agency_id: int | None, status: str | None
) -> list[Alert]:
    """The alerts addressed to an agency (of one status, or all when None), newest first."""
    query = select(Alert).where(Alert.target_agency_id == agency_id)
    if status:
        query = query.where(Alert.status == status)
    return list(session.scalars(query.order_by(Alert.created_at.desc(), Alert.id.desc())))


def get_agency_contact(session: Session, agency_id: int) -> AgencyContact:
    row = session.execute(
        text(
            "SELECT a.name, c.name, c.email, c.phone FROM agency a "
            "LEFT JOIN sharing_contact c ON c.agency_id = a.id WHERE a.id = :a"
        ),
        {"a": agency_id},
    ).one()
    return AgencyContact(str(row[0]), row[1], row[2], row[3])
