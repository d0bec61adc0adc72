"""SQL of retention by review: the classes, the records reaching their review date, the review
queue, decisions (through ``safehub_retention_decide``, migration 0024) and tombstones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models.retention import RetentionClass


def list_retention_classes(session: Session) -> list[RetentionClass]:
    return list(session.scalars(select(RetentionClass).order_by(RetentionClass.sort_order)))


def set_retention_years(session: Session, *, code: str, years: int, by: str) -> bool:
    """Change an editable class's period; False when there is no such editable class (row-level
    security hides a national one from the update)."""
    result = session.execute(
        text(
            "UPDATE retention_class SET years = :y, updated_at = now(), updated_by = :by "
            "WHERE code = :c AND editable"
        ),
        {"c": code, "y": years, "by": by},
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class DueRecord:
    record_kind: str
    record_id: int
    record_ref: str
    class_code: str
    last_entry_on: date
    due_on: date


# A case's last entry is the latest of its opening, notes, decisions, meetings and referrals; a
# referral without a case counts from its receipt, or (closed with no further action) from the
# day its last clock stopped; a community report not converted counts from its last message,
# receipt or assignment (a converted one follows the record it became). A record already waiting, anonymised or erased is not found again;
# a kept one only once its new review date has come.
_DUE = """
WITH records AS (
  SELECT 'case' AS kind, c.id, c.reference AS ref, 'csa_case' AS class_code,
    GREATEST(
      c.opened_on,
      (SELECT max(n.created_at)::date FROM case_note n WHERE n.case_id = c.id),
      (SELECT max(d.created_at)::date FROM case_decision d WHERE d.case_id = c.id),
      (SELECT max(coalesce(m.held_at, m.scheduled_for))::date FROM meeting m
        WHERE m.case_id = c.id),
      (SELECT max(f.received_at)::date FROM referral f WHERE f.case_id = c.id)
    ) AS last_entry
  FROM safeguarding_case c
  UNION ALL
  SELECT 'referral', f.id, 'REF-' || lpad(f.id::text, 6, '0'),
    CASE WHEN f.status = 'no_further_action' THEN 'referral_nfa' ELSE 'csa_referral' END,
    CASE WHEN f.status = 'no_further_action' THEN GREATEST(
      f.received_at::date,
      (SELECT max(k.stopped_at)::date FROM clock k WHERE k.referral_id = f.id))
    ELSE f.received_at::date END
  FROM referral f WHERE f.case_id IS NULL
  UNION ALL
  SELECT 'community', p.id, p.reference, 'community_report',
    GREATEST(
      p.received_at::date,
      p.assigned_at::date,
      (SELECT max(m.sent_at)::date FROM community_report_message m WHERE m.report_id = p.id))
  FROM community_report p WHERE p.status <> 'converted'
)
SELECT r.kind, r.id, r.ref, r.class_code, r.last_entry,
  (r.last_entry + make_interval(years => k.years))::date AS due_on
FROM records r JOIN retention_class k ON k.code = r.class_code
WHERE (r.last_entry + make_interval(years => k.years))::date <= :today
  AND NOT EXISTS (
    SELECT 1 FROM retention_review v WHERE v.record_kind = r.kind AND v.record_id = r.id
      AND (v.status IN ('due', 'anonymised', 'erased')
           OR (v.status = 'kept' AND v.next_review_on > :today)))
