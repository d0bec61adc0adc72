"""What the data protection officer sees: who looked at a child, a user's accesses, unusual access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from safehub.db.queries import audit as q
from safehub.db.queries.audit import AccessEntry as AccessEntry
from safehub.db.queries.audit import UnusualAccess as UnusualAccess
from safehub.db.uow import UnitOfWork

# Viewing more than this many people in a day is worth a second look (tunable per deployment).
UNUSUAL_PEOPLE_PER_DAY = 40


def who_looked_at(
    uow: UnitOfWork, *, person_id: int, purpose: str = "data protection oversight"
) -> list[AccessEntry]:
    """Every access to a child's records and to the cases they are on."""
    cases = q.list_cases_of_child(uow.session, person_id)
    entries = q.list_accesses_to_person(uow.session, person_id, cases)
    uow.audit("consultation", "audit_log", [f"person:{person_id}"], purpose=purpose)
    return entries


def access_report(
    uow: UnitOfWork, *, staff_user_id: int, purpose: str = "data protection oversight"
) -> list[AccessEntry]:
    """What one member of staff has looked at (the DPO's view of another user)."""
    entries = q.list_accesses_by_actor(uow.session, f"user:{staff_user_id}:")
    uow.audit("consultation", "audit_log", [f"user:{staff_user_id}"], purpose=purpose)
    return entries


def unusual_access(
    uow: UnitOfWork, *, days: int = 7, now: datetime | None = None
) -> list[UnusualAccess]:
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    found = q.list_unusual_access(uow.session, since=since, people_per_day=UNUSUAL_PEOPLE_PER_DAY)
    uow.audit("consultation", "audit_log", ["unusual_access"], purpose="data protection oversight")
    return found
