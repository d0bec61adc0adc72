"""What the data protection officer sees: who looked at a child, a user's accesses, unusual access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from safehub.db.queries import audit as q
from safehub.db.uow import UnitOfWork

# Viewing more than this many people in a day is worth a second look (tunable per deployment).
UNUSUAL_PEOPLE_PER_DAY = 40


def who_looked_at(
    uow: UnitOfWork, *, person_id: int, purpose: str = "data protection oversight"
) -> list[q.AccessEntry]:
    cases = list(
        uow.session.execute(
            text("SELECT case_id FROM case_child WHERE person_id = :p"), {"p": person_id}
        ).scalars()
    )
    entries = q.accesses_to_person(uow.session, person_id, cases)
    uow.audit("consultation", "audit_log", [f"person:{person_id}"], purpose=purpose)
    return entries


def access_report(
    uow: UnitOfWork, *, user_id: int, purpose: str = "data protection oversight"
) -> list[q.AccessEntry]:
    entries = q.accesses_by_actor(uow.session, f"user:{user_id}:")
    uow.audit("consultation", "audit_log", [f"user:{user_id}"], purpose=purpose)
    return entries


def unusual_access(
    uow: UnitOfWork, *, days: int = 7, now: datetime | None = None
) -> list[q.UnusualAccess]:
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    found = q.unusual_access(uow.session, since=since, people_per_day=UNUSUAL_PEOPLE_PER_DAY)
    uow.audit("consultation", "audit_log", ["unusual_access"], purpose="data protection oversight")
    return found
