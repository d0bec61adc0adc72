"""SQL that reads case files for an oversight audit sample: which cases may be drawn, and
everything a file's snapshot is made from (and the names it must redact).

Run only as the partnership (``safehub.db.rls.partnership_step``), by the system, at draw time:
the oversight role can read none of these tables. Ethnicity, nationality and religion are never
selected here, so a snapshot cannot carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class NamedPerson:
    """Someone a file names: a child on the case, or another person in the same records."""

    person_id: int
    given_names: str | None
    family_name: str | None
    aliases: tuple[str, ...]
    birth_year: int | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: int
    display_name: str
    username: str
    role: str


@dataclass(frozen=True, slots=True)
class FileEvent:
    """One dated thing in a case file, with the member of staff behind it (if any)."""

    kind: str  # "referral", "note", "decision", "meeting", "action", "clock"
    at: datetime | date
    user_id: int | None
    title: str
    text: str | None
    due_on: date | None = None
    done_at: datetime | None = None
    status: str | None = None


@dataclass
class CaseFile:
    case_id: int
    status: str
    title: str
    opened_on: date
    children: list[NamedPerson] = field(default_factory=list)
    others: list[NamedPerson] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    events: list[FileEvent] = field(default_factory=list)
    referral_names: list[tuple[str, str]] = field(default_factory=list)


def list_eligible_cases(session: Session, *, start: date, end: date, statuses: str) -> list[int]:
    """Ids of the cases opened in the period, open, closed or both, in id order (the order the
    seeded draw picks from, so that the same seed draws the same files)."""
    return list(
        session.execute(
            text(
                """
                SELECT id FROM safeguarding_case
                WHERE opened_on BETWEEN :start AND :end
                  AND (:statuses = 'both' OR (status = 'closed') = (:statuses = 'closed'))
                ORDER BY id
                """
            ),
            {"start": start, "end": end, "statuses": statuses},
        ).scalars()
    )


def get_case_file(session: Session, case_id: int) -> CaseFile:
    row = session.execute(
        text("SELECT id, status, title, opened_on FROM safeguarding_case WHERE id = :c"),
        {"c": case_id},
    ).one()
    case = CaseFile(row[0], row[1], row[2], row[3])
    case.children = _people(session, case_id, children=True)
    case.others = _people(session, case_id, children=False)
    case.events = _events(session, case_id)
    case.referral_names = [
        (str(r[0]), str(r[1]))
        for r in session.execute(
            text("SELECT child_given_names, child_family_name FROM referral WHERE case_id = :c"),
            {"c": case_id},
        ).all()
    ]
    users = sorted({e.user_id for e in case.events if e.user_id is not None})
    case.staff = [
        StaffMember(*r)
        for r in session.execute(
            text(
                "SELECT id, display_name, username, role FROM app_user "
                "WHERE id = ANY(CAST(:u AS bigint[])) OR id IN "
                "(SELECT user_id FROM case_member WHERE case_id = :c) ORDER BY id"
            ),
            {"u": users, "c": case_id},
        ).all()
    ]
    return case


# The children on the case, or everyone else named in the same agency records as them.
_PEOPLE = """
WITH kids AS (SELECT person_id FROM case_child WHERE case_id = :c),
records AS (
  SELECT DISTINCT m.record_id FROM person_mention m
  JOIN agency_person ap ON ap.id = m.agency_person_id
  WHERE ap.person_id IN (SELECT person_id FROM kids)
)
SELECT ap.person_id,
  (array_agg(m.given_names ORDER BY m.id) FILTER (WHERE m.given_names IS NOT NULL))[1],
  (array_agg(m.family_name ORDER BY m.id) FILTER (WHERE m.family_name IS NOT NULL))[1],
  coalesce(array_agg(DISTINCT a) FILTER (WHERE a IS NOT NULL), '{}'),
  min(m.dob_year),
  array_agg(DISTINCT m.person_role)
FROM person_mention m
JOIN agency_person ap ON ap.id = m.agency_person_id
LEFT JOIN LATERAL unnest(m.aliases) a ON true
WHERE CASE WHEN :children THEN ap.person_id IN (SELECT person_id FROM kids)
      ELSE m.record_id IN (SELECT record_id FROM records)
           AND ap.person_id NOT IN (SELECT person_id FROM kids) END
GROUP BY ap.person_id ORDER BY ap.person_id
"""


def _people(session: Session, case_id: int, *, children: bool) -> list[NamedPerson]:
    rows = session.execute(text(_PEOPLE), {"c": case_id, "children": children}).all()
    return [NamedPerson(r[0], r[1], r[2], tuple(r[3]), r[4], tuple(r[5])) for r in rows]


_EVENTS = """
SELECT 'referral', received_at, referred_by_user_id, concern_type, concern, NULL::date,
  NULL::timestamptz, status
FROM referral WHERE case_id = :c
UNION ALL
SELECT 'note', created_at, author_user_id, '', body, NULL, NULL, NULL
FROM case_note n WHERE case_id = :c
  AND NOT EXISTS (SELECT 1 FROM case_note later WHERE later.supersedes_id = n.id)
UNION ALL
SELECT 'decision', created_at, decided_by_user_id, decision, reasons, NULL, NULL, NULL
FROM case_decision WHERE case_id = :c
UNION ALL
SELECT 'meeting', scheduled_for, chair_user_id, kind, decisions, NULL, held_at, status
FROM meeting WHERE case_id = :c
UNION ALL
SELECT 'action', created_at, owner_user_id, action_type, description, due_on, done_at, status
FROM meeting_action WHERE case_id = :c
UNION ALL
SELECT 'clock', started_at, owner_user_id, title, overrun_reason, due_on, stopped_at, state
FROM clock WHERE case_id = :c
   OR referral_id IN (SELECT id FROM referral WHERE case_id = :c)
ORDER BY 2, 1
"""


def _events(session: Session, case_id: int) -> list[FileEvent]:
    rows = session.execute(text(_EVENTS), {"c": case_id}).all()
    return [FileEvent(*r) for r in rows]
