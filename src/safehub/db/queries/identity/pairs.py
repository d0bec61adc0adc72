"""SQL of the pairs that wait for a person: queued, settled, rejected, and the review queue."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def list_decided_pairs(
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
    """Insert or refresh pending pairs; a pair already decided by a person is never touched.

    Each row may carry its place in the review queue: ``pr`` (priority), ``wr`` (worth a
    reviewer's time) and ``why``; without them a pair is listed as before (tier 0, worth it).
    """
    if not pairs:
        return 0
    session.execute(
        text(
            """
            INSERT INTO match_pair (left_agency_person_id, right_agency_person_id, status,
              match_probability, match_weight, prior_weight, evidence, reason, priority,
              worth_review, priority_reason)
            SELECT l, r, 'pending', p, w, pw, e, reason, coalesce(pr, 0), coalesce(wr, true),
              coalesce(why, '') FROM jsonb_to_recordset(CAST(:rows AS jsonb))
              AS x(l bigint, r bigint, p double precision, w double precision,
                   pw double precision, e jsonb, reason text, pr integer, wr boolean, why text)
            ON CONFLICT (left_agency_person_id, right_agency_person_id) DO UPDATE SET
              match_probability = excluded.match_probability, match_weight = excluded.match_weight,
              prior_weight = excluded.prior_weight, evidence = excluded.evidence,
              reason = excluded.reason, priority = excluded.priority,
              worth_review = excluded.worth_review, priority_reason = excluded.priority_reason
            WHERE match_pair.status = 'pending'
            """
        ),
        {"rows": json.dumps(list(pairs))},
    )
    return len(pairs)


def set_pairs_within_people_superseded(session: Session) -> None:
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


def upsert_rejected_pairs(
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


def count_restricted(session: Session, agency_person_ids: Sequence[int]) -> int:
    """How many of these agency people are restricted (a pair with one is never shown)."""
    return int(
        session.execute(
            text("SELECT count(*) FROM agency_person WHERE id = ANY(:ids) AND restricted"),
            {"ids": list(agency_person_ids)},
        ).scalar_one()
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
    priority: int = 0
    priority_reason: str = ""


# Need to know: never a pair with a restricted side; with an agency, only pairs touching it.
_VISIBLE = """
    FROM match_pair mp
    JOIN agency_person l ON l.id = mp.left_agency_person_id
    JOIN agency_person r ON r.id = mp.right_agency_person_id
    WHERE mp.status = 'pending' AND mp.worth_review = :worth
      AND NOT l.restricted AND NOT r.restricted
      AND (CAST(:agency AS integer) IS NULL OR :agency IN (l.agency_id, r.agency_id))
"""


def list_pending_pairs(
    session: Session, limit: int, *, agency_id: int | None, worth_review: bool = True
) -> list[PendingPair]:
    """Pairs waiting for a person, worth a reviewer's time or not, most useful first (their
    stored place, ``linkage.queue``), then strongest; never one with a restricted side."""
    rows = session.execute(
        text(
            f"""
            SELECT mp.id, mp.match_probability, mp.reason, la.code, coalesce(
              (SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,''))
               FROM person_mention m WHERE m.agency_person_id = l.id AND m.current
               ORDER BY m.id DESC LIMIT 1), ''), ra.code, coalesce(
              (SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,''))
               FROM person_mention m WHERE m.agency_person_id = r.id AND m.current
               ORDER BY m.id DESC LIMIT 1), ''), mp.priority, mp.priority_reason
            FROM (SELECT mp.id {_VISIBLE}
                  ORDER BY mp.priority DESC, mp.match_probability DESC,
                    mp.left_agency_person_id, mp.right_agency_person_id
                  LIMIT :limit) AS listed
            JOIN match_pair mp ON mp.id = listed.id
            JOIN agency_person l ON l.id = mp.left_agency_person_id
            JOIN agency_person r ON r.id = mp.right_agency_person_id
            JOIN agency la ON la.id = l.agency_id JOIN agency ra ON ra.id = r.agency_id
            ORDER BY mp.priority DESC, mp.match_probability DESC,
              mp.left_agency_person_id, mp.right_agency_person_id
            """
        ),
        {"limit": limit, "agency": agency_id, "worth": worth_review},
    ).all()
    return [PendingPair(*r) for r in rows]


def count_pending_pairs(session: Session, *, agency_id: int | None, worth_review: bool) -> int:
    """How many pairs wait, worth a reviewer's time or not, that this agency may see."""
    return int(
        session.execute(
            text(f"SELECT count(*) {_VISIBLE}"),
            {"agency": agency_id, "worth": worth_review},
        ).scalar_one()
    )


