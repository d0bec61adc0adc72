"""SQL of identity resolution: mentions for the matcher, the candidate index, people and merges.

Candidate search is bounded on purpose: each blocking key reads at most ``cap`` index entries
(a LATERAL ... LIMIT over the primary key), so a very common name cannot turn a real-time check
into a scan. Rarer keys (a date of birth with a name, an NHS number) still find the true match.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models.identity import StoredLinkageModel
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
    # Linkage reads the recorded sex as the files give it: without it the database resolved
    # other people than ``safehub resolve`` on the same records.
    sex: str | None = None
    # A role's youngest age depends on the record (a school's parent: ``people.role_min_age``).
    record_type: str = ""


@dataclass(frozen=True, slots=True)
class CandidateRow:
    agency_person_id: int
    person_id: int
    agency_code: str
    agency_name: str
    features: dict[str, Any]
    of_concern: bool


def list_current_mentions(
    session: Session, agency_person_ids: Sequence[int] | None
) -> list[MentionRow]:
    """Current mentions of these agency people (all of them when ``None``), oldest first."""
    where = "" if agency_person_ids is None else "AND ap.id = ANY(:ids)"
    rows = session.execute(
        text(
            f"""
            SELECT m.id, ap.id, a.code, r.record_ref, r.record_date, ap.person_ref,
              m.person_role, m.given_names, m.family_name, m.aliases, m.date_of_birth, m.address,
              (m.restricted OR ap.restricted), m.sex, r.record_type
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


def list_mention_identifiers(
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


def list_agency_people(session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    """``(agency_code, person_ref) → (agency_person_id, person_id)`` for everyone."""
    rows = session.execute(
        text(
            "SELECT a.code, ap.person_ref, ap.id, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id"
        )
    ).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def get_person_ids(session: Session, agency_person_ids: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        text("SELECT id, person_id FROM agency_person WHERE id = ANY(:ids)"),
        {"ids": sorted(set(agency_person_ids))},
    ).all()
    return {r[0]: r[1] for r in rows}


def list_members(session: Session, person_ids: Iterable[int]) -> dict[int, list[int]]:
    """Person → its agency people (every one, restricted included: merges move them all)."""
    rows = session.execute(
        text("SELECT person_id, id FROM agency_person WHERE person_id = ANY(:ids) ORDER BY id"),
        {"ids": sorted(set(person_ids))},
    ).all()
    found: dict[int, list[int]] = {}
    for person_id, ap_id in rows:
        found.setdefault(person_id, []).append(ap_id)
    return found


def list_named_with(session: Session, agency_person_ids: Sequence[int]) -> list[int]:
    """Agency people a current record names beside any of these (these included)."""
    rows = session.execute(
        text(
            """
            SELECT DISTINCT other.agency_person_id FROM person_mention m
            JOIN person_mention other ON other.record_id = m.record_id AND other.current
            WHERE m.current AND m.agency_person_id = ANY(:ids)
            ORDER BY 1
            """
        ),
        {"ids": list(agency_person_ids)},
    ).scalars()
    return [int(r) for r in rows]


def list_stale_agency_people(session: Session) -> tuple[list[int], list[int]]:
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


def set_candidate_index(
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


def list_blocked_pairs(
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


def get_candidates(session: Session, agency_person_ids: Iterable[int]) -> dict[int, CandidateRow]:
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


def set_person_of_agency_people(
    session: Session, agency_person_ids: Sequence[int], person_id: int
) -> None:
    session.execute(
        text("UPDATE agency_person SET person_id = :p WHERE id = ANY(:ids)"),
        {"p": person_id, "ids": list(agency_person_ids)},
    )


def set_merged_into(session: Session, absorbed: int, survivor: int | None) -> None:
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


def insert_person(session: Session) -> int:
    return int(
        session.execute(text("INSERT INTO person (id) VALUES (DEFAULT) RETURNING id")).scalar_one()
    )


def get_current_person(session: Session, person_id: int) -> int:
    """The survivor a person was merged into (itself when it was not)."""
    row = session.execute(
        text("SELECT coalesce(merged_into_id, id) FROM person WHERE id = :p"), {"p": person_id}
    ).first()
    return int(row[0]) if row else person_id


def get_newest_model_key(session: Session) -> tuple[int, datetime] | None:
    """``(id, created_at)`` of the newest saved model: the one in use."""
    row = session.execute(
        select(StoredLinkageModel.id, StoredLinkageModel.created_at)
        .order_by(StoredLinkageModel.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
