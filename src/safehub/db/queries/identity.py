"""SQL of identity resolution: mentions for the matcher, the candidate index, merges, pairs.

Candidate search is bounded on purpose: each blocking key reads at most ``cap`` index entries
(a LATERAL ... LIMIT over the primary key), so a very common name cannot turn a real-time check
into a scan. Rarer keys (a date of birth with a name, an NHS number) still find the true match.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.db.queries.imports import copy_rows


@dataclass(frozen=True, slots=True)
class MentionRow:
    """A current mention as the matcher reads it: never a protected characteristic."""

    mention_id: int
    agency_person_id: int
    agency_code: str
    record_ref: str
    record_date: date
    person_ref: str
    person_role: str
    given_names: str | None
    family_name: str | None
    aliases: list[str] | None
    date_of_birth: str | None
    address: str | None
    restricted: bool


@dataclass(frozen=True, slots=True)
class CandidateRow:
    agency_person_id: int
    person_id: int
    agency_code: str
    agency_name: str
    features: dict[str, Any]
    of_concern: bool


@dataclass(frozen=True, slots=True)
class PersonSummary:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[tuple[str, str]]


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


def load_mentions(session: Session, agency_person_ids: Sequence[int] | None) -> list[MentionRow]:
    """Current mentions of these agency people (all of them when ``None``), oldest first."""
    where = "" if agency_person_ids is None else "AND ap.id = ANY(:ids)"
    rows = session.execute(
        text(
            f"""
            SELECT m.id, ap.id, a.code, r.record_ref, r.record_date, ap.person_ref,
              m.person_role, m.given_names, m.family_name, m.aliases, m.date_of_birth, m.address,
              (m.restricted OR ap.restricted)
            FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            JOIN agency a ON a.id = ap.agency_id
            JOIN agency_record r ON r.id = m.record_id
            WHERE m.current {where}
            ORDER BY ap.id, r.record_date, m.id
            """
        ),
        {"ids": list(agency_person_ids or [])},
    ).all()
    return [MentionRow(*r) for r in rows]


def load_identifiers(
    session: Session, agency_person_ids: Sequence[int] | None
) -> list[tuple[int, str, str, str | None]]:
    """``(mention_id, kind, raw, normalised)`` of the current mentions of these agency people."""
    where = "" if agency_person_ids is None else "AND m.agency_person_id = ANY(:ids)"
    rows = session.execute(
        text(
            f"""
            SELECT i.mention_id, i.kind, i.raw, i.normalised FROM person_identifier i
            JOIN person_mention m ON m.id = i.mention_id
            WHERE m.current {where} ORDER BY i.id
            """
        ),
        {"ids": list(agency_person_ids or [])},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def agency_people(session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    """``(agency_code, person_ref) → (agency_person_id, person_id)`` for everyone."""
    rows = session.execute(
        text(
            "SELECT a.code, ap.person_ref, ap.id, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id"
        )
    ).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def person_of(session: Session, agency_person_ids: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        text("SELECT id, person_id FROM agency_person WHERE id = ANY(:ids)"),
        {"ids": sorted(set(agency_person_ids))},
    ).all()
    return {r[0]: r[1] for r in rows}


def members_of(session: Session, person_ids: Iterable[int]) -> dict[int, list[int]]:
    """Person → its agency people (every one, restricted included: merges move them all)."""
    rows = session.execute(
        text("SELECT person_id, id FROM agency_person WHERE person_id = ANY(:ids) ORDER BY id"),
        {"ids": sorted(set(person_ids))},
    ).all()
    found: dict[int, list[int]] = {}
    for person_id, ap_id in rows:
        found.setdefault(person_id, []).append(ap_id)
    return found


def stale_agency_people(session: Session) -> tuple[list[int], list[int]]:
    """(never indexed, indexed but with records newer than the index) agency person ids."""
    fresh = session.execute(
        text(
            "SELECT ap.id FROM agency_person ap WHERE NOT EXISTS (SELECT 1 FROM "
            "identity_candidate c WHERE c.agency_person_id = ap.id) ORDER BY ap.id"
        )
    ).scalars()
    fresh_ids = [int(i) for i in fresh]
    changed = session.execute(
        text(
            "SELECT c.agency_person_id FROM identity_candidate c WHERE EXISTS (SELECT 1 FROM "
            "person_mention m WHERE m.agency_person_id = c.agency_person_id AND m.current "
            "AND m.created_at > c.refreshed_at) ORDER BY 1"
        )
    ).scalars()
    return fresh_ids, [int(i) for i in changed]


def replace_index(
    session: Session,
    candidates: Sequence[tuple[int, dict[str, Any], str, bool, bool]],
    keys: Iterable[tuple[str, int]],
    *,
    everything: bool,
) -> None:
    """Replace the candidate rows and keys of these agency people (of everyone: ``everything``)."""
    ids = [c[0] for c in candidates]
    if everything:
        session.execute(text("DELETE FROM identity_block_key; DELETE FROM identity_candidate"))
    else:
        for table in ("identity_block_key", "identity_candidate"):
            session.execute(
                text(f"DELETE FROM {table} WHERE agency_person_id = ANY(:ids)"), {"ids": ids}
            )
    # COPY cannot write a table under row-level security: stage in temporary tables, then insert.
    session.execute(
        text(
            "CREATE TEMP TABLE IF NOT EXISTS stage_candidate (agency_person_id bigint, "
            "features jsonb, name_key text, matchable boolean, of_concern boolean) "
            "ON COMMIT DROP; CREATE TEMP TABLE IF NOT EXISTS stage_block_key (key text, "
            "agency_person_id bigint) ON COMMIT DROP"
        )
    )
    session.execute(text("TRUNCATE stage_candidate, stage_block_key"))
    rows = ((ap, json.dumps(f), n, m, c) for ap, f, n, m, c in candidates)
    columns = ("agency_person_id", "features", "name_key", "matchable", "of_concern")
    copy_rows(session, "stage_candidate", columns, rows)
    copy_rows(session, "stage_block_key", ("key", "agency_person_id"), sorted(set(keys)))
    session.execute(
        text(
            "INSERT INTO identity_candidate (agency_person_id, features, name_key, matchable, "
            "of_concern) SELECT * FROM stage_candidate"
        )
    )
    session.execute(
        text("INSERT INTO identity_block_key (key, agency_person_id) SELECT * FROM stage_block_key")
    )


_QUERY_KEYS = """
  SELECT agency_person_id AS ap, key FROM identity_block_key WHERE agency_person_id = ANY(:ids)
  UNION
  SELECT agency_person_id, 'n|' || split_part(key, '|', 3) || '|' || split_part(key, '|', 2)
  FROM identity_block_key WHERE agency_person_id = ANY(:ids) AND key LIKE 'n|%'
