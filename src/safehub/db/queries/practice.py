"""SQL of victim-centred practice: notes and their checks, indicators from agency records,
victims recorded as offenders, and the rates managers and oversight see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session


def can_see_case(
    session: Session, *, case_id: int, user_id: int | None, agency_id: int | None
) -> bool:
    """A member of the case team, or staff of an agency involved in the case (need to know)."""
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM safeguarding_case c WHERE c.id = :c AND ("
                " EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = c.id AND m.user_id = :u) OR"
                " EXISTS (SELECT 1 FROM case_agency a WHERE a.case_id = c.id AND a.agency_id = :a))"
            ),
            {"c": case_id, "u": user_id, "a": agency_id},
        ).first()
    )


def can_see_child(
    session: Session, *, person_id: int, user_id: int | None, agency_id: int | None
) -> bool:
    """On a case the user works on (as a member or through their agency), or known to their
    agency's own records. Restricted people are never seen outside their agency."""
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM person p WHERE p.id = :p AND p.merged_into_id IS NULL AND ("
                " EXISTS (SELECT 1 FROM case_child cc WHERE cc.person_id = p.id AND ("
                "   EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = cc.case_id AND m.user_id = :u) OR"
                "   EXISTS (SELECT 1 FROM case_agency a WHERE a.case_id = cc.case_id AND a.agency_id = :a)))"
                " OR EXISTS (SELECT 1 FROM agency_person ap WHERE ap.person_id = p.id AND ap.agency_id = :a))"
                " AND NOT EXISTS (SELECT 1 FROM agency_person r WHERE r.person_id = p.id AND r.restricted"
                "   AND r.agency_id IS DISTINCT FROM :a)"
            ),
            {"p": person_id, "u": user_id, "a": agency_id},
        ).first()
    )


def cases_of_child(session: Session, person_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        text(
            "SELECT c.id, c.reference FROM safeguarding_case c JOIN case_child cc ON cc.case_id = c.id "
            "WHERE cc.person_id = :p ORDER BY c.id"
        ),
        {"p": person_id},
    ).all()
    return [(r[0], r[1]) for r in rows]


def latest_note_id(session: Session, note_id: int) -> int:
    """The newest version in the chain that ``note_id`` belongs to."""
    current = note_id
    while True:
        newer = session.execute(
            text("SELECT id FROM case_note WHERE supersedes_id = :n ORDER BY id LIMIT 1"),
            {"n": current},
        ).scalar()
        if newer is None:
            return current
        current = int(newer)


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What agencies' records say about a child that the practice pages need."""

    name: str
    dates_of_birth: list[str]
    imported_indicators: list[ImportedIndicator]


@dataclass(frozen=True, slots=True)
class ImportedIndicator:
    code: str
    agency_code: str
    agency_name: str
    record_type: str
    record_ref: str
    record_date: date


