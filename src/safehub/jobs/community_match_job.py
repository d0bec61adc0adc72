"""The match job: community reports matched against what agencies hold, the matches stored.

``community_match`` matches the reports never matched (queued by the worker's cycle when one is
waiting); ``community_match_all`` rematches every open report (queued by every network run, after
an import's resolution, a merge or a split). See ``services.community.stored_matches``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.community.stored_matches import (
    MATCH_JOB,
    REMATCH_JOB,
    MatchesStored,
    queue_matching_if_waiting,
    store_report_matches,
)

JOB_ACTOR = Actor(label="system:job:community-match")

Progress = Callable[[int, int, str], None]


def run_matching(
    db: Database, *, now: datetime, progress: Progress, everything: bool = False, **_: Any
) -> MatchesStored:
    """The worker's entry point (``jobs.worker.JOBS``) for new reports."""
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        stored = store_report_matches(
            uow, everything=everything, today=now.date(), at=now, progress=progress
        )
        uow.commit()
    return stored


def run_rematching(db: Database, *, now: datetime, progress: Progress, **_: Any) -> MatchesStored:
    """The worker's entry point after agency data changed: every open report again."""
    return run_matching(db, now=now, progress=progress, everything=True)


def queue_new_report_matching(db: Database) -> int | None:
    """Queue ``community_match`` when a report has never been matched (the worker's cycle)."""
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        queued = queue_matching_if_waiting(uow)
        uow.commit()
    return queued


MATCH_JOBS: dict[str, Callable[..., MatchesStored]] = {
    MATCH_JOB: run_matching,
    REMATCH_JOB: run_rematching,
}
