"""The retention review job: records reaching their review date are put before a person.

Queued by ``safehub retention review`` (or cron through the worker). It only opens reviews:
it never keeps, anonymises or erases anything itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.retention import RETENTION_JOB, FoundReviews, find_records_due

JOB_ACTOR = Actor(label="system:job:retention")

Progress = Callable[[int, int, str], None]


def run_retention_review(
    db: Database, *, now: datetime, progress: Progress, run_id: int | None = None, **_: Any
) -> FoundReviews:
    """The worker's entry point (``jobs.worker.JOBS``): ``now``'s date is the day reviewed."""
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        found = find_records_due(uow, today=now.date(), run_id=run_id, progress=progress)
        uow.commit()
    return found


RETENTION_JOBS: dict[str, Callable[..., FoundReviews]] = {RETENTION_JOB: run_retention_review}
