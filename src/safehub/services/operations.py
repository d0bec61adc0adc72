"""What the operators' metrics read from the database: counts only, so nothing is audited (as
with ``statistics.count_everything``), read in the system context so that they are whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.db.queries import operations as q
from safehub.db.uow import UnitOfWork
from safehub.timescales import local_date


@dataclass(frozen=True, slots=True)
class OperationalCounts:
    jobs_by_state: dict[str, int]
    clocks_overdue: int
    alerts_by_kind: dict[str, int]


def count_operations(uow: UnitOfWork, *, now: datetime | None = None) -> OperationalCounts:
    """Job runs by state, open clocks overdue now, alerts raised by kind."""
    now = now or datetime.now(UTC)
    return OperationalCounts(
        jobs_by_state=q.count_jobs_by_state(uow.session),
        clocks_overdue=q.count_overdue_clocks(uow.session, today=local_date(now), now=now),
        alerts_by_kind=q.count_alerts_by_kind(uow.session),
    )
