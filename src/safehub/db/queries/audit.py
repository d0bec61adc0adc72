"""Queries over the audit log for the data protection officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class AccessEntry:
    at: datetime
    actor: str
    action: str
    object_type: str
    purpose: str
    source: str | None


@dataclass(frozen=True, slots=True)
class UnusualAccess:
    actor: str
    day: str
    people_viewed: int
    break_glass: int


_PERSON_OBJECTS = ("person", "person_search", "case")


def list_accesses_to_person(
    session: Session, person_id: int, case_ids: list[int], limit: int = 500
) -> list[AccessEntry]:
    """Every logged look at this person, directly or through one of their cases, newest first."""
    rows = session.execute(
        text(
            """
            SELECT occurred_at, actor, action, object_type, purpose, source FROM audit_event
            WHERE (object_type IN ('person', 'person_search') AND object_ids ? :p)
               OR (object_type = 'case' AND object_ids ?| CAST(:cases AS text[]))
            ORDER BY id DESC LIMIT :l
            """
        ),
        {"p": str(person_id), "cases": [str(c) for c in case_ids], "l": limit},
    ).all()
    return [AccessEntry(*r) for r in rows]


def list_accesses_by_actor(
    session: Session, actor_prefix: str, limit: int = 500
) -> list[AccessEntry]:
    rows = session.execute(
        text(
            "SELECT occurred_at, actor, action, object_type, purpose, source FROM audit_event "
            "WHERE actor LIKE :a ORDER BY id DESC LIMIT :l"
        ),
        {"a": actor_prefix + "%", "l": limit},
    ).all()
    return [AccessEntry(*r) for r in rows]


def list_unusual_access(
    session: Session, *, since: datetime, people_per_day: int
) -> list[UnusualAccess]:
    """Users who looked at many people in one day, or used break-glass, since a time."""
    rows = session.execute(
        text(
            """
            SELECT actor, to_char(occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day,
              count(DISTINCT ids.id) FILTER (WHERE object_type = 'person') AS people,
              count(*) FILTER (WHERE action = 'break_glass' OR object_type = 'break_glass') AS glass
            FROM audit_event LEFT JOIN LATERAL jsonb_array_elements_text(object_ids) AS ids(id) ON true
            WHERE occurred_at >= :since AND actor LIKE 'user:%'
            GROUP BY actor, day
            HAVING count(DISTINCT ids.id) FILTER (WHERE object_type = 'person') >= :n
                OR count(*) FILTER (WHERE action = 'break_glass' OR object_type = 'break_glass') > 0
            ORDER BY day DESC, people DESC
            """
        ),
        {"since": since, "n": people_per_day},
    ).all()
    return [UnusualAccess(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


def list_cases_of_child(session: Session, person_id: int) -> list[int]:
    """The cases a child is on: their accesses count as accesses to the child."""
    query = text("SELECT case_id FROM case_child WHERE person_id = :p ORDER BY case_id")
    return list(session.execute(query, {"p": person_id}).scalars())


@dataclass(frozen=True, slots=True)
class SecurityEvent:
    at: datetime
    actor: str
    action: str
    asked: list[str]
    purpose: str
    detail: dict[str, object]
    source: str | None


def list_security_events(
    session: Session, actions: tuple[str, ...], limit: int = 100
) -> list[SecurityEvent]:
    """The latest entries of these actions (refused look-ups, failed sign-ins), newest first."""
    rows = session.execute(
        text(
            "SELECT occurred_at, actor, action, object_ids, purpose, detail, source "
            "FROM audit_event WHERE action = ANY(:a) ORDER BY id DESC LIMIT :l"
        ),
        {"a": list(actions), "l": limit},
    ).all()
    return [SecurityEvent(*r) for r in rows]


# -- the DPO's audit log view --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """What the DPO narrows the log to; empty means everything. ``person`` is a person's looks
    directly or through their cases (``cases``); ``user`` a member of staff; ``agency`` the
    agency of the staff who acted."""

    person: int | None = None
    cases: tuple[int, ...] = ()
    user: int | None = None
    agency: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive, a London day


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    user_name: str | None
    agency_name: str | None
    action: str
    object_type: str
    object_ids: list[str]
    purpose: str
    source: str | None


def _audit_where(f: AuditFilters) -> tuple[str, dict[str, object]]:
    clauses: list[str] = ["true"]
    params: dict[str, object] = {}
    if f.person is not None:
        clauses.append(
            "((e.object_type IN ('person', 'person_search') AND e.object_ids ? :person) "
            "OR (e.object_type = 'case' AND e.object_ids ?| CAST(:cases AS text[])))"
        )
        params |= {"person": str(f.person), "cases": [str(c) for c in f.cases]}
    if f.user is not None:
        clauses.append("e.actor LIKE :user")
        params["user"] = f"user:{f.user}:%"
    if f.agency:
        clauses.append("a.code = :agency")
        params["agency"] = f.agency
    if f.action:
        clauses.append("e.action = :action")
        params["action"] = f.action
    if f.date_from:
        clauses.append("(e.occurred_at AT TIME ZONE 'Europe/London')::date >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to:
        clauses.append("(e.occurred_at AT TIME ZONE 'Europe/London')::date <= :date_to")
        params["date_to"] = f.date_to
    return " AND ".join(clauses), params


# The member of staff behind an actor label ``user:<id>:<username>``; system actors have none.
_AUDIT_FROM = """
    FROM audit_event e
    LEFT JOIN app_user u ON u.id = CAST(substring(e.actor from '^user:([0-9]{1,18}):') AS bigint)
    LEFT JOIN agency a ON a.id = u.agency_id
"""


def list_audit_events(
    session: Session, filters: AuditFilters, *, limit: int, offset: int = 0
) -> list[AuditRow]:
    """Audit entries that pass the filters, newest first, one page of them."""
    where, params = _audit_where(filters)
    rows = session.execute(
        text(
            "SELECT e.id, e.occurred_at, e.actor, u.display_name, a.name, e.action, "
            f"e.object_type, e.object_ids, e.purpose, e.source {_AUDIT_FROM} WHERE {where} "
            "ORDER BY e.id DESC LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": limit, "offset": offset},
    ).all()
    return [AuditRow(*r) for r in rows]


def count_audit_events(session: Session, filters: AuditFilters) -> int:
    where, params = _audit_where(filters)
    query = text(f"SELECT count(*) {_AUDIT_FROM} WHERE {where}")
    return int(session.execute(query, params).scalar_one())
