"""SQL of the intake check: the candidates sharing keys with what was typed, what the user may
see of them, and the log the rate limit counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.db.queries.identity.resolution import CandidateRow


def list_candidates_sharing_keys(
    session: Session, keys: Sequence[str], *, cap: int, limit: int
) -> list[CandidateRow]:
    """The agency people sharing most blocking keys with a query (never restricted people, never
    adults of concern: the intake check asks whether a *child* is known)."""
    rows = session.execute(
        text(
            """
            WITH hits AS (
              SELECT k.ap, count(*) AS n FROM unnest(CAST(:keys AS text[])) AS q(key)
              CROSS JOIN LATERAL (
                SELECT b.agency_person_id AS ap FROM identity_block_key b
                WHERE b.key = q.key ORDER BY b.agency_person_id LIMIT :cap) k
              GROUP BY k.ap ORDER BY n DESC, k.ap LIMIT :limit)
            SELECT c.agency_person_id, ap.person_id, a.code, a.name, c.features, c.of_concern
            FROM hits h JOIN identity_candidate c ON c.agency_person_id = h.ap
            JOIN agency_person ap ON ap.id = c.agency_person_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE c.matchable AND NOT c.of_concern AND NOT ap.restricted
            ORDER BY h.n DESC, h.ap
            """
        ),
        {"keys": list(keys), "cap": cap, "limit": limit},
    ).all()
    return [CandidateRow(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class PersonSummary:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[tuple[str, str]]


def get_person_summaries(session: Session, person_ids: Sequence[int]) -> dict[int, PersonSummary]:
    """Names, dates of birth and agencies of people, from their unrestricted records only."""
    rows = session.execute(
        text(
            """
            SELECT ap.person_id,
              array_remove(array_agg(DISTINCT nullif(trim(coalesce(m.given_names,'') || ' ' ||
                coalesce(m.family_name,'')), '')), NULL),
              array_remove(array_agg(DISTINCT m.date_of_birth), NULL),
              array_agg(DISTINCT a.code || '|' || a.name)
            FROM agency_person ap JOIN person_mention m ON m.agency_person_id = ap.id AND m.current
            JOIN agency a ON a.id = ap.agency_id
            WHERE ap.person_id = ANY(:ids) AND NOT ap.restricted
            GROUP BY ap.person_id
            """
        ),
        {"ids": list(person_ids)},
    ).all()
    return {
        r[0]: PersonSummary(
            r[0],
            sorted(r[1]),
            sorted(r[2]),
            sorted(tuple(x.split("|", 1)) for x in r[3]),  # type: ignore[misc]
        )
        for r in rows
    }


def list_holder_agencies(
    session: Session, person_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """Agencies holding unrestricted records about each person: whom to contact (no content)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT ap.person_id, a.code, a.name FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id WHERE ap.person_id = ANY(:ids) "
            "AND NOT ap.restricted ORDER BY 1, 2"
        ),
        {"ids": list(person_ids)},
    ).all()
    found: dict[int, list[tuple[str, str]]] = {}
    for person_id, code, name in rows:
        found.setdefault(person_id, []).append((code, name))
    return found


def count_recent_checks(session: Session, actor: str, seconds: int) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM intake_check_log WHERE actor = :a "
                "AND checked_at > now() - make_interval(secs => :s)"
            ),
            {"a": actor, "s": seconds},
        ).scalar_one()
    )


def insert_intake_check(session: Session, actor: str) -> None:
    session.execute(text("INSERT INTO intake_check_log (actor) VALUES (:a)"), {"a": actor})
