"""SQL of a person's links: the agency records that make one person, and the merges that did."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models.identity import PersonLinkEvent


@dataclass(frozen=True, slots=True)
class LinkedAgencyPerson:
    agency_person_id: int
    agency_code: str
    agency_name: str
    person_ref: str
    names: list[str]
    dates_of_birth: list[str]
    records: int
    link_confidence: float | None


def list_linked_agency_people(session: Session, person_id: int) -> list[LinkedAgencyPerson]:
    rows = session.execute(
        text(
            """
            SELECT ap.id, a.code, a.name, ap.person_ref,
              array_remove(array_agg(DISTINCT nullif(trim(coalesce(m.given_names,'') || ' ' ||
                coalesce(m.family_name,'')), '')), NULL),
              array_remove(array_agg(DISTINCT m.date_of_birth), NULL),
              count(DISTINCT m.record_id), ap.link_confidence
            FROM agency_person ap JOIN agency a ON a.id = ap.agency_id
            LEFT JOIN person_mention m ON m.agency_person_id = ap.id AND m.current
            WHERE ap.person_id = :p AND NOT ap.restricted
            GROUP BY ap.id, a.code, a.name, ap.person_ref, ap.link_confidence
            ORDER BY a.code, ap.person_ref
            """
        ),
        {"p": person_id},
    ).all()
    return [
        LinkedAgencyPerson(r[0], r[1], r[2], r[3], sorted(r[4]), sorted(r[5]), r[6], r[7])
        for r in rows
    ]


def list_merge_events(session: Session, person_id: int) -> list[PersonLinkEvent]:
    """The merges into a person that have not been undone, oldest first."""
    return list(
        session.scalars(
            select(PersonLinkEvent)
            .filter_by(person_id=person_id, kind="merge", undone_by_id=None)
            .order_by(PersonLinkEvent.id)
        )
    )
