"""SQL of the victim-treated-as-offender alert and its oversight measure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class OffenderPair:
    """A child recorded as a victim in one record and treated as an offender in another (or
    the same) record, as one resolved person."""

    person_id: int
    victim_agency_id: int
    victim_agency: str
    victim_record: str
    victim_record_type: str
    victim_date: date
    offender_agency_id: int
    offender_agency: str
    offender_record_id: int
    offender_record: str
    offender_record_type: str
    offender_date: date
    offender_mention_role: str
    offender_outcome: str | None
    offender_agency_person_id: int
    date_of_birth: str | None


# People are joined on the resolved person (agency_person.person_id, following merges), so the
# rule works across agencies once identity resolution links their records.
_PAIRS = """
WITH people AS (
  SELECT ap.id AS agency_person_id, ap.agency_id,
         coalesce(p.merged_into_id, p.id) AS person_id
  FROM agency_person ap JOIN person p ON p.id = ap.person_id
  WHERE NOT ap.restricted
), born AS (
  SELECT pe.person_id, max(m.date_of_birth) AS dob
  FROM person_mention m JOIN people pe ON pe.agency_person_id = m.agency_person_id
  WHERE m.current AND m.date_of_birth IS NOT NULL GROUP BY pe.person_id
), mentions AS (
  SELECT pe.person_id, r.agency_id, a.code AS agency, r.id AS record_id, r.record_ref,
         r.record_type, r.record_date, m.person_role, m.person_outcome, m.agency_person_id
  FROM person_mention m JOIN people pe ON pe.agency_person_id = m.agency_person_id
  JOIN agency_record r ON r.id = m.record_id JOIN agency a ON a.id = r.agency_id
  -- A set, not = ANY(array): an import can touch hundreds of thousands of people, and an
  -- array is scanned once per row where a set is hashed once.
  WHERE m.current AND (:all_people OR pe.person_id IN (SELECT unnest(CAST(:people AS bigint[]))))
)
SELECT v.person_id, v.agency_id, v.agency, v.record_ref, v.record_type, v.record_date,
       o.agency_id, o.agency, o.record_id, o.record_ref, o.record_type, o.record_date,
       o.person_role, o.person_outcome, o.agency_person_id, b.dob
FROM mentions v JOIN mentions o ON o.person_id = v.person_id
JOIN born b ON b.person_id = v.person_id
WHERE v.person_role = 'victim'
  AND (o.person_role = 'suspect' OR o.person_outcome = ANY(:outcomes))
ORDER BY v.person_id, o.record_date, o.agency, o.record_ref, v.record_date, v.agency, v.record_ref
"""


def list_victim_offender_pairs(
    session: Session, *, outcomes: list[str], people: list[int] | None = None
) -> list[OffenderPair]:
    """Every (victim record, offender record) pair of one resolved person with a known date of
    birth. Whether they were a child at both dates is the service's rule."""
    rows = session.execute(
        text(_PAIRS),
        {"outcomes": outcomes, "people": people or [], "all_people": people is None},
    ).all()
    return [OffenderPair(*r) for r in rows]


def get_open_case_for_child(session: Session, person_id: int) -> tuple[int, int | None] | None:
    """(case id, team id) of the child's newest open case, if any."""
    row = session.execute(
        text(
            "SELECT c.id, c.team_id FROM safeguarding_case c JOIN case_child cc ON cc.case_id = c.id "
            "WHERE cc.person_id = :p AND c.status = 'open' ORDER BY c.opened_on DESC, c.id DESC LIMIT 1"
        ),
        {"p": person_id},
    ).first()
    return (int(row[0]), row[1]) if row else None


def list_victim_offender_counts(
    session: Session, *, start: date, end: date
) -> list[tuple[str, str, int]]:
    """(agency code, agency name, alerts) by the agency that recorded the offender outcome, for
    offender records dated in the period. A sealed alert's evidence is in ``alert_content``: read
    as the system (the caller's system step), which reads it all; only counts leave."""
    rows = session.execute(
        text(
            "SELECT a.code, a.name, count(DISTINCT (al.evidence->>'offender_record_id', al.person_id)) "
            "FROM (SELECT x.person_id, coalesce(c.evidence, x.evidence) AS evidence FROM alert x "
            "      LEFT JOIN alert_content c ON c.alert_id = x.id "
            "      WHERE x.kind = 'victim_treated_as_offender') al "
            "JOIN agency a ON a.id = CAST(al.evidence->>'offender_agency_id' AS int) "
            "WHERE CAST(al.evidence->>'offender_date' AS date) BETWEEN :s AND :e "
            "GROUP BY a.code, a.name ORDER BY a.code"
        ),
        {"s": start, "e": end},
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]
