"""Queries about people: search, identifiers, and the records that mention them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class PersonHit:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[str]


@dataclass(frozen=True, slots=True)
class RecordMention:
    record_id: int
    agency_code: str
    agency_name: str
    record_ref: str
    record_type: str
    record_date: date
    person_role: str
    name: str
    date_of_birth: str | None
    indicators: list[str]
    person_outcome: str | None
    outcome: str | None
    narrative: str | None
    location_name: str | None


def search_people(
    session: Session, *, name: str, date_of_birth: str | None, limit: int = 50
) -> list[PersonHit]:
    """People any of whose current mentions has a name containing every word typed."""
    words = [w for w in name.lower().split() if w]
    clauses = (
        " AND ".join(
            f"lower(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'') || ' ' || "
            f"coalesce(array_to_string(m.aliases, ' '),'')) LIKE :w{i}"
            for i in range(len(words))
        )
        or "true"
    )
    params: dict[str, object] = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    dob_clause = ""
    if date_of_birth:
        dob_clause = "AND m.date_of_birth LIKE :dob"
        params["dob"] = f"{date_of_birth}%"
    params["limit"] = limit
    rows = session.execute(
        text(
            f"""
            WITH hits AS (
              SELECT DISTINCT ap.person_id FROM person_mention m
              JOIN agency_person ap ON ap.id = m.agency_person_id
              WHERE m.current AND NOT ap.restricted AND {clauses} {dob_clause}
              ORDER BY ap.person_id LIMIT :limit)
            SELECT h.person_id,
              array_agg(DISTINCT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,''))),
              array_remove(array_agg(DISTINCT m.date_of_birth), NULL),
              array_agg(DISTINCT a.code)
            FROM hits h JOIN agency_person ap ON ap.person_id = h.person_id
            JOIN person_mention m ON m.agency_person_id = ap.id AND m.current
            JOIN agency a ON a.id = ap.agency_id
            WHERE NOT ap.restricted
            GROUP BY h.person_id ORDER BY h.person_id
            """
        ),
        params,
    ).all()
    return [PersonHit(r[0], sorted(r[1]), sorted(r[2]), sorted(r[3])) for r in rows]


def person_exists(session: Session, person_id: int) -> bool:
    return bool(session.execute(
        text("SELECT 1 FROM person p WHERE p.id = :p AND p.merged_into_id IS NULL AND EXISTS "
             "(SELECT 1 FROM agency_person ap WHERE ap.person_id = p.id AND NOT ap.restricted)"),
        {"p": person_id},
    ).first())  # fmt: skip


def records_mentioning(session: Session, person_ids: list[int]) -> list[RecordMention]:
    """Every agency record that mentions these people, newest first (restricted people excluded)."""
    rows = session.execute(
        text(
            """
            SELECT r.id, a.code, a.name, r.record_ref, r.record_type, r.record_date, m.person_role,
              trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')),
              m.date_of_birth, coalesce(m.indicators, '{}'), m.person_outcome, r.outcome,
              r.narrative, r.location_name
            FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = r.agency_id
            WHERE m.current AND NOT ap.restricted AND ap.person_id = ANY(:ids)
            ORDER BY r.record_date DESC, a.code, r.record_ref
            """
        ),
        {"ids": person_ids},
    ).all()
    return [RecordMention(*r) for r in rows]


def identifiers_of(session: Session, person_id: int) -> list[tuple[str, str, str | None, str]]:
    """(kind, raw, normalised, agency code) of every identifier recorded for the person."""
    rows = session.execute(
        text(
            """
            SELECT DISTINCT i.kind, i.raw, i.normalised, a.code FROM person_identifier i
            JOIN person_mention m ON m.id = i.mention_id AND m.current
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE ap.person_id = :p AND NOT ap.restricted
            ORDER BY i.kind, i.raw, a.code
            """
        ),
        {"p": person_id},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
