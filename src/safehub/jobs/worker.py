"""The worker: claim queued runs (``FOR UPDATE SKIP LOCKED``), run them, record every run.

``run_once`` queues a clocks run (and a match run when a community report is new) and drains the
queue (cron, tests, the CLI); ``work`` does that
every ``interval`` seconds until stopped. Progress goes to the ``job_run`` row in its own short
transactions, so the web UI and the CLI see it while the run goes on.

``now`` may be given (an ISO time in the run's params) so that tests and rehearsals control the
clock; otherwise it is the time the run starts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from safehub.db.database import Database
from safehub.db.queries import jobs as q
from safehub.jobs.clocks_job import run_clocks
from safehub.jobs.community_match_job import MATCH_JOBS, queue_new_report_matching
from safehub.jobs.networks_job import NETWORK_JOBS
from safehub.jobs.resolve_job import RESOLVE_JOBS
from safehub.jobs.retention_job import RETENTION_JOBS
from safehub.services.timeliness.notifications import EmailSender

log = logging.getLogger("safehub.jobs")
CLOCKS = "clocks"


class JobOutcome(Protocol):
    """What a job returns: a count for its progress and a one-line summary (the clocks job and
    the network jobs each return their own outcome)."""

    @property
    def evaluated(self) -> int: ...

    def summary(self) -> str: ...


JOBS: dict[str, Callable[..., JobOutcome]] = {
    CLOCKS: run_clocks,
    **RESOLVE_JOBS,
    **NETWORK_JOBS,
    **RETENTION_JOBS,
    **MATCH_JOBS,
}
# job_run rows are operational records (what ran, when, how far), not personal data: they are
# written outside the audited unit of work, as the application role.
_JOB_ROLE_ACTOR = "system:job"


@dataclass(frozen=True, slots=True)
class RunResult:
    run_id: int
    job: str
    status: str
    outcome: str | None
    error: str | None


OnProgress = Callable[[int, int, int, str], None]  # run id, done, total, stage


def enqueue(
    db: Database, *, job: str = CLOCKS, requested_by: str, now: datetime | None = None
) -> int:
    """Queue a run; ``now`` pins the time the run evaluates clocks at."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}: choose one of {', '.join(sorted(JOBS))}")
    params = {"now": now.isoformat()} if now else {}
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        run_id = q.enqueue_job(session, job=job, params=params, requested_by=requested_by)
        session.commit()
    return run_id


def claim(db: Database) -> q.ClaimedRun | None:
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        claimed = q.claim_next_job(session)
        session.commit()
    return claimed


def _report(db: Database, run_id: int, done: int, total: int, stage: str) -> None:
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        q.set_job_progress(session, run_id, processed=done, total=total, stage=stage)
        session.commit()


def _finish(db: Database, run_id: int, status: str, outcome: str | None, error: str | None) -> None:
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        q.set_job_finished(session, run_id, status=status, outcome=outcome, error=error)
        session.commit()


def run_claimed(
    db: Database,
    run: q.ClaimedRun,
    *,
    sender: EmailSender | None,
    on_progress: OnProgress | None = None,
    base_url: str = "",
) -> RunResult:
    """Run one claimed job and record how it ended; a failure is recorded, then re-raised only
    as a log line, so that one bad run does not stop the worker."""

    def progress(done: int, total: int, stage: str) -> None:
        _report(db, run.run_id, done, total, stage)
        if on_progress:
            on_progress(run.run_id, done, total, stage)

    now_param = run.params.get("now")
    now = datetime.fromisoformat(str(now_param)) if now_param else datetime.now(UTC)
    try:
        outcome = JOBS[run.job](
            db, now=now, sender=sender, progress=progress, base_url=base_url, run_id=run.run_id
        )
    except Exception as error:
        log.exception("job run %s (%s) failed", run.run_id, run.job)
        message = f"{type(error).__name__}: {error}"
        _finish(db, run.run_id, "failed", None, message)
        return RunResult(run.run_id, run.job, "failed", None, message)
    _report(db, run.run_id, outcome.evaluated, outcome.evaluated, "done")
    _finish(db, run.run_id, "succeeded", outcome.summary(), None)
    return RunResult(run.run_id, run.job, "succeeded", outcome.summary(), None)


def run_now(
    db: Database,
    *,
    job: str,
    requested_by: str,
    now: datetime | None = None,
    on_progress: OnProgress | None = None,
) -> RunResult | None:
    """Queue one run of ``job`` and run it here (the CLI's commands); None when a worker
    claimed it first (it then runs there, recorded in its ``job_run`` row)."""
    run_id = enqueue(db, job=job, requested_by=requested_by, now=now)
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        claimed = q.claim_job_run(session, run_id)
        session.commit()
    if claimed is None:
        return None
    return run_claimed(db, claimed, sender=None, on_progress=on_progress)


def drain(
    db: Database,
    *,
    sender: EmailSender | None,
    on_progress: OnProgress | None = None,
    base_url: str = "",
) -> list[RunResult]:
    """Run queued jobs until none is left."""
    results = []
    while (run := claim(db)) is not None:
        results.append(
            run_claimed(db, run, sender=sender, on_progress=on_progress, base_url=base_url)
        )
    return results


def run_once(
    db: Database,
    *,
    requested_by: str,
    sender: EmailSender | None,
    now: datetime | None = None,
    on_progress: OnProgress | None = None,
    base_url: str = "",
) -> list[RunResult]:
    """Queue a clocks run (unless one is already waiting), a match run when a community report
    has never been matched, and run everything queued."""
    with db.app_session(actor=_JOB_ROLE_ACTOR) as session:
        waiting = q.is_job_waiting(session, CLOCKS)
    if not waiting or now is not None:
        enqueue(db, job=CLOCKS, requested_by=requested_by, now=now)
    queue_new_report_matching(db)
    return drain(db, sender=sender, on_progress=on_progress, base_url=base_url)


def work(
    db: Database,
    *,
    requested_by: str,
    sender: EmailSender | None,
    interval: float,
    stop: threading.Event,
    on_progress: OnProgress | None = None,
    base_url: str = "",
) -> int:
    """Every ``interval`` seconds, queue a clocks run and drain the queue, until ``stop``.
    Returns the number of runs made."""
    runs = 0
    while not stop.is_set():
        runs += len(
            run_once(
                db,
                requested_by=requested_by,
                sender=sender,
                on_progress=on_progress,
                base_url=base_url,
            )
        )
        stop.wait(interval)
    return runs
