"""The network job: the stored network analysis brought up to date, its alerts raised.

Two jobs share one use case (``services.networks.update_network``): ``networks`` adds what arrived
since the last run (queued after every import and every merge or split), ``networks_full``
rebuilds the graph from every stored record (on request: after a change to the rules, or to check
that the incremental path still equals a rebuild). Progress goes to the ``job_run`` row, which the
network page and ``safehub network-analysis status`` show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.community.stored_matches import queue_report_matching
from safehub.services.networks import (
    REBUILD_JOB,
    UPDATE_JOB,
    NetworkUpdate,
    analyse_network,
    check_new_records,
    find_running_job,
)

JOB_ACTOR = Actor(label="system:job:networks")

Progress = Callable[[int, int, str], None]


def database_key(db: Database) -> str:
    """Which database a worker's graph in memory belongs to (its URL, without the password)."""
    return db.owner_engine.url.render_as_string(hide_password=True)


def _running_job(db: Database, *, full: bool) -> int | None:
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        return find_running_job(uow, full=full)


def run_network_update(
    db: Database,
    *,
    full: bool = False,
    progress: Progress | None = None,
    job_run_id: int | None = None,
) -> NetworkUpdate:
    """One network run in two units of work: new records checked and their alerts committed
    first (an alert never waits for the whole-graph analysis), then the analysis stored."""
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        pending = check_new_records(
            uow, database_key=database_key(db), full=full, job_run_id=job_run_id, progress=progress
        )
        uow.commit()
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        result = analyse_network(uow, pending=pending)
        # What agencies hold, or their groups, changed: community reports' matches follow.
        queue_report_matching(uow, everything=True)
        uow.commit()
    return result


def run_networks(db: Database, *, now: datetime, progress: Progress, **_: Any) -> NetworkUpdate:
    """The worker's entry point (``jobs.worker.JOBS``): an incremental update."""
    del now  # the network has no clock: it reads what is stored
    return run_network_update(db, progress=progress, job_run_id=_running_job(db, full=False))


def run_networks_full(
    db: Database, *, now: datetime, progress: Progress, **_: Any
) -> NetworkUpdate:
    """The worker's entry point for a full rebuild."""
    del now
    job_run_id = _running_job(db, full=True)
    return run_network_update(db, full=True, progress=progress, job_run_id=job_run_id)


NETWORK_JOBS: dict[str, Callable[..., NetworkUpdate]] = {
    UPDATE_JOB: run_networks,
    REBUILD_JOB: run_networks_full,
}