ORDER BY due_on, r.kind, r.id
"""


def list_records_due(session: Session, *, today: date) -> list[DueRecord]:
    """Records whose review date has come and that no person is already deciding."""
    rows = session.execute(text(_DUE), {"today": today}).all()
    return [DueRecord(*row) for row in rows]


def count_reviewable_records(session: Session) -> int:
    """How many records the review job looks at (cases, referrals without a case, community
    reports not converted)."""
    return int(
        session.execute(
            text(
                "SELECT (SELECT count(*) FROM safeguarding_case) "
                "+ (SELECT count(*) FROM referral WHERE case_id IS NULL) "
                "+ (SELECT count(*) FROM community_report WHERE status <> 'converted')"
            )
        ).scalar_one()
    )


def insert_retention_reviews(
    session: Session, records: list[DueRecord], *, run_id: int | None
) -> list[int]:
    """Open a review for each record; one that another run opened meanwhile is skipped."""
    ids: list[int] = []
    for r in records:
        found = session.execute(
            text(
                "INSERT INTO retention_review (record_kind, record_id, record_ref, class_code, "
                "last_entry_on, due_on, found_by_run_id, status) "
                "VALUES (:k, :i, :ref, :c, :last, :due, :run, 'due') "
                "ON CONFLICT (record_kind, record_id) WHERE status = 'due' DO NOTHING "
                "RETURNING id"
            ),
            {
                "k": r.record_kind,
                "i": r.record_id,
                "ref": r.record_ref,
                "c": r.class_code,
                "last": r.last_entry_on,
                "due": r.due_on,
                "run": run_id,
            },
        ).scalar()
        if found is not None:
            ids.append(int(found))
    return ids


@dataclass(frozen=True, slots=True)
class ReviewLine:
    id: int
    record_kind: str
    record_id: int
    record_ref: str
    class_code: str
    class_name: str
    years: int
    last_entry_on: date
    due_on: date
    found_at: datetime
    status: str
    decided_at: datetime | None
    decided_by: str | None
    reason: str | None
    next_review_on: date | None


_REVIEW = (
    "SELECT v.id, v.record_kind, v.record_id, v.record_ref, v.class_code, k.name, k.years, "
    "v.last_entry_on, v.due_on, v.found_at, v.status, v.decided_at, "
    "coalesce(u.display_name, v.decided_by), v.reason, v.next_review_on "
    "FROM retention_review v JOIN retention_class k ON k.code = v.class_code "
    "LEFT JOIN app_user u ON u.id = v.decided_by_user_id "
)


def list_open_reviews(session: Session, *, limit: int) -> list[ReviewLine]:
    """Reviews waiting for a decision, longest overdue first."""
    rows = session.execute(
        text(_REVIEW + "WHERE v.status = 'due' ORDER BY v.due_on, v.id LIMIT :l"), {"l": limit}
    ).all()
    return [ReviewLine(*row) for row in rows]


def list_decided_reviews(session: Session, *, limit: int) -> list[ReviewLine]:
    """The latest decisions, newest first."""
    rows = session.execute(
        text(_REVIEW + "WHERE v.status <> 'due' ORDER BY v.decided_at DESC, v.id DESC LIMIT :l"),
        {"l": limit},
    ).all()
    return [ReviewLine(*row) for row in rows]


def get_review(session: Session, review_id: int) -> ReviewLine | None:
    row = session.execute(text(_REVIEW + "WHERE v.id = :i"), {"i": review_id}).first()
    return ReviewLine(*row) if row else None


def count_record_entries(session: Session, *, kind: str, record_id: int) -> dict[str, int]:
    """What the record holds, by kind of entry (counts only: the DPO decides on facts, and
    opens the case itself, audited, if they need its content)."""
    if kind == "community":
        found = session.execute(
            text(
                "SELECT (SELECT count(*) FROM community_report WHERE id = :i), "
                "(SELECT count(*) FROM community_report_message WHERE report_id = :i)"
            ),
            {"i": record_id},
        ).one()
        return {"community_report": int(found[0]), "community_report_message": int(found[1])}
    if kind == "referral":
        found = session.execute(
            text(
                "SELECT (SELECT count(*) FROM referral WHERE id = :i), "
                "(SELECT count(*) FROM clock WHERE referral_id = :i)"
            ),
            {"i": record_id},
        ).one()
        return {"referral": int(found[0]), "clock": int(found[1])}
    found = session.execute(
        text(
            "SELECT (SELECT count(*) FROM referral WHERE case_id = :i), "
            "(SELECT count(*) FROM case_note WHERE case_id = :i), "
            "(SELECT count(*) FROM case_decision WHERE case_id = :i), "
            "(SELECT count(*) FROM meeting WHERE case_id = :i), "
            "(SELECT count(*) FROM case_child WHERE case_id = :i)"
        ),
        {"i": record_id},
    ).one()
    kinds = ("referral", "case_note", "case_decision", "meeting", "case_child")
    return dict(zip(kinds, map(int, found), strict=True))


def decide_retention_review(
    session: Session, *, review_id: int, outcome: str, reason: str, next_review: date | None
) -> dict[str, int]:
    """Keep, anonymise or erase, all in the database's one function; returns what it changed
    (anonymise) or removed (erase), by kind of entry."""
    changed = session.execute(
        text("SELECT safehub_retention_decide(:r, :o, :why, :next)"),
        {"r": review_id, "o": outcome, "why": reason, "next": next_review},
    ).scalar_one()
    counts = changed if isinstance(changed, dict) else json.loads(str(changed))
    return {str(k): int(v) for k, v in counts.items()}


@dataclass(frozen=True, slots=True)
class Tombstone:
    id: int
    review_id: int
    record_kind: str
    record_id: int
    record_ref: str
    class_name: str
    erased: dict[str, int]
    erased_at: datetime
    erased_by: str
    reason: str


def list_tombstones(session: Session, *, limit: int) -> list[Tombstone]:
    rows = session.execute(
        text(
            "SELECT t.id, t.review_id, t.record_kind, t.record_id, t.record_ref, k.name, t.erased, "
            "t.erased_at, coalesce(u.display_name, t.erased_by), t.reason "
            "FROM retention_tombstone t JOIN retention_class k ON k.code = t.class_code "
            "LEFT JOIN app_user u ON u.id = t.erased_by_user_id "
            "ORDER BY t.erased_at DESC, t.id DESC LIMIT :l"
        ),
        {"l": limit},
    ).all()
    return [Tombstone(*row) for row in rows]