def get_agency_names(
    session: Session, agency_person_ids: Sequence[int]
) -> dict[int, tuple[str, int]]:
    """Agency person → (agency name, person id)."""
    rows = session.execute(
        text(
            "SELECT ap.id, a.name, ap.person_id FROM agency_person ap "
            "JOIN agency a ON a.id = ap.agency_id WHERE ap.id = ANY(:ids)"
        ),
        {"ids": list(agency_person_ids)},
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def list_agencies_of(session: Session, agency_person_ids: Sequence[int]) -> set[int]:
    rows = session.execute(
        text("SELECT agency_id FROM agency_person WHERE id = ANY(:ids)"),
        {"ids": list(agency_person_ids)},
    ).scalars()
    return {int(r) for r in rows}


@dataclass(frozen=True, slots=True)
class UnplacedPair:
    """A pending pair with no place in the review queue, as resolution scored it."""

    pair_id: int
    left: int
    right: int
    match_probability: float
    match_weight: float
    prior_weight: float
    evidence: list[dict[str, Any]]
    reason: str


# Pending and never placed: every place the queue rules give has a reason (``linkage.queue``),
# so an empty one marks a pair stored before revision 0031 (or by a run that did not place it).
_UNPLACED = """
    FROM match_pair mp
    JOIN agency_person l ON l.id = mp.left_agency_person_id
    JOIN agency_person r ON r.id = mp.right_agency_person_id
    WHERE mp.status = 'pending' AND mp.priority_reason = ''
"""


def count_unplaced_pairs(session: Session) -> int:
    """How many pending pairs have no place in the review queue."""
    return int(session.execute(text(f"SELECT count(*) {_UNPLACED}")).scalar_one())


def list_unplaced_pairs(session: Session, people_pairs: int) -> list[UnplacedPair]:
    """The pending pairs with no place between the first ``people_pairs`` two people (by person
    ids): every unplaced pair of the same two people comes in one batch, as the queue rules keep
    one pair per two people and must see them together."""
    rows = session.execute(
        text(
            f"""
            WITH unplaced AS (
              SELECT mp.id, mp.left_agency_person_id AS l, mp.right_agency_person_id AS r,
                mp.match_probability, mp.match_weight, mp.prior_weight, mp.evidence, mp.reason,
                least(l.person_id, r.person_id) AS lo, greatest(l.person_id, r.person_id) AS hi
              {_UNPLACED}
            ), first AS (SELECT DISTINCT lo, hi FROM unplaced ORDER BY lo, hi LIMIT :n)
            SELECT u.id, u.l, u.r, u.match_probability, u.match_weight, u.prior_weight,
              u.evidence, u.reason
            FROM unplaced u JOIN first f ON f.lo = u.lo AND f.hi = u.hi
            ORDER BY u.lo, u.hi, u.id
            """
        ),
        {"n": people_pairs},
    ).all()
    return [UnplacedPair(*r) for r in rows]


def set_pair_places(session: Session, places: Sequence[dict[str, Any]]) -> int:
    """Store each pair's place (rows ``id``, ``pr``, ``wr``, ``why``); only a pair still pending
    and still unplaced is touched (a person's decision or a newer run's place stands)."""
    if not places:
        return 0
    result = session.execute(
        text(
            """
            UPDATE match_pair mp SET priority = x.pr, worth_review = x.wr, priority_reason = x.why
            FROM jsonb_to_recordset(CAST(:rows AS jsonb))
              AS x(id bigint, pr integer, wr boolean, why text)
            WHERE mp.id = x.id AND mp.status = 'pending' AND mp.priority_reason = ''
            """
        ),
        {"rows": json.dumps(list(places))},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