"""


def count_matchable(session: Session) -> int:
    """Agency people in the candidate index that matching compares (the model's population)."""
    found = session.execute(text("SELECT count(*) FROM identity_candidate WHERE matchable"))
    return int(found.scalar_one())


def blocked_pairs(
    session: Session, agency_person_ids: Sequence[int], cap: int
) -> list[tuple[int, int]]:
    """Pairs ``(smaller id, larger id)`` sharing a blocking key with any of these agency people
    (names are also tried swapped, as the bulk blocking rules do)."""
    rows = session.execute(
        text(
            f"""
            WITH q AS ({_QUERY_KEYS})
            SELECT DISTINCT least(q.ap, c.ap), greatest(q.ap, c.ap) FROM q
            CROSS JOIN LATERAL (
              SELECT b.agency_person_id AS ap FROM identity_block_key b
              WHERE b.key = q.key AND b.agency_person_id <> q.ap
              ORDER BY b.agency_person_id LIMIT :cap) c
            ORDER BY 1, 2
            """
        ),
        {"ids": list(agency_person_ids), "cap": cap},
    ).all()
    return [(r[0], r[1]) for r in rows]


def candidates_by_id(session: Session, agency_person_ids: Iterable[int]) -> dict[int, CandidateRow]:
    rows = session.execute(
        text(
            """
            SELECT c.agency_person_id, ap.person_id, a.code, a.name, c.features, c.of_concern
            FROM identity_candidate c JOIN agency_person ap ON ap.id = c.agency_person_id
            JOIN agency a ON a.id = ap.agency_id
            WHERE c.agency_person_id = ANY(:ids) AND c.matchable AND NOT ap.restricted
            """
        ),
        {"ids": sorted(set(agency_person_ids))},
    ).all()
    return {r[0]: CandidateRow(*r) for r in rows}


def search_candidates(
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


def person_summaries(session: Session, person_ids: Sequence[int]) -> dict[int, PersonSummary]:
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


def linked_agency_people(session: Session, person_id: int) -> list[LinkedAgencyPerson]:
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


def move_agency_people(session: Session, agency_person_ids: Sequence[int], person_id: int) -> None:
    session.execute(
        text("UPDATE agency_person SET person_id = :p WHERE id = ANY(:ids)"),
        {"p": person_id, "ids": list(agency_person_ids)},
    )


def mark_merged(session: Session, absorbed: int, survivor: int | None) -> None:
    """Point the absorbed person (and anyone merged into it before) at the survivor; ``None``
    restores the absorbed person."""
    if survivor is None:
        session.execute(
            text("UPDATE person SET merged_into_id = NULL WHERE id = :a"), {"a": absorbed}
        )
        return
    session.execute(
        text("UPDATE person SET merged_into_id = :s WHERE id = :a OR merged_into_id = :a"),
        {"s": survivor, "a": absorbed},
    )


def set_link_confidence(session: Session, confidence: dict[int, float | None]) -> None:
    if not confidence:
        return
    session.execute(
        text(
            "UPDATE agency_person ap SET link_confidence = v.c FROM unnest(CAST(:ids AS bigint[]), "
            "CAST(:cs AS double precision[])) AS v(id, c) WHERE ap.id = v.id"
        ),
        {"ids": list(confidence), "cs": list(confidence.values())},
    )


def new_person(session: Session) -> int:
    return int(
        session.execute(text("INSERT INTO person (id) VALUES (DEFAULT) RETURNING id")).scalar_one()
    )


def current_person(session: Session, person_id: int) -> int:
    """The survivor a person was merged into (itself when it was not)."""
    row = session.execute(
        text("SELECT coalesce(merged_into_id, id) FROM person WHERE id = :p"), {"p": person_id}
    ).first()
    return int(row[0]) if row else person_id


def decided_pairs(
    session: Session, agency_person_ids: Iterable[int] | None
) -> dict[tuple[int, int], str]:
    """``(left, right) → status`` of pairs touching these agency people (all when ``None``)."""
    where = (
        ""
        if agency_person_ids is None
        else ("WHERE left_agency_person_id = ANY(:ids) OR right_agency_person_id = ANY(:ids)")
    )
    rows = session.execute(
        text(
            f"SELECT left_agency_person_id, right_agency_person_id, status FROM match_pair {where}"
        ),
        {"ids": sorted(set(agency_person_ids or []))},
    ).all()
    return {(r[0], r[1]): r[2] for r in rows}


def upsert_pending_pairs(session: Session, pairs: Sequence[dict[str, Any]]) -> int:
    """Insert or refresh pending pairs; a pair already decided by a person is never touched."""
    if not pairs:
        return 0
    session.execute(
        text(
            """
            INSERT INTO match_pair (left_agency_person_id, right_agency_person_id, status,
              match_probability, match_weight, prior_weight, evidence, reason)
            SELECT l, r, 'pending', p, w, pw, e, reason FROM jsonb_to_recordset(CAST(:rows AS jsonb))
              AS x(l bigint, r bigint, p double precision, w double precision,
                   pw double precision, e jsonb, reason text)
            ON CONFLICT (left_agency_person_id, right_agency_person_id) DO UPDATE SET
              match_probability = excluded.match_probability, match_weight = excluded.match_weight,
              prior_weight = excluded.prior_weight, evidence = excluded.evidence,
              reason = excluded.reason
            WHERE match_pair.status = 'pending'
            """
        ),
        {"rows": json.dumps(list(pairs))},
    )
    return len(pairs)


def settle_pairs_within_people(session: Session) -> None:
    """Pending pairs whose two sides are now one person need no decision any more."""
    session.execute(
        text(
            """
            UPDATE match_pair mp SET status = 'superseded' FROM agency_person l, agency_person r
            WHERE mp.status = 'pending' AND l.id = mp.left_agency_person_id
              AND r.id = mp.right_agency_person_id AND l.person_id = r.person_id
            """
        )
    )


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


def log_check(session: Session, actor: str) -> None:
    session.execute(text("INSERT INTO intake_check_log (actor) VALUES (:a)"), {"a": actor})


def reject_pairs(
    session: Session,
    moving: Sequence[int],
    staying: Sequence[int],
    *,
    user_id: int | None,
    note: str,
) -> None:
    """Record every pair across the two sides as rejected by a person (kept apart from now on)."""
    pairs = sorted({(min(a, b), max(a, b)) for a in moving for b in staying if a != b})
    if not pairs:
        return
    session.execute(
        text(
            """
            INSERT INTO match_pair (left_agency_person_id, right_agency_person_id, status,
              match_probability, match_weight, prior_weight, evidence, reason,
              decided_by_user_id, decided_at, decision_note)
            SELECT l, r, 'rejected', 0, 0, 0, '[]', 'kept apart by a person', :u, now(), :n
            FROM unnest(CAST(:ls AS bigint[]), CAST(:rs AS bigint[])) AS x(l, r)
            ON CONFLICT (left_agency_person_id, right_agency_person_id) DO UPDATE SET
              status = 'rejected', decided_by_user_id = :u, decided_at = now(),
              decision_note = :n
            """
        ),
        {"ls": [p[0] for p in pairs], "rs": [p[1] for p in pairs], "u": user_id, "n": note},
    )


def is_restricted(session: Session, agency_person_id: int) -> bool:
    return bool(
        session.execute(
            text("SELECT restricted FROM agency_person WHERE id = :a"), {"a": agency_person_id}
        ).scalar()
    )


@dataclass(frozen=True, slots=True)
class PendingPair:
    pair_id: int
    match_probability: float
    reason: str
    left_agency: str
    left_name: str
    right_agency: str
    right_name: str


def pending_pairs(session: Session, limit: int, *, agency_id: int | None) -> list[PendingPair]:
    """Pairs waiting for a person, strongest first; never one with a restricted side."""
    rows = session.execute(
        text(
            """
            SELECT mp.id, mp.match_probability, mp.reason, la.code, coalesce(
              (SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,''))
               FROM person_mention m WHERE m.agency_person_id = l.id AND m.current
               ORDER BY m.id DESC LIMIT 1), ''), ra.code, coalesce(
              (SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,''))
               FROM person_mention m WHERE m.agency_person_id = r.id AND m.current
               ORDER BY m.id DESC LIMIT 1), '')
            FROM match_pair mp
            JOIN agency_person l ON l.id = mp.left_agency_person_id
            JOIN agency_person r ON r.id = mp.right_agency_person_id
            JOIN agency la ON la.id = l.agency_id JOIN agency ra ON ra.id = r.agency_id
            WHERE mp.status = 'pending' AND NOT l.restricted AND NOT r.restricted
              AND (CAST(:agency AS integer) IS NULL OR :agency IN (l.agency_id, r.agency_id))
            ORDER BY mp.match_probability DESC, mp.id LIMIT :limit
            """
        ),
        {"limit": limit, "agency": agency_id},
    ).all()
    return [PendingPair(*r) for r in rows]


def agency_names(session: Session, agency_person_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """Agency person → (agency name, person id)."""
    rows = session.execute(
        text(
            "SELECT ap.id, a.name, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id WHERE ap.id = ANY(:ids)"
        ),
        {"ids": list(agency_person_ids)},
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def agencies_of(session: Session, agency_person_ids: Sequence[int]) -> set[int]:
    rows = session.execute(
        text("SELECT agency_id FROM agency_person WHERE id = ANY(:ids)"),
        {"ids": list(agency_person_ids)},
    ).scalars()
    return {int(r) for r in rows}


def holder_agencies(
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
