"""Queries about people: search, identifiers, and the records that mention them.

Row-level security trims every query to what the acting user may see; the rows carry the owning
agency, record type and restriction so that the services can apply the access policy as well
(two walls, neither trusting the other).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class PersonHit:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[str]
    # What tells ten people of one name apart: agencies by name, age, area, an open case.
    agency_names: list[str] = field(default_factory=list)
    age: str | None = None
    areas: list[str] = field(default_factory=list)
    open_cases: int = 0


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
    agency_id: int = 0
    person_id: int = 0
    restricted: bool = False


@dataclass(frozen=True, slots=True)
class MentionFact:
    """One current mention of a person, as the access policy needs it."""

    person_id: int
    agency_id: int
    agency_code: str
    record_type: str
    restricted: bool
    name: str
    date_of_birth: str | None


@dataclass(frozen=True, slots=True)
class IdentifierRow:
    kind: str
    raw: str
    normalised: str | None
    agency_code: str
    agency_id: int
    record_type: str
    person_id: int
    restricted: bool


_FACT_COLUMNS = """ap.person_id, ap.agency_id, a.code, r.record_type, ap.restricted,
  trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')), m.date_of_birth"""


def matching_mentions(
    session: Session, *, name: str, date_of_birth: str | None, limit: int = 2000
) -> list[MentionFact]:
    """Current mentions whose name contains every word typed, each literally (and whose date
    of birth starts with the one given: a full date is that exact date), for the service to
    check and group into people. An empty name matches every name (a search by exact date of
    birth).

    The words are matched by ``safehub_mention_ids_named`` (migration 0033), which uses the
    trigram index and returns only ids; the mentions behind them are read here under the
    user's own row-level security, so the policy runs on those rows alone, not on every one."""
    words = name.lower().split()
    params: dict[str, object] = {"limit": limit}
    dob = f"{date_of_birth}%" if date_of_birth else None
    if words:
        # Ids only; the ANY(...) on the primary key is leakproof, so it applies before the policy.
        where = "m.id = ANY(ARRAY(SELECT safehub_mention_ids_named(:words, :dob)))"
        params |= {"words": words, "dob": dob}
    else:
        where = "true"
    if dob:
        where += " AND m.date_of_birth LIKE :dob"
        params["dob"] = dob
    rows = session.execute(
        text(
            f"""
            SELECT {_FACT_COLUMNS} FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE m.current AND {where}
            ORDER BY ap.person_id, a.code LIMIT :limit
            """
        ),
        params,
    ).all()
    return [MentionFact(*r) for r in rows]


def mention_facts(session: Session, person_ids: list[int]) -> list[MentionFact]:
    """Every current mention of these people (names and dates of birth as each agency has them)."""
    rows = session.execute(
        text(
            f"""
            SELECT {_FACT_COLUMNS} FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE m.current AND ap.person_id = ANY(:ids)
            ORDER BY ap.person_id, a.code
            """
        ),
        {"ids": person_ids},
    ).all()
    return [MentionFact(*r) for r in rows]


def holders_of(session: Session, person_ids: list[int]) -> list[tuple[int, int, str, bool]]:
    """(person id, agency id, agency code, restricted) of each agency's link to these people."""
    rows = session.execute(
        text(
            "SELECT ap.person_id, ap.agency_id, a.code, ap.restricted FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id WHERE ap.person_id = ANY(:ids) "
            "ORDER BY ap.person_id, a.code"
        ),
        {"ids": person_ids},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def person_exists(session: Session, person_id: int, agency_id: int | None = None) -> bool:
    """The person exists for the user: held unrestricted by some agency, or by their own."""
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM person p WHERE p.id = :p AND p.merged_into_id IS NULL AND EXISTS "
                "(SELECT 1 FROM agency_person ap WHERE ap.person_id = p.id "
                "AND (NOT ap.restricted OR ap.agency_id = :a))"
            ),
            {"p": person_id, "a": agency_id},
        ).first()
    )


def records_mentioning(session: Session, person_ids: list[int]) -> list[RecordMention]:
    """Every agency record that mentions these people, newest first (the caller applies the
    access policy to each: restriction and sharing)."""
    rows = session.execute(
        text(
            """
            SELECT r.id, a.code, a.name, r.record_ref, r.record_type, r.record_date, m.person_role,
              trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')),
              m.date_of_birth, coalesce(m.indicators, '{}'), m.person_outcome, r.outcome,
              r.narrative, r.location_name, r.agency_id, ap.person_id, ap.restricted
            FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = r.agency_id
            WHERE m.current AND ap.person_id = ANY(:ids)
            ORDER BY r.record_date DESC, a.code, r.record_ref
            """
        ),
        {"ids": person_ids},
    ).all()
    return [RecordMention(*r) for r in rows]


def identifiers_of(session: Session, person_id: int) -> list[IdentifierRow]:
    """Every identifier recorded for the person, with the record it came from."""
    rows = session.execute(
        text(
            """
            SELECT DISTINCT i.kind, i.raw, i.normalised, a.code, ap.agency_id, r.record_type,
              ap.person_id, ap.restricted
            FROM person_identifier i
            JOIN person_mention m ON m.id = i.mention_id AND m.current
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE ap.person_id = :p
            ORDER BY i.kind, i.raw, a.code
            """
        ),
        {"p": person_id},
    ).all()
    return [IdentifierRow(*r) for r in rows]


def count_sealed_records(session: Session, person_id: int) -> dict[int, int]:
    """By agency, how many current records about a person row-level security keeps from the user
    (a security-definer function that counts, never shows)."""
    rows = session.execute(
        text("SELECT agency_id, records FROM safehub_sealed_record_counts(:p)"), {"p": person_id}
    ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def postcodes_of(session: Session, person_ids: list[int]) -> list[IdentifierRow]:
    """The checked postcodes recorded for these people, with the record each came from."""
    rows = session.execute(
        text(
            """
            SELECT DISTINCT i.kind, i.raw, i.normalised, a.code, ap.agency_id, r.record_type,
              ap.person_id, ap.restricted
            FROM person_identifier i
            JOIN person_mention m ON m.id = i.mention_id AND m.current
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency_record r ON r.id = m.record_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE ap.person_id = ANY(:p) AND i.kind = 'postcode' AND i.normalised IS NOT NULL
            """
        ),
        {"p": person_ids},
    ).all()
    return [IdentifierRow(*r) for r in rows]


def count_open_cases(session: Session, person_ids: list[int]) -> dict[int, int]:
    """How many open cases each person is a child of (of those open to the user)."""
    rows = session.execute(
        text(
            "SELECT coalesce(p.merged_into_id, p.id), count(DISTINCT c.id) FROM case_child cc "
            "JOIN person p ON p.id = cc.person_id "
            "JOIN safeguarding_case c ON c.id = cc.case_id AND c.status = 'open' "
            "WHERE coalesce(p.merged_into_id, p.id) = ANY(:p) GROUP BY 1"
        ),
        {"p": person_ids},
    ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def get_agency_names(session: Session) -> dict[str, str]:
    """Every agency's code and name."""
    return {r[0]: r[1] for r in session.execute(text("SELECT code, name FROM agency")).all()}