def child_facts(session: Session, person_id: int) -> ChildFacts:
    names = session.execute(
        text(
            "SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')) AS n, "
            "count(*) FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id "
            "WHERE m.current AND NOT ap.restricted AND ap.person_id = :p GROUP BY n "
            "ORDER BY count(*) DESC, n"
        ),
        {"p": person_id},
    ).all()
    dobs = session.execute(
        text(
            "SELECT m.date_of_birth, count(*) FROM person_mention m "
            "JOIN agency_person ap ON ap.id = m.agency_person_id WHERE m.current AND NOT ap.restricted "
            "AND ap.person_id = :p AND m.date_of_birth IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        {"p": person_id},
    ).all()
    found = session.execute(
        text(
            "SELECT i.code, a.code, a.name, r.record_type, r.record_ref, r.record_date "
            "FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id "
            "JOIN agency_record r ON r.id = m.record_id JOIN agency a ON a.id = r.agency_id "
            "CROSS JOIN LATERAL unnest(m.indicators) AS i(code) "
            "WHERE m.current AND NOT ap.restricted AND ap.person_id = :p "
            "ORDER BY r.record_date DESC, a.code, r.record_ref, i.code"
        ),
        {"p": person_id},
    ).all()
    name = next((n[0] for n in names if n[0]), f"Person {person_id}")
    return ChildFacts(name, [d[0] for d in dobs], [ImportedIndicator(*r) for r in found])


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


def victim_offender_pairs(
    session: Session, *, outcomes: list[str], people: list[int] | None = None
) -> list[OffenderPair]:
    """Every (victim record, offender record) pair of one resolved person with a known date of
    birth. Whether they were a child at both dates is the service's rule."""
    rows = session.execute(
        text(_PAIRS),
        {"outcomes": outcomes, "people": people or [], "all_people": people is None},
    ).all()
    return [OffenderPair(*r) for r in rows]


def person_ids_for_refs(session: Session, keys: list[tuple[str, str]]) -> list[int]:
    """The resolved people behind (agency_code, person_ref) pairs."""
    if not keys:
        return []
    rows = session.execute(
        text(
            "SELECT DISTINCT coalesce(p.merged_into_id, p.id) FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id JOIN person p ON p.id = ap.person_id "
            "JOIN unnest(CAST(:codes AS text[]), CAST(:refs AS text[])) AS k(code, ref) "
            "ON k.code = a.code AND k.ref = ap.person_ref"
        ),
        {"codes": [k[0] for k in keys], "refs": [k[1] for k in keys]},
    ).scalars()
    return sorted(int(r) for r in rows)


def open_case_for_child(session: Session, person_id: int) -> tuple[int, int | None] | None:
    """(case id, team id) of the child's newest open case, if any."""
    row = session.execute(
        text(
            "SELECT c.id, c.team_id FROM safeguarding_case c JOIN case_child cc ON cc.case_id = c.id "
            "WHERE cc.person_id = :p AND c.status = 'open' ORDER BY c.opened_on DESC, c.id DESC LIMIT 1"
        ),
        {"p": person_id},
    ).first()
    return (int(row[0]), row[1]) if row else None


def victim_offender_counts(
    session: Session, *, start: date, end: date
) -> list[tuple[str, str, int]]:
    """(agency code, agency name, alerts) by the agency that recorded the offender outcome, for
    offender records dated in the period."""
    rows = session.execute(
        text(
            "SELECT a.code, a.name, count(DISTINCT (al.evidence->>'offender_record_id', al.person_id)) "
            "FROM alert al JOIN agency a ON a.id = CAST(al.evidence->>'offender_agency_id' AS int) "
            "WHERE al.kind = 'victim_treated_as_offender' "
            "AND CAST(al.evidence->>'offender_date' AS date) BETWEEN :s AND :e "
            "GROUP BY a.code, a.name ORDER BY a.code"
        ),
        {"s": start, "e": end},
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


@dataclass(frozen=True, slots=True)
class RateRow:
    group: str
    notes: int
    flagged_notes: int
    flags: int
    saved_despite_flags: int


def flag_rates(
    session: Session, *, by: str, start: date, end: date, agency_id: int | None = None
) -> list[RateRow]:
    """Checked notes, flagged notes and flags by team or agency of the author, in the period."""
    group = {
        "team": "coalesce(a.code || ': ' || t.name, a.code || ': no team')",
        "agency": "a.name",
    }[by]
    rows = session.execute(
        text(
            f"SELECT {group} AS g, count(*), count(*) FILTER (WHERE k.flag_count > 0), "
            "coalesce(sum(k.flag_count), 0), count(*) FILTER (WHERE k.saved_despite_flags) "
            "FROM note_language_check k JOIN case_note n ON n.id = k.note_id "
            "JOIN app_user u ON u.id = n.author_user_id JOIN agency a ON a.id = u.agency_id "
            "LEFT JOIN team t ON t.id = u.team_id "
            "WHERE n.created_at::date BETWEEN :s AND :e AND (CAST(:ag AS int) IS NULL OR a.id = :ag) "
            "GROUP BY g ORDER BY g"
        ),
        {"s": start, "e": end, "ag": agency_id},
    ).all()
    return [RateRow(r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


def current_notes(
    session: Session, *, agency_id: int | None, limit: int
) -> list[tuple[int, int, str]]:
    """(note id, case id, body) of current note versions written by the agency's staff."""
    rows = session.execute(
        text(
            "SELECT n.id, n.case_id, n.body FROM case_note n JOIN app_user u ON u.id = n.author_user_id "
            "WHERE (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            # An anti-join on a hashed list: case_note.supersedes_id has no index of its own.
            "AND n.id NOT IN (SELECT s.supersedes_id FROM case_note s WHERE s.supersedes_id IS NOT NULL) "
            "ORDER BY n.id DESC LIMIT :l"
        ),
        {"a": agency_id, "l": limit},
    ).all()
    return [(int(r[0]), int(r[1]), r[2]) for r in rows]
