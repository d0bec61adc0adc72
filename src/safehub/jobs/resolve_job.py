"""The resolution job: new and changed agency records placed among the people already held.

Queued by every import (``services/handlers.py``) and run by the worker before the network
update that it queues in turn: the network and its alerts only ever read people that resolution
has seen. The first run trains and saves the model (a bulk run); later runs are incremental.

Before resolving, the job places any pending pair that has no place in the review queue (pairs
stored before the queue had places, revision 0031): the first run after an upgrade backfills the
queue, as ``safehub people place-queue`` does; after that it finds none, in one count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.identity import ResolutionSummary, resolve_new_people
from safehub.services.identity.places import PLACING_PURPOSE, place_unplaced_pairs
from safehub.services.identity.resolution import RESOLVE_JOB

JOB_ACTOR = Actor(label="system:job:resolve")
PURPOSE = "identity resolution of newly imported agency records"

Progress = Callable[[int, int, str], None]


def run_resolution(
    db: Database, *, now: datetime, progress: Progress, **_: Any
) -> ResolutionSummary:
    """The worker's entry point (``jobs.worker.JOBS``)."""
    del now  # resolution has no clock: it reads what is stored
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        place_unplaced_pairs(uow, purpose=PLACING_PURPOSE)
        uow.commit()
    progress(0, 0, "resolving new and changed agency records")
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        summary = resolve_new_people(uow, purpose=PURPOSE)
        uow.commit()
    progress(summary.agency_people, summary.agency_people, summary.mode)
    return summary


RESOLVE_JOBS: dict[str, Callable[..., ResolutionSummary]] = {RESOLVE_JOB: run_resolution}
