"""Queries about cases and the merged multi-agency chronology."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class ChronologyEntry:
    on: date
    agency_code: str
    agency_name: str
    kind: str
    title: str
    detail: str | None
    source: str
    # What the access policy needs: the owning agency, the record's type and person, whether the
    # person is restricted there, and whether the entry is the case's own (a note or decision).
    agency_id: int = 0
    record_type: str = ""
    person_id: int | None = None
    restricted: bool = False
    case_own: bool = True


_CHRONOLOGY = """
SELECT * FROM (
  SELECT r.record_date AS on_date, a.code, a.name, r.record_type AS kind,
    r.record_type || ' ' || r.record_ref || ' (' || m.person_role || ')' AS title,
    r.narrative AS detail, 'agency record' AS source, r.agency_id, r.record_type AS record_type,
    ap.person_id, ap.restricted, false AS case_own
  FROM person_mention m
  JOIN agency_person ap ON ap.id = m.agency_person_id
  JOIN agency_record r ON r.id = m.record_id
  JOIN agency a ON a.id = r.agency_id
  WHERE m.current AND ap.person_id = ANY(:children)
  UNION ALL
  SELECT f.received_at::date, a.code, a.name, 'referral', 'Referral: ' || f.concern_type,
    f.concern, 'Safehub referral', f.referring_agency_id, 'referral', f.child_person_id, false,
    f.case_id IS NOT DISTINCT FROM :case_id
  FROM referral f JOIN agency a ON a.id = f.referring_agency_id
  WHERE f.child_person_id = ANY(:children) OR f.case_id = :case_id
  UNION ALL
  SELECT n.created_at::date, a.code, a.name, 'case_note', 'Case note', n.body, 'Safehub case note',
    a.id, 'case_note', NULL, false, true
  FROM case_note n JOIN app_user u ON u.id = n.author_user_id JOIN agency a ON a.id = u.agency_id
  WHERE n.case_id = :case_id AND NOT EXISTS (SELECT 1 FROM case_note s WHERE s.supersedes_id = n.id)
  UNION ALL
  SELECT d.created_at::date, a.code, a.name, 'decision', 'Decision: ' || d.decision, d.reasons,
    'Safehub decision', a.id, 'decision', NULL, false, true
  FROM case_decision d JOIN app_user u ON u.id = d.decided_by_user_id JOIN agency a ON a.id = u.agency_id
  WHERE d.case_id = :case_id
  UNION ALL
  -- Meetings held and actions done for the case (the timeliness view; row-level security applies).
  SELECT mc.on_date, mc.code, mc.name, mc.kind, mc.title, mc.detail, mc.source, a.id, mc.kind,
    NULL, false, true
  FROM meeting_chronology mc JOIN agency a ON a.code = mc.code
  WHERE mc.case_id = :case_id
) c
ORDER BY on_date, code, title
"""


def list_chronology(
    session: Session, *, case_id: int, children: list[int]
) -> list[ChronologyEntry]:
    """Every agency's events for the case's children, and the case's own, in date order."""
    rows = session.execute(text(_CHRONOLOGY), {"children": children, "case_id": case_id}).all()
    return [ChronologyEntry(*r) for r in rows]


def list_case_children(session: Session, case_id: int) -> list[int]:
    """The case's children as people now: a child merged by identity resolution is the survivor
    (``merged_into_id`` points straight at it; merges never chain)."""
    return list(
        session.execute(
            text(
                "SELECT DISTINCT coalesce(p.merged_into_id, p.id) FROM case_child cc "
                "JOIN person p ON p.id = cc.person_id WHERE cc.case_id = :c ORDER BY 1"
            ),
            {"c": case_id},
        ).scalars()
    )


def list_cases_for_user(
    session: Session, user_id: int | None, limit: int = 50
) -> list[tuple[int, str, str, str]]:
    """(id, reference, title, status) of the cases the user is a member of."""
    rows = session.execute(
        text(
            "SELECT c.id, c.reference, c.title, c.status FROM safeguarding_case c "
            "JOIN case_member cm ON cm.case_id = c.id WHERE cm.user_id = :u "
            "ORDER BY c.opened_on DESC, c.id LIMIT :l"
        ),
        {"u": user_id, "l": limit},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def list_case_agencies(session: Session, case_id: int) -> list[tuple[str, str]]:
    """(code, name) of the agencies involved in a case."""
    rows = session.execute(
        text(
            "SELECT a.code, a.name FROM case_agency ca JOIN agency a ON a.id = ca.agency_id "
            "WHERE ca.case_id = :c ORDER BY a.code"
        ),
        {"c": case_id},
    )
    return [(code, name) for code, name in rows]


def list_children_of_cases(session: Session, case_ids: list[int]) -> dict[int, list[int]]:
    """The children of each case as people now (a merged child is the survivor)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT cc.case_id, coalesce(p.merged_into_id, p.id) FROM case_child cc "
            "JOIN person p ON p.id = cc.person_id WHERE cc.case_id = ANY(:c) ORDER BY 1, 2"
        ),
        {"c": case_ids},
    ).all()
    found: dict[int, list[int]] = {}
    for case_id, child in rows:
        found.setdefault(case_id, []).append(child)
    return found


def list_cases_of_person(session: Session, person_id: int) -> list[tuple[int, str, str, str]]:
    """(id, reference, title, status) of the cases a person is a child of (row-level security
    leaves the ones open to the user)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT c.id, c.reference, c.title, c.status FROM safeguarding_case c "
            "JOIN case_child cc ON cc.case_id = c.id JOIN person p ON p.id = cc.person_id "
            "WHERE coalesce(p.merged_into_id, p.id) = :p ORDER BY c.id DESC"
        ),
        {"p": person_id},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


@dataclass(frozen=True, slots=True)
class ReferralLine:
    """A referral as its referrer follows it: the child, where it went, what happened."""

    referral_id: int
    given_names: str
    family_name: str
    date_of_birth: date | None
    received_at: datetime
    concern_type: str
    status: str
    went_to: str | None
    case_id: int | None
    case_reference: str | None
    decision_due: date | None
    decided_at: datetime | None


def list_referrals_by_user(
    session: Session, user_id: int | None, limit: int = 20
) -> list[ReferralLine]:
    """The user's own referrals, newest first, each with the agency that decides on it (its
    council, or the owner of its first clock) and that clock's due day and end."""
    rows = session.execute(
        text(
            """
            SELECT f.id, f.child_given_names, f.child_family_name, f.child_date_of_birth,
              f.received_at, f.concern_type, f.status, coalesce(council.name, owner.name),
              f.case_id, c.reference, k.due_on, k.stopped_at
            FROM referral f
            LEFT JOIN agency council ON council.id = f.council_agency_id
            LEFT JOIN safeguarding_case c ON c.id = f.case_id
            LEFT JOIN LATERAL (
              SELECT owner_agency_id, due_on, stopped_at FROM clock
              WHERE referral_id = f.id ORDER BY due_on, id LIMIT 1
            ) k ON true
            LEFT JOIN agency owner ON owner.id = k.owner_agency_id
            WHERE f.referred_by_user_id = :u
            ORDER BY f.received_at DESC, f.id DESC LIMIT :l
            """
        ),
        {"u": user_id, "l": limit},
    ).all()
    return [ReferralLine(*r) for r in rows]


def lock_referral_key(session: Session, user_id: int, key: str) -> None:
    """Serialise two requests with the same idempotency key until this transaction ends, so
    that the second finds the first's referral instead of failing on the unique constraint."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:k, :u))"), {"k": key, "u": user_id}
    )


def get_referral_by_key(session: Session, user_id: int, key: str) -> int | None:
    """The referral this referrer sent with this idempotency key, if any."""
    found = session.execute(
        text("SELECT id FROM referral WHERE referred_by_user_id = :u AND idempotency_key = :k"),
        {"u": user_id, "k": key},
    ).scalar()
    return None if found is None else int(found)
